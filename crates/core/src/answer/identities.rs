//! The Identities view's answer: one line per origin among the matches (and one for the calls
//! whose credentials were issued outside the loaded logs), with what it reached (roles and
//! accounts, as a small graph), its sessions, addresses, agents, regions, errors, first and
//! last seen, and what it did for the first time within the loaded data; and the facets of
//! origin and session.
//!
//! Counting is per origin and per dictionary id in vectors, like the other answers; only the
//! pairs (origin, value) need a hash map, and the first-time pairs are computed over every row
//! once per resolution ([`FirstSeen`]), not per answer.

use rustc_hash::{FxHashMap, FxHashSet};

use super::facets::Facet;
use crate::identity::{arn_account, hop_name, Identities, Origin};
use crate::store::{Column, Store};

/// How many origins an answer lists (the most active; the page says how many more).
pub const IDENTITIES_TOP: usize = 300;
/// Values listed per kind (addresses, agents, regions) of one origin.
const VALUES_TOP: usize = 3;
/// First-time marks listed per origin.
const FIRSTS_TOP: usize = 8;
/// Nodes drawn in one origin's graph.
const GRAPH_NODES: usize = 12;

/// A node of an origin's graph: the origin itself (index 0) or a role (or user) reached.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChainNode {
    pub name: String,
    pub account: Option<String>,
}

/// One thing an origin did for the first time within the loaded data, after its first day.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FirstTime {
    /// `ip`, `agent`, `region` or `service`.
    pub what: String,
    pub value: String,
    pub time_ms: i64,
}

/// One line of the Identities view.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdentityLine {
    /// `None`: credentials issued outside the loaded logs.
    pub origin: Option<Origin>,
    pub events: u64,
    pub errors: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub sessions: u64,
    /// Node 0 is the origin; edges are (from, to, sessions) between nodes.
    pub nodes: Vec<ChainNode>,
    pub edges: Vec<(u32, u32, u64)>,
    pub accounts: Vec<String>,
    pub ips: Vec<(String, u64)>,
    pub agents: Vec<(String, u64)>,
    pub regions: Vec<(String, u64)>,
    pub services: u64,
    pub firsts: Vec<FirstTime>,
}

/// The Identities view: its lines and how many origins were left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdentitiesAnswer {
    pub lines: Vec<IdentityLine>,
    pub more: u64,
    /// Distinct origins and sessions among the matches.
    pub origins: u64,
    pub sessions: u64,
}

const WHAT: [(&str, Column); 4] = [
    ("ip", Column::SourceIp),
    ("agent", Column::UserAgent),
    ("region", Column::Region),
    ("service", Column::Service),
];

/// When each (origin, value) pair was first seen, over every row: the first-time marks of the
/// view. Computed once per resolution of the identities.
#[derive(Default)]
pub struct FirstSeen {
    /// The identities' generation it was computed for.
    generation: Option<u64>,
    /// Per origin: its first time; per (kind, origin, value id): the first time.
    origin_first: Vec<i64>,
    origin_last: Vec<i64>,
    pairs: [FxHashMap<(u32, u32), i64>; 4],
}

impl FirstSeen {
    /// Brought up to date with `ids` (recomputed when it resolved more rows).
    pub fn update(&mut self, store: &Store, ids: &Identities) {
        if self.generation == Some(ids.generation()) {
            return;
        }
        let n = ids.rows().min(store.len());
        let mut f = FirstSeen {
            generation: Some(ids.generation()),
            origin_first: vec![i64::MAX; ids.origins().len()],
            origin_last: vec![i64::MIN; ids.origins().len()],
            ..FirstSeen::default()
        };
        let times = store.times();
        let cols = WHAT.map(|(_, c)| store.column(c));
        for (r, &t) in times.iter().enumerate().take(n) {
            let Some(o) = ids.origin_id(r) else { continue };
            if t == i64::MIN {
                continue;
            }
            if let Some(x) = f.origin_first.get_mut(o as usize) {
                *x = (*x).min(t);
            }
            if let Some(x) = f.origin_last.get_mut(o as usize) {
                *x = (*x).max(t);
            }
            for (col, pairs) in cols.iter().zip(&mut f.pairs) {
                let Some(&v) = col.get(r) else { continue };
                let e = pairs.entry((o, v)).or_insert(t);
                *e = (*e).min(t);
            }
        }
        *self = f;
    }

