//! From the gathered facts to every row's session and every session's origin: recomputed over
//! all rows whenever rows were added (out-of-order delivery only changes what is known, never
//! what was read), in a few passes over arrays.
//!
//! 1. A row's session is its caller group and the link that made its credentials: the latest
//!    successful issue of its access key that precedes it within its lifetime (a key seen again
//!    after expiry with another issuer is another session); without one, a console session's
//!    (ARN, creationDate) names the STS call or the role switch that made it.
//! 2. A session's parent is the session of the call that issued it (the copy of a cross-account
//!    call whose caller is best known), or an origin of its own: an IAM user or root, an AWS
//!    service, a SAML or web-identity subject, an Identity Center user.
//! 3. Origins follow the parents, iteratively (a crafted chain cannot overflow a stack), cut at
//!    [`MAX_HOPS`] hops or at a loop.

use rustc_hash::FxHashMap;

use super::gather::{Caller, Gathered};
use super::{Cut, Origin, OriginKind};
use crate::store::{Column, Store};

/// The longest chain followed; a deeper one is cut and says so.
pub const MAX_HOPS: usize = 16;

/// Tolerance for a use logged a little before the call that issued its credentials (the two
/// are logged by different services' clocks).
const SKEW_MS: i64 = 2_000;

/// How a session's credentials were made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Link {
    /// By an issue (index into `Gathered::issues`).
    Issue(u32),
    /// By a console role switch (index into `Gathered::sign_ins`).
    Switch(u32),
    /// A federated caller (SAMLUser, WebIdentityUser) of the issue of its row.
    Federated(u32),
    /// Nothing in the loaded logs says.
    None,
}

/// Where a session comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parent {
    Session(u32),
    Origin(u32),
    None,
}

#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub(crate) group: u32,
    pub(crate) link: Link,
    pub(crate) parent: Parent,
    pub(crate) origin: Option<u32>,
    /// Hops from the first known one to this session (1 = no known parent session).
    pub(crate) depth: u32,
    pub(crate) cut: Option<Cut>,
    /// The session's earliest row (time, row).
    pub(crate) first: (i64, u32),
    pub(crate) rows: u32,
}

/// The resolution of every row.
#[derive(Default)]
pub(crate) struct Resolved {
    pub(crate) rows: usize,
    pub(crate) session_of: Vec<u32>,
    pub(crate) sessions: Vec<Session>,
    pub(crate) origins: Vec<Origin>,
    origin_map: FxHashMap<String, u32>,
}

impl Resolved {
    fn origin(&mut self, kind: OriginKind, text: String) -> u32 {
        if let Some(&i) = self.origin_map.get(&text) {
            return i;
        }
        let i = self.origins.len() as u32;
        self.origins.push(Origin::new(kind, text.clone()));
        self.origin_map.insert(text, i);
        i
    }

    fn session(&self, s: u32) -> Option<&Session> {
        self.sessions.get(s as usize)
    }
}

/// A role session ARN's role and session names
/// (`arn:aws:sts::1:assumed-role/Role/session` → (`Role`, `session`)).
pub(crate) fn role_session(arn: &str) -> Option<(&str, &str)> {
    arn.split_once(":assumed-role/")?.1.split_once('/')
}

/// The account of an ARN (`arn:aws:iam::123:user/x` → `123`).
pub(crate) fn arn_account(arn: &str) -> Option<&str> {
    let a = arn.split(':').nth(4)?;
    (!a.is_empty()).then_some(a)
}

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

struct Lookups<'a> {
    by_key: FxHashMap<&'a str, Vec<u32>>,
    by_session_arn: FxHashMap<&'a str, Vec<u32>>,
    switches: FxHashMap<&'a str, Vec<u32>>,
}

fn lookups<'a>(store: &'a Store, g: &'a Gathered) -> Lookups<'a> {
    let mut by_key: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    let mut by_session_arn: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for (i, is) in g.issues.iter().enumerate() {
        by_key.entry(is.facts.key.as_str()).or_default().push(i as u32);
        if let Some(a) = &is.facts.session_arn {
            by_session_arn.entry(a.as_str()).or_default().push(i as u32);
        }
    }
    for v in by_key.values_mut().chain(by_session_arn.values_mut()) {
        v.sort_by_key(|&i| g.issue(i).map_or(i64::MIN, |is| is.time));
    }
    let mut switches: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for (i, s) in g.sign_ins.iter().enumerate() {
        let arn = store.get(s.row as usize, Column::Arn);
        if s.facts.switch_from.is_some() && !arn.is_empty() {
            switches.entry(arn).or_default().push(i as u32);
        }
    }
    Lookups { by_key, by_session_arn, switches }
}

