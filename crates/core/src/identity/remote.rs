//! The chains that cross data workers. With the role's table (`super::table`) every worker
//! links its own rows; what it cannot finish alone is a parent another worker holds: the caller
//! of an issue whose copies it does not all hold, the session a console role switch came from,
//! the caller's copy of an `AWSAccount` copy. The exchange, after the table:
//!
//! 1. Every worker *claims* what it can answer ([`IdClaims`]): for each issue it holds a copy
//!    of (another worker's rows may use its key), that copy's caller session and how well it
//!    is known; its
//!    sessions of each ARN a role switch came from, with their first time; the caller's copies
//!    of other workers' `AWSAccount` copies. Each claimed session goes with its chain up to its
//!    first parent this worker does not hold ([`Node`]s).
//! 2. The merge picks, for each such parent, the claim one engine would have picked
//!    ([`IdGraph::of`]).
//! 3. Every worker adds the other workers' sessions its chains go through as sessions without
//!    rows of its own, and follows the chains to their origins again ([`Identities::join`]).

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::gather::dict_id;
use super::resolve::{origins, shared_id, Link, Parent, Resolved, Session};
use super::table::IdTable;
use super::{Hop, Identities, Origin, MAX_HOPS};
use crate::role::Role;
use crate::store::{Column, Store};

/// A parent another worker may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Ref {
    /// The caller of the role's issue (index into `IdTable::issues`).
    Issue(u32),
    /// The session a role switch came from (index into `IdTable::switches`).
    Switch(u32),
    /// The caller's copy of the `AWSAccount` copy at this row of the role.
    Stub(u32),
}

/// A session's parent as it leaves its worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeParent {
    Origin(Origin),
    Node(u64),
    Remote(Ref),
    None,
}

/// One worker's session, for the chains of the others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// `worker << 32 | session`.
    pub id: u64,
    pub hop: Hop,
    /// What `session:` matches.
    pub label: String,
    /// The session as every worker names it ([`Identities::session_hash`]).
    pub session: u64,
    pub source_identity: Option<String>,
    pub parent: NodeParent,
    /// A session nothing in the logs made: its hop shows its first event, the earliest of all
    /// workers' (by [`caller_hash`]).
    pub first_key: Option<u64>,
}

/// What one worker can answer for the others.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdClaims {
    pub nodes: Vec<Node>,
    /// (issue, how well the copy's caller is known, the copy's row, its caller's session).
    pub issues: Vec<(u32, u8, u32, u64)>,
    /// (ARN, the session's first time, the session).
    pub arns: Vec<(String, i64, u64)>,
    /// (the `AWSAccount` copy's row, the caller copy's session).
    pub stubs: Vec<(u32, u64)>,
    /// The first event of each session nothing in the logs made: (its caller's
    /// [`caller_hash`], time, row of the role, source address).
    pub firsts: Vec<(u64, i64, u32, String)>,
}

/// Every claimed session and, for each parent asked, the one chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdGraph {
    pub nodes: Vec<Node>,
    pub refs: Vec<(Ref, u64)>,
    /// The earliest first event of each session nothing made, over all workers.
    pub firsts: Vec<(u64, i64, String)>,
}

/// Another worker's session as this worker keeps it.
#[derive(Clone, Debug)]
pub(crate) struct ForeignNode {
    pub(crate) hop: Hop,
    pub(crate) label: String,
    pub(crate) session: u64,
    pub(crate) source_identity: Option<String>,
}

fn node_id(role: Role, s: u32) -> u64 {
    (u64::from(role.index) << 32) | u64::from(s)
}

