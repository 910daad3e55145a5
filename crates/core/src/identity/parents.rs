//! Step 2 of the resolution: every session's parent. A session issued by an STS call comes from
//! the session of that call's caller (the copy of a cross-account call whose caller is best
//! known); a console role switch from the principal that switched; a session nothing issued in
//! the loaded logs is an origin of its own when its caller is one (an IAM user or root, an AWS
//! service, an Identity Center user) and unknown otherwise. `AWSReservedSSO_*` role sessions
//! (and the SAML calls that make them) name the SSO user.

use rustc_hash::FxHashMap;

use super::gather::{Caller, Gathered};
use super::resolve::{role_session, Link, Parent, Resolved};
use super::OriginKind;
use crate::store::{Column, Store};

/// The origin of a principal ARN named outside a session (a role switch's `SwitchFrom`).
fn principal_origin(arn: &str) -> Option<OriginKind> {
    if arn.starts_with("arn:") && arn.contains(":user/") {
        Some(OriginKind::IamUser)
    } else if arn.starts_with("arn:") && arn.ends_with(":root") {
        Some(OriginKind::Root)
    } else {
        None
    }
}

pub(super) fn parents(store: &Store, g: &Gathered, out: &mut Resolved) {
    let arn_dict = store.dictionary(Column::Arn);
    let user_dict = store.dictionary(Column::User);
    let stores = sso_stores(g, store);
    // Sessions by their ARN, for a role switch from a role session.
    let mut by_arn: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for (i, s) in out.sessions.iter().enumerate() {
        let arn = g.group(s.group).and_then(|gr| arn_dict.get(gr.arn as usize)).map_or("", |s| s);
        if !arn.is_empty() {
            by_arn.entry(arn).or_default().push(i as u32);
        }
    }
    for i in 0..out.sessions.len() {
        let Some(s) = out.sessions.get(i) else { continue };
        let Some(gr) = g.group(s.group) else { continue };
        let arn = arn_dict.get(gr.arn as usize).map_or("", |s| s).to_string();
        let user = user_dict.get(gr.user as usize).map_or("", |s| s).to_string();
        let link = s.link;
        let sso = role_session(&arn)
            .filter(|(role, _)| role.starts_with("AWSReservedSSO_"))
            .map(|(_, name)| name.to_string());
        let parent = if let Some(name) = sso {
            Parent::Origin(out.origin(OriginKind::SsoUser, sso_text(&stores, &name)))
        } else {
            match link {
                Link::Issue(k) => caller_of(g, out, k),
                Link::Federated(k) => {
                    match (g.issue(k).and_then(|is| is.federated_origin()), sso_issue(g, k)) {
                        // Identity Center signs its users into AWSReservedSSO_ roles with SAML:
                        // the subject is the SSO user.
                        (Some(_), Some(name)) => Parent::Origin(
                            out.origin(OriginKind::SsoUser, sso_text(&stores, &name)),
                        ),
                        (Some(o), None) => {
                            let kind = if gr.caller == Caller::Saml {
                                OriginKind::Saml
                            } else {
                                OriginKind::WebIdentity
                            };
                            Parent::Origin(out.origin(kind, o.to_string()))
                        }
                        (None, _) => Parent::None,
                    }
                }
                Link::Switch(k) => {
                    let from = g
                        .sign_in(k)
                        .and_then(|si| Some((si.time, si.facts.switch_from.as_deref()?)));
                    match from {
                        Some((time, from)) => match principal_origin(from) {
                            Some(kind) => Parent::Origin(out.origin(kind, from.to_string())),
                            None => by_arn
                                .get(from)
                                .and_then(|v| {
                                    let first = |x: u32| out.session(x).map(|s| s.first.0);
                                    v.iter()
                                        .filter(|&&x| first(x).is_some_and(|f| f <= time))
                                        .max_by_key(|&&x| first(x))
                                })
                                .map_or(Parent::None, |&x| Parent::Session(x)),
                        },
                        None => Parent::None,
                    }
                }
                Link::None => own_origin(out, gr.caller, &arn, &user, gr, &stores),
            }
        };
        if let Some(s) = out.sessions.get_mut(i) {
            s.parent = parent;
        }
    }
}