/// The issue of `list` (sorted by time) whose credentials `t` uses.
fn issue_at(g: &Gathered, list: &[u32], t: i64) -> Option<u32> {
    if t == i64::MIN {
        return if list.len() == 1 { list.first().copied() } else { None };
    }
    let end = list.partition_point(|&i| g.issue(i).is_some_and(|is| is.time - SKEW_MS <= t));
    let before = list.get(..end).unwrap_or(&[]);
    before
        .iter()
        .rev()
        .copied()
        .find(|&i| g.issue(i).is_some_and(|is| t <= is.time.saturating_add(is.facts.lifetime_ms)))
}

/// The link of a console session with no issued key: by (session ARN, creationDate), the STS
/// call that made that session at that time, else the role switch into it.
fn console_link(g: &Gathered, l: &Lookups<'_>, arn: &str, created: Option<i64>) -> Link {
    let Some(c) = created else { return Link::None };
    if let Some(list) = l.by_session_arn.get(arn) {
        if let Some(&i) =
            list.iter().find(|&&i| g.issue(i).is_some_and(|is| (is.time - c).abs() <= SKEW_MS))
        {
            return Link::Issue(i);
        }
    }
    if let Some(list) = l.switches.get(arn) {
        let best = list
            .iter()
            .filter(|&&i| {
                g.sign_in(i).is_some_and(|s| {
                    s.facts.identity.created_ms.map_or(s.time <= c + SKEW_MS, |x| x == c)
                })
            })
            .max_by_key(|&&i| g.sign_in(i).map_or(i64::MIN, |s| s.time));
        if let Some(&i) = best {
            return Link::Switch(i);
        }
    }
    Link::None
}

/// Every row's session, every session's parent and origin.
pub(crate) fn resolve(store: &Store, g: &Gathered) -> Resolved {
    let l = lookups(store, g);
    let n = g.rows;
    let mut out = Resolved { rows: n, ..Resolved::default() };
    let key_dict = store.dictionary(Column::AccessKey);
    let arn_dict = store.dictionary(Column::Arn);
    // Per group: the link of all its rows, or None when it depends on the row.
    let fixed: Vec<Option<Link>> = g
        .groups
        .iter()
        .map(|gr| {
            let key = key_dict.get(gr.key as usize).map_or("", |s| s);
            if !key.is_empty() && l.by_key.contains_key(key) {
                return None;
            }
            if matches!(gr.caller, Caller::Saml | Caller::WebIdentity) {
                return None;
            }
            let arn = arn_dict.get(gr.arn as usize).map_or("", |s| s);
            if gr.caller == Caller::AssumedRole && !arn.is_empty() {
                return Some(console_link(g, &l, arn, gr.facts.created_ms));
            }
            Some(Link::None)
        })
        .collect();
    let mut map: FxHashMap<(u32, Link), u32> = FxHashMap::default();
    let mut last: Vec<Option<(Link, u32)>> = vec![None; g.groups.len()];
    out.session_of.reserve(n);
    let times = store.times();
    for (r, (&gi, &t)) in g.group_of.iter().zip(times).enumerate().take(n) {
        let (Some(gr), Some(&fixed_link), Some(last_session)) =
            (g.group(gi), fixed.get(gi as usize), last.get_mut(gi as usize))
        else {
            continue;
        };
        let link = match fixed_link {
            Some(link) => link,
            None => match gr.caller {
                Caller::Saml | Caller::WebIdentity => {
                    g.issue_of_row.get(&(r as u32)).map_or(Link::None, |&i| Link::Federated(i))
                }
                _ => {
                    let key = key_dict.get(gr.key as usize).map_or("", |s| s);
                    l.by_key
                        .get(key)
                        .and_then(|list| issue_at(g, list, t))
                        .map_or(Link::None, Link::Issue)
                }
            },
        };
        let s = match *last_session {
            Some((k, s)) if k == link => s,
            _ => {
                let s = *map.entry((gi, link)).or_insert_with(|| {
                    out.sessions.push(Session {
                        group: gi,
                        link,
                        parent: Parent::None,
                        origin: None,
                        depth: 0,
                        cut: None,
                        first: (t, r as u32),
                        rows: 0,
                    });
                    out.sessions.len() as u32 - 1
                });
                *last_session = Some((link, s));
                s
            }
        };
        if let Some(se) = out.sessions.get_mut(s as usize) {
            se.rows += 1;
            if (t, r as u32) < se.first && t != i64::MIN {
                se.first = (t, r as u32);
            }
        }
        out.session_of.push(s);
    }
    tie_copies(store, g, &mut out);
    parents(store, g, &mut out);
    origins(&mut out);
    out
}