    /// The first-time pairs of origin `o` after its first day (or the first half of its span,
    /// when that is shorter): what is new for it, at most [`FIRSTS_TOP`] (new addresses and
    /// agents before new regions and services, the most recent of each), in time order.
    fn firsts(&self, store: &Store, o: u32) -> Vec<FirstTime> {
        let (Some(&start), Some(&end)) =
            (self.origin_first.get(o as usize), self.origin_last.get(o as usize))
        else {
            return vec![];
        };
        if start > end {
            return vec![];
        }
        let after = start + (86_400_000).min((end - start) / 2);
        let mut out = Vec::new();
        for ((what, col), pairs) in WHAT.iter().zip(&self.pairs) {
            let dict = store.dictionary(*col);
            for (&(oo, id), &t) in pairs {
                if oo == o && t > after {
                    let value = dict.get(id as usize).map_or("", |s| s).to_string();
                    if !value.is_empty() {
                        out.push(FirstTime { what: (*what).to_string(), value, time_ms: t });
                    }
                }
            }
        }
        // A new address or agent says most about stolen credentials, then a new region, then a
        // new service; among those of a kind, the most recent. Shown in time order.
        let rank = |w: &str| WHAT.iter().position(|(x, _)| *x == w).unwrap_or(WHAT.len());
        out.sort_by(|a, b| {
            rank(&a.what)
                .cmp(&rank(&b.what))
                .then(b.time_ms.cmp(&a.time_ms))
                .then_with(|| a.value.cmp(&b.value))
        });
        out.truncate(FIRSTS_TOP);
        out.sort_by(|a, b| a.time_ms.cmp(&b.time_ms).then_with(|| a.value.cmp(&b.value)));
        out
    }
}

/// The Identities view over `rows` (ascending).
pub fn identities(
    store: &Store,
    ids: &Identities,
    first: &FirstSeen,
    rows: &[u32],
) -> IdentitiesAnswer {
    let no = ids.origins().len(); // the unknown origin's slot
    let slot = |r: usize| ids.origin_id(r).map_or(no, |o| o as usize);
    let mut events = vec![0u64; no + 1];
    for &r in rows {
        if (r as usize) < ids.rows() {
            if let Some(e) = events.get_mut(slot(r as usize)) {
                *e += 1;
            }
        }
    }
    let events_of = |o: usize| events.get(o).copied().unwrap_or(0);
    let mut order: Vec<usize> = (0..=no).filter(|&o| events_of(o) > 0).collect();
    order.sort_by(|&a, &b| events_of(b).cmp(&events_of(a)).then(a.cmp(&b)));
    let origins = order.iter().filter(|&&o| o != no).count() as u64;
    let more = order.len().saturating_sub(IDENTITIES_TOP) as u64;
    order.truncate(IDENTITIES_TOP);
    let listed: FxHashMap<usize, usize> = order.iter().enumerate().map(|(i, &o)| (o, i)).collect();
    let mut acc: Vec<Acc> = order.iter().map(|_| Acc::default()).collect();
    let errors = store.column(Column::ErrorCode);
    let times = store.times();
    let cols = WHAT.map(|(_, c)| store.column(c));
    let mut all_sessions: FxHashSet<u32> = FxHashSet::default();
    for &r in rows {
        let r = r as usize;
        if r >= ids.rows() {
            continue;
        }
        let Some(a) = listed.get(&slot(r)).and_then(|&i| acc.get_mut(i)) else {
            all_sessions.extend(ids.session_of(r));
            continue;
        };
        a.errors += u64::from(errors.get(r).is_some_and(|&e| e != 0));
        if let Some(&t) = times.get(r).filter(|&&t| t != i64::MIN) {
            a.first = Some(a.first.map_or(t, |f: i64| f.min(t)));
            a.last = Some(a.last.map_or(t, |l: i64| l.max(t)));
        }
        if let Some(s) = ids.session_of(r) {
            a.sessions.insert(s);
            all_sessions.insert(s);
        }
        for (col, values) in cols.iter().zip(&mut a.values) {
            let Some(&v) = col.get(r) else { continue };
            *values.entry(v).or_insert(0) += 1;
        }
    }
    let lines = order
        .iter()
        .zip(acc)
        .map(|(&o, a)| {
            let origin = ids.origins().get(o).cloned();
            let (nodes, edges, accounts) = graph(store, ids, origin.as_ref(), &a.sessions);
            let top = |(_, col): (&str, Column), values: &FxHashMap<u32, u64>| {
                let dict = store.dictionary(col);
                let mut v: Vec<(String, u64)> = values
                    .iter()
                    .map(|(&id, &c)| (dict.get(id as usize).map_or("", |s| s).to_string(), c))
                    .filter(|(s, _)| !s.is_empty())
                    .collect();
                v.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
                v.truncate(VALUES_TOP);
                v
            };
            let [ips, agents, regions, services] = &a.values;
            let [ip, agent, region, _] = WHAT;
            IdentityLine {
                events: events_of(o),
                errors: a.errors,
                first_ms: a.first,
                last_ms: a.last,
                sessions: a.sessions.len() as u64,
                nodes,
                edges,
                accounts,
                ips: top(ip, ips),
                agents: top(agent, agents),
                regions: top(region, regions),
                services: services.len() as u64,
                firsts: if o == no { vec![] } else { first.firsts(store, o as u32) },
                origin,
            }
        })
        .collect();
    IdentitiesAnswer { lines, more, origins, sessions: all_sessions.len() as u64 }
}

