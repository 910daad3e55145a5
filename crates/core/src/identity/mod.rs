//! Who is really behind every call: for each event, the session that made it and the chain of
//! sessions back to its origin (an IAM user or root, an AWS service, a SAML or web-identity
//! subject, an Identity Center user), across role hops, accounts, console sessions and
//! federation.
//!
//! # Shape, and why
//!
//! * **Reading** (`gather.rs`, `facts.rs`): rows are grouped by caller (access key, ARN,
//!   identity type and user, all column ids), and only a few records are read: one per group
//!   (its `sessionContext`, `onBehalfOf`, `invokedBy`), each successful STS call that issues
//!   credentials, each console sign-in, and the `AWSAccount` copies of cross-account calls.
//!   Each row is looked at once, as the store grows.
//! * **Resolving** (`resolve.rs`) is recomputed over all rows whenever rows were added, so
//!   files may arrive in any order: a few passes over arrays and the sessions (about 10 ms per
//!   million events; BENCHMARKS.md). A row's session is (caller group, what issued its
//!   credentials); sessions point to their parent session or to an origin.
//! * **Memory**: two `u32`s per row (group and session); everything else is per group,
//!   session or STS call.
//!
//! The rules of the resolution are the issue's: temporary credentials link to the successful
//! STS call that issued them and precede the use within their lifetime; a key issued again
//! later by another caller is another session; long-term keys belong to their user; console
//! sessions link by session ARN and creationDate; `AWSReservedSSO_*` role sessions name the SSO
//! user; copies of a cross-account call (same `sharedEventID`) are tied; where the issuing call
//! is not in the loaded logs the origin is unknown and the chain starts at the first known hop.

mod facts;
mod gather;
mod parents;
mod remote;
mod resolve;
mod table;
#[cfg(test)]
mod tests;
mod types;

pub use facts::IssueKind;
pub use remote::{IdClaims, IdGraph, Node, NodeParent, Ref};
pub use resolve::{arn_account, hop_name, role_session, MAX_HOPS};
pub use table::{CopyRow, IdTable, SharedIssue, SharedSwitch, Stub};
pub use types::{Behind, Cut, Hop, IdentityStats, Origin, OriginKind, OUTSIDE};

use gather::{Caller, Gathered, Group};
use resolve::{Link, Parent, Resolved, Scope};

use crate::role::Role;
use crate::store::{Column, Store};

/// The resolution of every row of a store, kept up to date as the store grows.
#[derive(Default)]
pub struct Identities {
    gathered: Gathered,
    resolved: Resolved,
    shared: resolve::SharedIds,
    /// This worker's place in the tab (rows it names are the tab's).
    role: Role,
    /// What the resolution links by: this store's, or the whole tab's after an exchange.
    table: IdTable,
    merged: bool,
    /// Bumped at every resolution (the first-time marks follow it).
    generation: u64,
}

impl Identities {
    pub fn new() -> Self {
        Identities::default()
    }

    /// One of several data workers: the rows it names (a hop's call) are the tab's.
    pub fn set_role(&mut self, role: Role) {
        if role != self.role {
            *self = Identities { role, ..Identities::default() };
        }
    }

    /// Reads the rows added since the last call and resolves every row again (when some were
    /// added), with this store's own table. A store that shrank (replaced) is read from the
    /// start.
    pub fn update(&mut self, store: &Store) {
        if store.len() == self.resolved.rows && self.gathered.rows == store.len() {
            return;
        }
        self.gathered.extend(store);
        self.table = IdTable::of_store(store, &self.gathered, self.role, &mut self.shared);
        self.merged = false;
        self.resolve(store);
    }

    fn resolve(&mut self, store: &Store) {
        let scope = Scope { table: &self.table, role: self.role, merged: self.merged };
        self.resolved = resolve::resolve(store, &self.gathered, scope, &mut self.shared);
        self.generation += 1;
    }

    /// This store's table, for the exchange between workers (resolved up to date first).
    pub fn table(&mut self, store: &Store) -> IdTable {
        self.update(store);
        self.table.clone()
    }

    /// Resolves again with the whole tab's table; what this worker answers for the others.
    pub fn share(&mut self, store: &Store, table: IdTable) -> IdClaims {
        self.update(store);
        self.table = table;
        self.merged = true;
        self.resolve(store);
        self.claims(store)
    }

    /// Follows the chains through the other workers' sessions (after [`Identities::share`]).
    pub fn take_graph(&mut self, graph: IdGraph) {
        if self.merged {
            self.join(graph);
            self.generation += 1;
        }
    }

    /// Changes at every resolution.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Forgets everything (the data is gone).
    pub fn clear(&mut self) {
        *self = Identities { role: self.role, ..Identities::default() };
    }

    /// The rows resolved.
    pub fn rows(&self) -> usize {
        self.resolved.rows
    }

