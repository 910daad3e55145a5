//! Step 2 of the resolution: every session's parent. A session issued by an STS call comes from
//! the session of that call's caller (the copy of a cross-account call whose caller is best
//! known); a console role switch from the principal that switched; a session nothing issued in
//! the loaded logs is an origin of its own when its caller is one (an IAM user or root, an AWS
//! service, an Identity Center user) and unknown otherwise. `AWSReservedSSO_*` role sessions
//! (and the SAML calls that make them) name the SSO user.

use rustc_hash::FxHashMap;

use super::gather::{Caller, Gathered};
use super::remote::Ref;
use super::resolve::{role_session, Link, Parent, Resolved, Scope};
use super::table::IdTable;
use super::OriginKind;
use crate::store::{Column, Store};

/// The origin of a principal ARN named outside a session (a role switch's `SwitchFrom`).
pub(super) fn principal_origin(arn: &str) -> Option<OriginKind> {
    if arn.starts_with("arn:") && arn.contains(":user/") {
        Some(OriginKind::IamUser)
    } else if arn.starts_with("arn:") && arn.ends_with(":root") {
        Some(OriginKind::Root)
    } else {
        None
    }
}

pub(super) fn parents(store: &Store, g: &Gathered, scope: Scope<'_>, out: &mut Resolved) {
    let arn_dict = store.dictionary(Column::Arn);
    let user_dict = store.dictionary(Column::User);
    let stores = scope.table;
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
            Parent::Origin(out.origin(OriginKind::SsoUser, stores.sso_text(&name)))
        } else {
            match link {
                Link::Issue(k) => caller_of(g, scope, out, k),
                Link::Federated(k) => {
                    let issue = stores.issues.get(k as usize);
                    let fed = issue.and_then(|is| is.federated_origin.as_deref());
                    match (fed, issue.and_then(|is| is.sso_user.clone())) {
                        // Identity Center signs its users into AWSReservedSSO_ roles with SAML:
                        // the subject is the SSO user.
                        (Some(_), Some(name)) => {
                            Parent::Origin(out.origin(OriginKind::SsoUser, stores.sso_text(&name)))
                        }
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
                    let from = stores.switches.get(k as usize).map(|si| (si.time, &*si.from));
                    match from {
                        Some((time, from)) => match principal_origin(from) {
                            Some(kind) => Parent::Origin(out.origin(kind, from.to_string())),
                            // The session switched from may be any worker's.
                            None if scope.merged => Parent::Remote(Ref::Switch(k)),
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
                Link::None => own_origin(out, gr.caller, &arn, &user, gr, stores),
            }
        };
        if let Some(s) = out.sessions.get_mut(i) {
            s.parent = parent;
        }
    }
}

/// How well a copy's caller is known: not an `AWSAccount` stub (2), with a link (1).
pub(super) fn score(g: &Gathered, out: &Resolved, row: u32) -> u8 {
    let Some(s) = out.session_of.get(row as usize).and_then(|&s| out.session(s)) else {
        return 0;
    };
    let known = g.group(s.group).is_some_and(|gr| gr.caller != Caller::Account);
    known as u8 * 2 + (s.link != Link::None) as u8
}

/// The parent of a session issued by issue `k`: the caller's session of the copy whose caller
/// is best known (has an origin of its own or a parent, and is not an `AWSAccount` stub); left
/// to the exchange when another worker holds a copy.
fn caller_of(g: &Gathered, scope: Scope<'_>, out: &Resolved, k: u32) -> Parent {
    let Some(is) = scope.table.issues.get(k as usize) else { return Parent::None };
    let local: Option<Vec<u32>> = is.rows.iter().map(|c| scope.role.local(c.id)).collect();
    let Some(local) = local else { return Parent::Remote(Ref::Issue(k)) };
    local
        .into_iter()
        .max_by_key(|&r| score(g, out, r))
        .and_then(|r| out.session_of.get(r as usize).copied())
        .map_or(Parent::None, Parent::Session)
}

/// The origin of a session nothing issued in the loaded logs, when its caller is one.
fn own_origin(
    out: &mut Resolved,
    caller: Caller,
    arn: &str,
    user: &str,
    gr: &super::gather::Group,
    stores: &IdTable,
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
                None => stores.sso_text(&name),
            };
            (OriginKind::SsoUser, text)
        }
        _ => return Parent::None,
    };
    Parent::Origin(out.origin(kind, text))
}