#[derive(Default)]
struct Acc {
    errors: u64,
    first: Option<i64>,
    last: Option<i64>,
    sessions: FxHashSet<u32>,
    values: [FxHashMap<u32, u64>; 4],
}

type Graph = (Vec<ChainNode>, Vec<(u32, u32, u64)>, Vec<String>);

/// The roles (and users) an origin's sessions reached: node 0 the origin, an edge per hop.
fn graph(
    store: &Store,
    ids: &Identities,
    origin: Option<&Origin>,
    sessions: &FxHashSet<u32>,
) -> Graph {
    let mut nodes = vec![ChainNode {
        name: origin.map_or_else(|| "unknown origin".to_string(), |o| o.name.clone()),
        account: origin.and_then(|o| arn_account(&o.text)).map(str::to_string),
    }];
    let mut index: FxHashMap<(String, Option<String>), u32> = FxHashMap::default();
    let mut edges: FxHashMap<(u32, u32), u64> = FxHashMap::default();
    let mut accounts: Vec<String> = Vec::new();
    let mut ordered: Vec<u32> = sessions.iter().copied().collect();
    ordered.sort_unstable();
    for s in ordered {
        let mut at = 0u32;
        for x in ids.path(s) {
            let id = ids.identity(store, x);
            if origin.is_some_and(|o| o.text == id) {
                continue;
            }
            let account = arn_account(&id).map(str::to_string);
            if let Some(a) = &account {
                if !accounts.contains(a) {
                    accounts.push(a.clone());
                }
            }
            let name = hop_name(&id).to_string();
            let key = (name.clone(), account.clone());
            let node = match index.get(&key) {
                Some(&n) => n,
                None if nodes.len() < GRAPH_NODES => {
                    nodes.push(ChainNode { name, account });
                    let n = nodes.len() as u32 - 1;
                    index.insert(key, n);
                    n
                }
                None => break,
            };
            if node != at {
                *edges.entry((at, node)).or_insert(0) += 1;
            }
            at = node;
        }
    }
    let mut edges: Vec<(u32, u32, u64)> = edges.into_iter().map(|((a, b), c)| (a, b, c)).collect();
    edges.sort_unstable();
    accounts.sort();
    (nodes, edges, accounts)
}

/// The facets of origin (by its text; the unknown origin is "") and session (by its label).
pub fn identity_facets(
    store: &Store,
    ids: &Identities,
    rows: &[u32],
    top_n: usize,
) -> Vec<(String, Facet)> {
    // One increment per row (by session); the origins' counts are summed from the sessions'.
    let no = ids.origins().len();
    let mut by_session = vec![0u64; ids.sessions()];
    let column = ids.session_column();
    let mut counted = 0u64;
    for &r in rows {
        let Some(c) = column.get(r as usize).and_then(|&s| by_session.get_mut(s as usize)) else {
            continue;
        };
        *c += 1;
        counted += 1;
    }
    let mut by_origin = vec![0u64; no + 1];
    for (s, &n) in by_session.iter().enumerate() {
        let o = ids.session_origin(s as u32).map_or(no, |o| o as usize);
        if let Some(c) = by_origin.get_mut(o) {
            *c += n;
        }
    }
    let facet_of = |counts: &[u64], label: &dyn Fn(usize) -> String| {
        let mut nz: Vec<(u64, usize)> =
            counts.iter().enumerate().filter(|(_, &c)| c > 0).map(|(i, &c)| (c, i)).collect();
        let distinct = nz.len() as u64;
        nz.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        nz.truncate(top_n);
        let values: Vec<(String, u64)> = nz.iter().map(|&(c, i)| (label(i), c)).collect();
        let shown: u64 = values.iter().map(|v| v.1).sum();
        Facet { values, other: counted - shown.min(counted), distinct }
    };
    let origin =
        facet_of(&by_origin, &|i| ids.origins().get(i).map_or(String::new(), |o| o.text.clone()));
    let session = facet_of(&by_session, &|i| ids.session_label(store, i as u32));
    vec![("origin".to_string(), origin), ("session".to_string(), session)]
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#[path = "identities_tests.rs"]
mod tests;
