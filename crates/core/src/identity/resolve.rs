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

use super::gather::{key_hash, Caller, Gathered};
use super::remote::{ForeignNode, Ref};
use super::table::IdTable;
use super::{Cut, Origin, OriginKind};
use crate::role::Role;
use crate::store::{Column, RawReader, Store};

/// The session of a row that has none (it never happens: every row read has a group).
pub(crate) const NO_SESSION: u32 = u32::MAX;

/// The longest chain followed; a deeper one is cut and says so.
pub const MAX_HOPS: usize = 16;

/// Tolerance for a use logged a little before the call that issued its credentials (the two
/// are logged by different services' clocks).
const SKEW_MS: i64 = 2_000;

/// How a session's credentials were made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Link {
    /// By an issue (index into `IdTable::issues`).
    Issue(u32),
    /// By a console role switch (index into `IdTable::switches`).
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
    /// A session of another data worker's, which the exchange names (`super::remote`).
    Remote(Ref),
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
    /// A session of another worker's (index into `Resolved::foreign`): it has no rows here.
    pub(crate) foreign: Option<u32>,
}

/// The resolution of every row.
#[derive(Default)]
pub(crate) struct Resolved {
    pub(crate) rows: usize,
    pub(crate) session_of: Vec<u32>,
    pub(crate) sessions: Vec<Session>,
    pub(crate) origins: Vec<Origin>,
    origin_map: FxHashMap<String, u32>,
    /// Other workers' sessions a chain here goes through.
    pub(crate) foreign: Vec<ForeignNode>,
    /// The `AWSAccount` copies no row here ties to (another worker may hold the caller's copy).
    pub(crate) untied: Vec<u32>,
    /// After the exchange: the first event (time, address) of each session nothing made, over
    /// all workers, by its caller's hash (`super::remote::caller_hash`).
    pub(crate) firsts: FxHashMap<u64, (i64, String)>,
}

impl Resolved {
    pub(super) fn origin(&mut self, kind: OriginKind, text: String) -> u32 {
        if let Some(&i) = self.origin_map.get(&text) {
            return i;
        }
        let i = self.origins.len() as u32;
        self.origins.push(Origin::new(kind, text.clone()));
        self.origin_map.insert(text, i);
        i
    }

    pub(super) fn session(&self, s: u32) -> Option<&Session> {
        self.sessions.get(s as usize)
    }
}

/// A role session ARN's role and session names
/// (`arn:aws:sts::1:assumed-role/Role/session` → (`Role`, `session`)).
pub fn role_session(arn: &str) -> Option<(&str, &str)> {
    arn.split_once(":assumed-role/")?.1.split_once('/')
}

/// The account of an ARN (`arn:aws:iam::123:user/x` → `123`).
/// `None` for anything that is not an ARN (`saml:…`, `web:…` origins have colons too).
pub fn arn_account(arn: &str) -> Option<&str> {
    let a = arn.strip_prefix("arn:")?.split(':').nth(3)?;
    (!a.is_empty()).then_some(a)
}

/// The name a person reads for a hop's identity: a role session's role, else the last part of
/// the ARN (or the whole identity).
pub fn hop_name(identity: &str) -> &str {
    match role_session(identity) {
        Some((role, _)) => role,
        None => identity.rsplit('/').next().unwrap_or(identity),
    }
}

/// Issues by the hash of the key they issued and of the session ARN they made, role switches
/// by the session they switched into.
struct Lookups<'a> {
    by_key: FxHashMap<u64, Vec<u32>>,
    by_session_arn: FxHashMap<u64, Vec<u32>>,
    switches: FxHashMap<&'a str, Vec<u32>>,
}

fn lookups(t: &IdTable) -> Lookups<'_> {
    let mut by_key: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    let mut by_session_arn: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (i, is) in t.issues.iter().enumerate() {
        by_key.entry(is.key).or_default().push(i as u32);
        if is.session_arn != 0 {
            by_session_arn.entry(is.session_arn).or_default().push(i as u32);
        }
    }
    for v in by_key.values_mut().chain(by_session_arn.values_mut()) {
        v.sort_by_key(|&i| t.issues.get(i as usize).map_or(i64::MIN, |is| is.time));
    }
    let mut switches: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for (i, s) in t.switches.iter().enumerate() {
        switches.entry(s.arn.as_str()).or_default().push(i as u32);
    }
    Lookups { by_key, by_session_arn, switches }
}