    /// Every origin, indexed by [`Identities::origin_id`].
    pub fn origins(&self) -> &[Origin] {
        &self.resolved.origins
    }

    /// The session that made `row` (an index below [`Identities::sessions`]).
    pub fn session_of(&self, row: usize) -> Option<u32> {
        self.resolved.session_of.get(row).copied()
    }

    /// How many sessions there are.
    pub fn sessions(&self) -> usize {
        self.resolved.sessions.len()
    }

    /// Every row's session, for bulk passes (the query terms, facets).
    pub fn session_column(&self) -> &[u32] {
        &self.resolved.session_of
    }

    /// The origin of session `s`.
    pub fn session_origin(&self, s: u32) -> Option<u32> {
        self.resolved.sessions.get(s as usize).and_then(|x| x.origin)
    }

    /// The origin of `row`, as an index into [`Identities::origins`].
    pub fn origin_id(&self, row: usize) -> Option<u32> {
        self.session_of(row).and_then(|s| self.session_origin(s))
    }

    pub fn origin_of(&self, row: usize) -> Option<&Origin> {
        self.origin_id(row).and_then(|o| self.resolved.origins.get(o as usize))
    }

    /// The access key of session `s`'s credentials ("" when it has none).
    pub fn session_key<'a>(&'a self, store: &'a Store, s: u32) -> &'a str {
        if let Some(f) = self.foreign(s) {
            return &f.hop.key;
        }
        let Some(g) = self.group_of_session(s) else { return "" };
        store.dictionary(Column::AccessKey).get(g.key as usize).map_or("", |k| k)
    }

    /// Session `s` as every worker of the tab names it (its caller and the call that made its
    /// credentials, once the workers share one table): the Identities view counts sessions
    /// across workers by it.
    pub fn session_hash(&self, store: &Store, s: u32) -> u64 {
        use std::hash::{Hash, Hasher};
        if let Some(f) = self.foreign(s) {
            return f.session;
        }
        let Some(se) = self.resolved.sessions.get(s as usize) else { return 0 };
        let mut h = rustc_hash::FxHasher::default();
        self.gathered.group(se.group).map(|g| remote::caller_hash(store, g)).hash(&mut h);
        se.link.hash(&mut h);
        h.finish()
    }

    /// Another worker's session (it has no rows here).
    fn foreign(&self, s: u32) -> Option<&remote::ForeignNode> {
        let f = self.resolved.sessions.get(s as usize)?.foreign?;
        self.resolved.foreign.get(f as usize)
    }

    /// What `session:` matches and the session column shows: the access key, else
    /// `<identity>@<creation time>` for a keyless console session, else the identity.
    pub fn session_label(&self, store: &Store, s: u32) -> String {
        if let Some(f) = self.foreign(s) {
            return f.label.clone();
        }
        let key = self.session_key(store, s);
        if !key.is_empty() {
            return key.to_string();
        }
        let created = self.group_of_session(s).and_then(|g| g.created_ms);
        let id = self.identity(store, s);
        match created {
            Some(c) => format!("{id}@{}", crate::time::format_ms(c)),
            None => id,
        }
    }

    /// Session `s`'s identity as a chain names it.
    pub fn identity(&self, store: &Store, s: u32) -> String {
        if let Some(f) = self.foreign(s) {
            return f.hop.identity.clone();
        }
        let Some(se) = self.resolved.sessions.get(s as usize) else { return String::new() };
        let Some(g) = self.gathered.group(se.group) else { return String::new() };
        match g.caller {
            Caller::Service | Caller::Saml | Caller::WebIdentity | Caller::IdentityCenter => {
                if let Some(o) = se.origin.and_then(|o| self.resolved.origins.get(o as usize)) {
                    return o.text.clone();
                }
            }
            _ => {}
        }
        let arn = store.dictionary(Column::Arn).get(g.arn as usize).map_or("", |a| a);
        if !arn.is_empty() {
            return arn.to_string();
        }
        let f = &g.facts;
        f.principal_id
            .clone()
            .or_else(|| f.invoked_by.clone())
            .or_else(|| f.user_name.clone())
            .or_else(|| f.account.clone())
            .unwrap_or_else(|| {
                store.dictionary(Column::User).get(g.user as usize).map_or("", |u| u).to_string()
            })
    }

    /// The sessions from the first known one to `s` (at most [`MAX_HOPS`], none repeated).
    pub fn path(&self, s: u32) -> Vec<u32> {
        let mut out = vec![];
        let mut at = Some(s);
        while let Some(x) = at {
            if out.len() >= MAX_HOPS || out.contains(&x) {
                break;
            }
            out.push(x);
            at = match self.resolved.sessions.get(x as usize).map(|s| s.parent) {
                Some(Parent::Session(p)) => Some(p),
                _ => None,
            };
        }
        out.reverse();
        out
    }