impl IdGraph {
    /// The parents chosen from every worker's claims, as one engine holding every row chooses
    /// them: an issue's caller from the copy best known (the later copy on a tie); a role
    /// switch's from the latest session of that ARN that began before it; an `AWSAccount` copy's
    /// from the first caller's copy found.
    pub fn of(table: &IdTable, claims: Vec<IdClaims>) -> IdGraph {
        let mut out = IdGraph::default();
        let mut issues: FxHashMap<u32, (u8, usize, u64)> = FxHashMap::default();
        let mut arns: FxHashMap<String, Vec<(i64, u64)>> = FxHashMap::default();
        let mut stubs: FxHashMap<u32, u64> = FxHashMap::default();
        let mut firsts: FxHashMap<u64, (i64, u32, String)> = FxHashMap::default();
        for c in claims {
            out.nodes.extend(c.nodes);
            for (key, t, row, ip) in c.firsts {
                let e = firsts.entry(key).or_insert((t, row, String::new()));
                if (t, row) <= (e.0, e.1) {
                    *e = (t, row, ip);
                }
            }
            for (k, score, row, node) in c.issues {
                let pos = table
                    .issues
                    .get(k as usize)
                    .and_then(|is| is.rows.iter().position(|r| r.id == row))
                    .unwrap_or(0);
                let e = issues.entry(k).or_insert((score, pos, node));
                if (score, pos) >= (e.0, e.1) {
                    *e = (score, pos, node);
                }
            }
            for (arn, first, node) in c.arns {
                arns.entry(arn).or_default().push((first, node));
            }
            for (row, node) in c.stubs {
                stubs.entry(row).or_insert(node);
            }
        }
        let mut refs: Vec<(Ref, u64)> =
            issues.into_iter().map(|(k, (_, _, n))| (Ref::Issue(k), n)).collect();
        for (k, sw) in table.switches.iter().enumerate() {
            let best = arns.get(&sw.from).and_then(|v| {
                v.iter().filter(|(f, _)| *f <= sw.time).max_by_key(|(f, n)| (*f, *n))
            });
            if let Some(&(_, n)) = best {
                refs.push((Ref::Switch(k as u32), n));
            }
        }
        refs.extend(stubs.into_iter().map(|(r, n)| (Ref::Stub(r), n)));
        refs.sort_unstable();
        out.refs = refs;
        for n in &mut out.nodes {
            if let Some((t, _, ip)) = n.first_key.and_then(|k| firsts.get(&k)) {
                n.hop.time_ms = Some(*t);
                n.hop.source_ip.clone_from(ip);
            }
        }
        out.firsts = firsts.into_iter().map(|(k, (t, _, ip))| (k, t, ip)).collect();
        out.firsts.sort_unstable();
        out
    }
}

impl Identities {
    /// What this worker can answer for the others, once resolved with the role's table.
    pub(super) fn claims(&mut self, store: &Store) -> IdClaims {
        let (role, table, out) = (self.role, &self.table, &self.resolved);
        let mut c = IdClaims::default();
        let mut wanted: Vec<u32> = Vec::new();
        for (k, is) in table.issues.iter().enumerate() {
            let local: Vec<(u32, u32)> =
                is.rows.iter().filter_map(|r| Some((r.id, role.local(r.id)?))).collect();
            for (id, r) in local {
                let Some(&s) = out.session_of.get(r as usize) else { continue };
                let score = super::parents::score(&self.gathered, out, r);
                c.issues.push((k as u32, score, id, node_id(role, s)));
                wanted.push(s);
            }
        }
        // The sessions of the ARNs role switches came from.
        let froms: FxHashSet<&str> = table
            .switches
            .iter()
            .map(|s| s.from.as_str())
            .filter(|f| super::parents::principal_origin(f).is_none())
            .collect();
        if !froms.is_empty() {
            let arns = store.dictionary(Column::Arn);
            for (i, se) in out.sessions.iter().enumerate() {
                let arn = self.gathered.group(se.group).and_then(|g| arns.get(g.arn as usize));
                if let Some(arn) = arn.filter(|a| froms.contains(&***a)) {
                    c.arns.push((arn.to_string(), se.first.0, node_id(role, i as u32)));
                    wanted.push(i as u32);
                }
            }
        }
        // The caller's copies of other workers' `AWSAccount` copies.
        let mut by_call: FxHashMap<(i64, u32), Vec<(u32, u64)>> = FxHashMap::default();
        for st in table.stubs.iter().filter(|st| role.local(st.id).is_none()) {
            if let Some(a) = dict_id(store, Column::Action, &st.action) {
                by_call.entry((st.time, a)).or_default().push((st.id, st.shared));
            }
        }
        if !by_call.is_empty() {
            // The sharedEventIDs read stay in the cache (taken out while the rows are read).
            let mut cache = std::mem::take(&mut self.shared);
            let mut raws = store.raw_reader();
            let times = store.times();
            let actions = store.column(Column::Action);
            for (r, (&t, &a)) in times.iter().zip(actions).enumerate().take(out.rows) {
                let Some(stubs) = by_call.get(&(t, a)) else { continue };
                let g = self.gathered.group_at(super::gather::caller_of_row(store, r));
                let caller = g.and_then(|x| self.gathered.group(x)).map(|g| g.caller);
                if caller.is_none_or(|c| c == super::gather::Caller::Account) {
                    continue;
                }
                let Some(id) = shared_id(&mut raws, &mut cache, r as u32) else { continue };
                let Some(&s) = out.session_of.get(r) else { continue };
                for &(stub, _) in stubs.iter().filter(|(_, h)| *h == id) {
                    c.stubs.push((stub, node_id(role, s)));
                    wanted.push(s);
                }
            }
            self.shared = cache;
        }
        // The first events of the sessions nothing made.
        for se in out.sessions.iter().filter(|s| s.link == Link::None && s.first.0 != i64::MIN) {
            if let Some(key) = self.gathered.group(se.group).map(|g| caller_hash(store, g)) {
                let (t, r) = se.first;
                let ip = store.get(r as usize, Column::SourceIp).to_string();
                c.firsts.push((key, t, role.global(r), ip));
            }
        }
        c.nodes = self.nodes(store, &wanted);
        c
    }