/// The issue of `list` (sorted by time) whose credentials `t` uses.
fn issue_at(tb: &IdTable, list: &[u32], t: i64) -> Option<u32> {
    let issue = |i: u32| tb.issues.get(i as usize);
    if t == i64::MIN {
        return if list.len() == 1 { list.first().copied() } else { None };
    }
    let end = list.partition_point(|&i| issue(i).is_some_and(|is| is.time - SKEW_MS <= t));
    let before = list.get(..end).unwrap_or(&[]);
    before
        .iter()
        .rev()
        .copied()
        .find(|&i| issue(i).is_some_and(|is| t <= is.time.saturating_add(is.lifetime_ms)))
}

/// The link of a console session with no issued key: by (session ARN, creationDate), the STS
/// call that made that session at that time, else the role switch into it.
fn console_link(tb: &IdTable, l: &Lookups<'_>, arn: &str, created: Option<i64>) -> Link {
    let Some(c) = created else { return Link::None };
    if let Some(list) = l.by_session_arn.get(&key_hash(arn)) {
        if let Some(&i) = list
            .iter()
            .find(|&&i| tb.issues.get(i as usize).is_some_and(|is| (is.time - c).abs() <= SKEW_MS))
        {
            return Link::Issue(i);
        }
    }
    if let Some(list) = l.switches.get(arn) {
        let switch = |i: u32| tb.switches.get(i as usize);
        let best = list
            .iter()
            .filter(|&&i| {
                switch(i).is_some_and(|s| s.created_ms.map_or(s.time <= c + SKEW_MS, |x| x == c))
            })
            .max_by_key(|&&i| switch(i).map_or(i64::MIN, |s| s.time));
        if let Some(&i) = best {
            return Link::Switch(i);
        }
    }
    Link::None
}

/// How a resolution sees the rest of the role: its table (this store's or, after the exchange,
/// the whole role's) and this worker's place in it.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub(crate) table: &'a IdTable,
    pub(crate) role: Role,
    /// The table is the whole role's: what another worker may hold is left to the exchange.
    pub(crate) merged: bool,
}

/// Every row's session, every session's parent and origin.
pub(crate) fn resolve(
    store: &Store,
    g: &Gathered,
    scope: Scope<'_>,
    shared: &mut SharedIds,
) -> Resolved {
    let tb = scope.table;
    let l = lookups(tb);
    let n = g.rows;
    let mut out = Resolved { rows: n, ..Resolved::default() };
    let key_dict = store.dictionary(Column::AccessKey);
    let arn_dict = store.dictionary(Column::Arn);
    // Per group: the hash of its access key, and the link of all its rows (None when it
    // depends on the row).
    let keys: Vec<u64> = g
        .groups
        .iter()
        .map(|gr| {
            key_dict.get(gr.key as usize).filter(|k| !k.is_empty()).map_or(0, |k| key_hash(k))
        })
        .collect();
    let fixed: Vec<Option<Link>> = g
        .groups
        .iter()
        .zip(&keys)
        .map(|(gr, &key)| {
            if key != 0 && l.by_key.contains_key(&key) {
                return None;
            }
            if matches!(gr.caller, Caller::Saml | Caller::WebIdentity) {
                return None;
            }
            let arn = arn_dict.get(gr.arn as usize).map_or("", |s| s);
            if gr.caller == Caller::AssumedRole && !arn.is_empty() {
                return Some(console_link(tb, &l, arn, gr.created_ms));
            }
            Some(Link::None)
        })
        .collect();
    // The federated callers' rows (`SAMLUser`, `WebIdentityUser`): the issue of their own call.
    let mut federated: FxHashMap<u32, u32> = FxHashMap::default();
    for (i, is) in tb.issues.iter().enumerate() {
        if matches!(
            is.kind,
            super::IssueKind::AssumeRoleWithSaml | super::IssueKind::AssumeRoleWithWebIdentity
        ) {
            for r in is.rows.iter().filter_map(|c| scope.role.local(c.id)) {
                federated.insert(r, i as u32);
            }
        }
    }
    let mut map: FxHashMap<(u32, Link), u32> = FxHashMap::default();
    let mut last: Vec<Option<(Link, u32)>> = vec![None; g.groups.len()];
    out.session_of.reserve(n);
    let times = store.times();
    let callers = store.column(Column::AccessKey).iter().zip(store.column(Column::Arn));
    let callers = callers.zip(store.column(Column::IdentityType)).zip(store.column(Column::User));
    for (r, ((((&k, &a), &ty), &u), &t)) in callers.zip(times).enumerate().take(n) {
        // Every row has a group (made when it was gathered); a row without one has no session.
        let found = g.group_at((k, a, ty, u)).and_then(|gi| {
            Some((gi, g.group(gi)?, fixed.get(gi as usize)?, keys.get(gi as usize)?))
        });
        let (Some((gi, gr, &fixed_link, &key)), Some(last_session)) =
            (found, found.and_then(|(gi, ..)| last.get_mut(gi as usize)))
        else {
            out.session_of.push(NO_SESSION);
            continue;
        };
        let link = match fixed_link {
            Some(link) => link,
            None => match gr.caller {
                Caller::Saml | Caller::WebIdentity => {
                    federated.get(&(r as u32)).map_or(Link::None, |&i| Link::Federated(i))
                }
                _ => l
                    .by_key
                    .get(&key)
                    .and_then(|list| issue_at(tb, list, t))
                    .map_or(Link::None, Link::Issue),
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
                        foreign: None,
                    });
                    out.sessions.len() as u32 - 1
                });
                *last_session = Some((link, s));
                s
            }
        };
        if let Some(se) = out.sessions.get_mut(s as usize) {
            if (t, r as u32) < se.first && t != i64::MIN {
                se.first = (t, r as u32);
            }
        }
        out.session_of.push(s);
    }
    tie_copies(store, g, shared, &mut out, scope.merged);
    super::parents::parents(store, g, scope, &mut out);
    origins(&mut out);
    out
}