/// The SSO user an issue signs into an `AWSReservedSSO_*` role, if it does.
fn sso_issue(g: &Gathered, k: u32) -> Option<String> {
    g.issue(k)?.sso_user().map(str::to_string)
}

/// The parent of a session issued by issue `k`: the caller's session of the copy whose caller
/// is best known (has an origin of its own or a parent, and is not an `AWSAccount` stub).
fn caller_of(g: &Gathered, out: &Resolved, k: u32) -> Parent {
    let session = |row: u32| out.session_of.get(row as usize).copied();
    let score = |row: u32| {
        let Some(s) = session(row).and_then(|s| out.session(s)) else { return 0 };
        let known = g.group(s.group).is_some_and(|gr| gr.caller != Caller::Account);
        known as u8 * 2 + (s.link != Link::None) as u8
    };
    g.issue_rows(k)
        .max_by_key(|&r| score(r))
        .and_then(session)
        .map_or(Parent::None, Parent::Session)
}

/// The origin of a session nothing issued in the loaded logs, when its caller is one.
fn own_origin(
    out: &mut Resolved,
    caller: Caller,
    arn: &str,
    user: &str,
    gr: &super::gather::Group,
    stores: &Stores,
) -> Parent {
    let f = &gr.facts;
    let (kind, text) = match caller {
        Caller::IamUser => {
            let text = if arn.is_empty() {
                match (&f.account, &f.user_name) {
                    (Some(a), Some(u)) => format!("arn:aws:iam::{a}:user/{u}"),
                    _ => return Parent::None,
                }
            } else {
                arn.to_string()
            };
            (OriginKind::IamUser, text)
        }
        Caller::Root => {
            let text = if arn.is_empty() {
                match &f.account {
                    Some(a) => format!("arn:aws:iam::{a}:root"),
                    None => return Parent::None,
                }
            } else {
                arn.to_string()
            };
            (OriginKind::Root, text)
        }
        Caller::Service => {
            let name = f
                .invoked_by
                .clone()
                .or_else(|| f.principal_id.clone())
                .unwrap_or_else(|| user.to_string());
            if name.is_empty() {
                return Parent::None;
            }
            (OriginKind::Service, name)
        }
        Caller::IdentityCenter => {
            let name = f
                .user_name
                .clone()
                .or_else(|| f.sso_user_id.clone())
                .unwrap_or_else(|| user.to_string());
            if name.is_empty() {
                return Parent::None;
            }
            let text = match &f.store_id {
                Some(st) => format!("sso:{st}/{name}"),
                None => sso_text(stores, &name),
            };
            (OriginKind::SsoUser, text)
        }
        _ => return Parent::None,
    };
    Parent::Origin(out.origin(kind, text))
}

/// The identity stores the logs name: by user name, and all of them.
struct Stores {
    by_user: FxHashMap<String, String>,
    all: Vec<String>,
}

fn sso_stores(g: &Gathered, store: &Store) -> Stores {
    let mut by_user = FxHashMap::default();
    let mut all: Vec<String> = Vec::new();
    let user_dict = store.dictionary(Column::User);
    let facts = g.groups.iter().map(|gr| (&*gr.facts, gr.user)).chain(
        g.sign_ins.iter().map(|s| (&s.facts.identity, store.id(s.row as usize, Column::User))),
    );
    for (f, user) in facts {
        if let Some(st) = &f.store_id {
            if !all.contains(st) {
                all.push(st.clone());
            }
            let name = f.user_name.clone().or_else(|| {
                user_dict.get(user as usize).map(|s| s.to_string()).filter(|s| !s.is_empty())
            });
            if let Some(u) = name {
                by_user.insert(u, st.clone());
            }
        }
    }
    Stores { by_user, all }
}

/// `sso:<store>/<user>` when the logs name the user's store (or only one store), else
/// `sso:<user>`.
fn sso_text(stores: &Stores, user: &str) -> String {
    match stores.by_user.get(user).or(if stores.all.len() == 1 { stores.all.first() } else { None })
    {
        Some(st) => format!("sso:{st}/{user}"),
        None => format!("sso:{user}"),
    }
}