    /// The claimed sessions and their chains up to the first parent this worker does not hold.
    fn nodes(&self, store: &Store, wanted: &[u32]) -> Vec<Node> {
        let out = &self.resolved;
        let mut seen: FxHashSet<u32> = FxHashSet::default();
        let mut nodes = Vec::new();
        for &start in wanted {
            let mut at = start;
            for _ in 0..=MAX_HOPS {
                if !seen.insert(at) {
                    break;
                }
                let Some(se) = out.session(at) else { break };
                let Some(hop) = self.hop(store, at) else { break };
                let parent = match se.parent {
                    Parent::Session(p) => NodeParent::Node(node_id(self.role, p)),
                    Parent::Origin(o) => out
                        .origins
                        .get(o as usize)
                        .map_or(NodeParent::None, |o| NodeParent::Origin(o.clone())),
                    Parent::Remote(r) => NodeParent::Remote(r),
                    Parent::None => NodeParent::None,
                };
                let first_key = (se.link == Link::None)
                    .then(|| self.gathered.group(se.group).map(|g| caller_hash(store, g)))
                    .flatten();
                nodes.push(Node {
                    id: node_id(self.role, at),
                    hop,
                    label: self.session_label(store, at),
                    session: self.session_hash(store, at),
                    source_identity: self.source_identity(at),
                    parent,
                    first_key,
                });
                match se.parent {
                    Parent::Session(p) => at = p,
                    _ => break,
                }
            }
        }
        nodes
    }

    /// Takes the other workers' sessions the chains here go through, and follows every chain to
    /// its origin again.
    pub(super) fn join(&mut self, graph: IdGraph) {
        let role = self.role;
        let out = &mut self.resolved;
        let own = out.sessions.iter().filter(|s| s.foreign.is_none()).count() as u32;
        let refs: FxHashMap<Ref, u64> = graph.refs.into_iter().collect();
        out.firsts = graph.firsts.into_iter().map(|(k, t, ip)| (k, (t, ip))).collect();
        let mut at: FxHashMap<u64, u32> = FxHashMap::default();
        for n in &graph.nodes {
            if at.contains_key(&n.id) {
                continue;
            }
            if (n.id >> 32) as u32 == role.index {
                if (n.id as u32) < own {
                    at.insert(n.id, n.id as u32);
                }
                continue;
            }
            at.insert(n.id, out.sessions.len() as u32);
            out.sessions.push(Session {
                group: u32::MAX,
                link: Link::None,
                parent: Parent::None,
                origin: None,
                depth: 0,
                cut: None,
                first: (i64::MAX, u32::MAX),
                foreign: Some(out.foreign.len() as u32),
            });
            out.foreign.push(ForeignNode {
                hop: n.hop.clone(),
                label: n.label.clone(),
                session: n.session,
                source_identity: n.source_identity.clone(),
            });
        }
        let find = |r: &Ref| refs.get(r).and_then(|n| at.get(n)).copied();
        for n in &graph.nodes {
            let Some(&s) = at.get(&n.id).filter(|&&s| s >= own) else { continue };
            let parent = match &n.parent {
                NodeParent::Origin(o) => Parent::Origin(out.origin(o.kind, o.text.clone())),
                NodeParent::Node(p) => at.get(p).map_or(Parent::None, |&p| Parent::Session(p)),
                NodeParent::Remote(r) => find(r).map_or(Parent::None, Parent::Session),
                NodeParent::None => Parent::None,
            };
            if let Some(se) = out.sessions.get_mut(s as usize) {
                se.parent = parent;
            }
        }
        for se in out.sessions.iter_mut() {
            if let Parent::Remote(r) = se.parent {
                se.parent = find(&r).map_or(Parent::None, Parent::Session);
            }
        }
        for &r in &out.untied {
            if let Some(s) = find(&Ref::Stub(role.global(r))) {
                if let Some(x) = out.session_of.get_mut(r as usize) {
                    *x = s;
                }
            }
        }
        reset(out);
        origins(out);
    }
}

/// A caller's identity as every worker hashes it alike (its access key, ARN, identity type and
/// user: the column ids are each worker's own).
pub(crate) fn caller_hash(store: &Store, g: &super::gather::Group) -> u64 {
    use std::hash::{Hash, Hasher};
    let text = |c: Column, id: u32| store.dictionary(c).get(id as usize).map_or("", |s| s);
    let mut h = rustc_hash::FxHasher::default();
    text(Column::AccessKey, g.key).hash(&mut h);
    text(Column::Arn, g.arn).hash(&mut h);
    g.caller.hash(&mut h);
    text(Column::User, g.user).hash(&mut h);
    h.finish()
}

/// Every session's origin, depth and cut forgotten (to be followed again).
fn reset(out: &mut Resolved) {
    for s in &mut out.sessions {
        s.origin = None;
        s.depth = 0;
        s.cut = None;
    }
}