/// An `AWSAccount` caller (the copy of a cross-account call in the resource owner's account)
/// takes the session of the copy in the caller's account: the row with the same sharedEventID,
/// time and eventName whose caller is not an `AWSAccount` stub.
fn tie_copies(store: &Store, g: &Gathered, out: &mut Resolved) {
    if g.shared.is_empty() {
        return;
    }
    let times = store.times();
    let actions = store.column(Column::Action);
    let mut wanted: FxHashMap<(i64, u32), Vec<usize>> = FxHashMap::default();
    for (k, &(r, _)) in g.shared.iter().enumerate() {
        let (Some(&t), Some(&a)) = (times.get(r as usize), actions.get(r as usize)) else {
            continue;
        };
        wanted.entry((t, a)).or_default().push(k);
    }
    for (r, (&t, &a)) in times.iter().zip(actions).enumerate().take(out.rows) {
        let Some(ks) = wanted.get(&(t, a)) else { continue };
        if g.group_of_row(r).is_none_or(|gr| gr.caller == Caller::Account) {
            continue;
        }
        let Some(id) = super::facts::read_identity(store.raw(r)).and_then(|f| f.shared_event)
        else {
            continue;
        };
        let Some(&s) = out.session_of.get(r) else { continue };
        for &k in ks {
            let Some((row, want)) = g.shared.get(k) else { continue };
            if *want == id {
                if let Some(x) = out.session_of.get_mut(*row as usize) {
                    *x = s;
                }
            }
        }
    }
}

fn parents(store: &Store, g: &Gathered, out: &mut Resolved) {
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
                Link::Federated(k) => match (
                    g.issue(k).and_then(|is| is.facts.federated_origin.as_ref()),
                    sso_issue(g, k),
                ) {
                    // Identity Center signs its users into AWSReservedSSO_ roles with SAML:
                    // the subject is the SSO user.
                    (Some(_), Some(name)) => {
                        Parent::Origin(out.origin(OriginKind::SsoUser, sso_text(&stores, &name)))
                    }
                    (Some(o), None) => {
                        let kind = if gr.caller == Caller::Saml {
                            OriginKind::Saml
                        } else {
                            OriginKind::WebIdentity
                        };
                        Parent::Origin(out.origin(kind, o.clone()))
                    }
                    (None, _) => Parent::None,
                },
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
    let arn = g.issues.get(k as usize)?.facts.session_arn.as_deref()?;
    role_session(arn)
        .filter(|(role, _)| role.starts_with("AWSReservedSSO_"))
        .map(|(_, name)| name.to_string())
}

/// The parent of a session issued by issue `k`: the caller's session of the copy whose caller
/// is best known (has an origin of its own or a parent, and is not an `AWSAccount` stub).
fn caller_of(g: &Gathered, out: &Resolved, k: u32) -> Parent {
    let Some(is) = g.issue(k) else { return Parent::None };
    let session = |row: u32| out.session_of.get(row as usize).copied();
    let score = |row: u32| {
        let Some(s) = session(row).and_then(|s| out.session(s)) else { return 0 };
        let known = g.group(s.group).is_some_and(|gr| gr.caller != Caller::Account);
        known as u8 * 2 + (s.link != Link::None) as u8
    };
    is.rows
        .iter()
        .copied()
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
    let facts = g.groups.iter().map(|gr| (&gr.facts, gr.user)).chain(
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

/// Follows the parents to the origins, iteratively, cutting loops and chains deeper than
/// [`MAX_HOPS`].
fn origins(out: &mut Resolved) {
    const TODO: u32 = 0;
    const BUSY: u32 = u32::MAX;
    let n = out.sessions.len();
    let mut path: Vec<u32> = Vec::new();
    for start in 0..n {
        if out.sessions.get(start).is_none_or(|s| s.depth != TODO) {
            continue;
        }
        path.clear();
        let mut at = start as u32;
        // Walk up until a resolved session, an origin, nothing, or a loop.
        let (mut origin, mut depth, mut cut) = loop {
            let Some(s) = out.sessions.get_mut(at as usize) else { break (None, 0, None) };
            if s.depth == BUSY {
                break (None, 0, Some(Cut::Loop));
            }
            if s.depth != TODO {
                break (s.origin, s.depth, s.cut);
            }
            s.depth = BUSY;
            path.push(at);
            match s.parent {
                Parent::Session(p) => at = p,
                Parent::Origin(o) => break (Some(o), 0, None),
                Parent::None => break (None, 0, None),
            }
        };
        for &s in path.iter().rev() {
            depth += 1;
            if depth as usize > MAX_HOPS && cut.is_none() {
                cut = Some(Cut::TooDeep);
            }
            if cut.is_some() {
                origin = None;
            }
            if let Some(se) = out.sessions.get_mut(s as usize) {
                se.depth = depth;
                se.origin = origin;
                se.cut = cut;
            }
        }
    }
}