    /// The chain as `trailglass-scan --origins` writes it: the origin (when known), then each
    /// hop's identity to the caller, consecutive repeats collapsed.
    pub fn chain_texts(&self, store: &Store, row: usize) -> Vec<String> {
        let Some(s) = self.session_of(row) else { return vec![] };
        let mut out: Vec<String> = Vec::new();
        if let Some(o) = self.origin_of(row) {
            out.push(o.text.clone());
        }
        for x in self.path(s) {
            let id = self.identity(store, x);
            if !id.is_empty() && out.last() != Some(&id) {
                out.push(id);
            }
        }
        out
    }

    /// Who is behind `row`, for the event detail.
    pub fn behind(&self, store: &Store, row: usize) -> Behind {
        let Some(s) = self.session_of(row) else { return Behind::default() };
        let cut = self.resolved.sessions.get(s as usize).and_then(|se| se.cut);
        let origin = self.origin_of(row).cloned();
        let mut source_identity = None;
        let hops: Vec<Hop> = self
            .path(s)
            .into_iter()
            .filter_map(|x| {
                let h = self.hop(store, x)?;
                if let Some(si) = self.source_identity(x) {
                    source_identity = Some(si);
                }
                Some(h)
            })
            .filter(|h| origin.as_ref().is_none_or(|o| o.text != h.identity || h.via.is_some()))
            .collect();
        let note = match (cut, &origin) {
            (Some(Cut::Loop), _) => {
                Some("the credentials lead back to themselves: chain cut".into())
            }
            (Some(Cut::TooDeep), _) => Some(format!("more than {MAX_HOPS} hops: chain cut")),
            (None, None) => Some(OUTSIDE.to_string()),
            _ => None,
        };
        Behind { origin, hops, cut, note, source_identity }
    }

    /// The caller group of session `s`.
    fn group_of_session(&self, s: u32) -> Option<&Group> {
        self.resolved.sessions.get(s as usize).and_then(|se| self.gathered.group(se.group))
    }

    /// The `sourceIdentity` session `s`'s credentials carry, if its record says.
    fn source_identity(&self, s: u32) -> Option<String> {
        if let Some(f) = self.foreign(s) {
            return f.source_identity.clone();
        }
        self.group_of_session(s)?.facts.source_identity.clone()
    }

    fn hop(&self, store: &Store, x: u32) -> Option<Hop> {
        if let Some(f) = self.foreign(x) {
            return Some(f.hop.clone());
        }
        let se = self.resolved.sessions.get(x as usize)?;
        let g = self.gathered.group(se.group)?;
        let identity = self.identity(store, x);
        let name = hop_name(&identity).to_string();
        let account =
            arn_account(&identity).map(str::to_string).or_else(|| g.facts.account.clone());
        // The call that made it, as a row of the tab, when and from where.
        let call = match se.link {
            Link::Issue(k) => {
                let is = self.table.issues.get(k as usize)?;
                // The copy whose caller is not an `AWSAccount` stub (the caller's own account).
                let row = is.rows.iter().find(|r| !r.stub).or(is.rows.first())?;
                Some((is.kind.event_name(), row.id, row.time_ms, row.ip.clone()))
            }
            Link::Switch(k) => {
                let sw = self.table.switches.get(k as usize)?;
                Some(("SwitchRole", sw.id, sw.time_ms, sw.ip.clone()))
            }
            Link::Federated(_) | Link::None => None,
        };
        let (via, via_row, time_ms, source_ip) = match call {
            Some((via, row, time, ip)) => (Some(via.to_string()), Some(row), time, ip),
            None => {
                let at = se.first.1 as usize;
                let all = (se.link == Link::None)
                    .then(|| self.resolved.firsts.get(&remote::caller_hash(store, g)))
                    .flatten();
                match all {
                    Some((t, ip)) => (None, None, Some(*t), ip.clone()),
                    None => {
                        (None, None, store.time_ms(at), store.get(at, Column::SourceIp).to_string())
                    }
                }
            }
        };
        Some(Hop {
            identity,
            name,
            account,
            key: self.session_key(store, x).to_string(),
            via,
            via_row,
            time_ms,
            source_ip,
        })
    }

    /// Records read beyond the columns so far, and the resolver's bytes.
    pub fn stats(&self) -> IdentityStats {
        let r = &self.resolved;
        let (per_row, groups, issues) = self.gathered.bytes();
        IdentityStats {
            reads: self.gathered.reads,
            row_bytes: per_row + r.session_of.capacity() * 4,
            group_bytes: groups,
            issue_bytes: issues,
            session_bytes: r.sessions.capacity() * std::mem::size_of::<resolve::Session>()
                + r.origins.iter().map(|o| o.text.len() + o.name.len() + 64).sum::<usize>()
                + self.shared.capacity() * 16,
        }
    }
}