/// The sharedEventIDs read so far, by row (as a hash; `None`: the record has none): only the
/// rows that may be copies of one call are read, once.
pub(crate) type SharedIds = FxHashMap<u32, Option<u64>>;

pub(crate) fn shared_id(raws: &mut RawReader<'_>, cache: &mut SharedIds, row: u32) -> Option<u64> {
    *cache.entry(row).or_insert_with(|| {
        super::facts::read_identity(raws.get(row as usize))
            .and_then(|f| f.shared_event)
            .map(|id| super::gather::key_hash(&id))
    })
}

/// An `AWSAccount` caller (the copy of a cross-account call in the resource owner's account)
/// takes the session of the copy in the caller's account: the row with the same time,
/// eventName and sharedEventID whose caller is not an `AWSAccount` stub. Records are read only
/// for rows that share a time and eventName with such a caller. With the role's table, the
/// copies left untied are noted for the exchange.
fn tie_copies(store: &Store, g: &Gathered, cache: &mut SharedIds, out: &mut Resolved, note: bool) {
    if g.accounts.is_empty() {
        return;
    }
    let mut tied: rustc_hash::FxHashSet<u32> = rustc_hash::FxHashSet::default();
    let times = store.times();
    let actions = store.column(Column::Action);
    let mut wanted: FxHashMap<(i64, u32), Vec<u32>> = FxHashMap::default();
    for &r in &g.accounts {
        let (Some(&t), Some(&a)) = (times.get(r as usize), actions.get(r as usize)) else {
            continue;
        };
        wanted.entry((t, a)).or_default().push(r);
    }
    let mut raws = store.raw_reader();
    for (r, (&t, &a)) in times.iter().zip(actions).enumerate().take(out.rows) {
        let Some(stubs) = wanted.get(&(t, a)) else { continue };
        let group = g.group_at(super::gather::caller_of_row(store, r));
        if group.and_then(|x| g.group(x)).is_none_or(|gr| gr.caller == Caller::Account) {
            continue;
        }
        let Some(id) = shared_id(&mut raws, cache, r as u32) else { continue };
        let Some(&s) = out.session_of.get(r) else { continue };
        for &stub in stubs {
            if shared_id(&mut raws, cache, stub) == Some(id) {
                if let Some(x) = out.session_of.get_mut(stub as usize) {
                    *x = s;
                    tied.insert(stub);
                }
            }
        }
    }
    if note {
        out.untied = g.accounts.iter().copied().filter(|r| !tied.contains(r)).collect();
    }
}

/// Follows the parents to the origins, iteratively, cutting loops and chains deeper than
/// [`MAX_HOPS`].
pub(crate) fn origins(out: &mut Resolved) {
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
                Parent::Remote(_) | Parent::None => break (None, 0, None),
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
