//! The Identities view's answer: one line per origin among the matches (and one for the calls
//! whose credentials were issued outside the loaded logs), with what it reached (roles and
//! accounts, as a small graph), its sessions, addresses, agents, regions, errors, first and
//! last seen, and what it did for the first time within the loaded data; and the facets of
//! origin and session.
//!
//! Each data worker counts its matches into an [`IdentitiesPart`] (`identities_part.rs`): every
//! origin with its sessions (named alike in every worker), the paths they took, every address,
//! agent, region and service with its count, its first-time marks. One engine's answer is the
//! merge of its own part, a tab's the merge of its workers' ([`merge_identities`]): the same
//! code, so the two agree wherever the parts do.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use super::facets::Facet;
pub use super::identities_part::{
    identities_part, identity_facet_counts, identity_facet_counts_with, FirstPairs, FirstSeen,
    SessionLabels,
};
use super::parts::{add_counts, facet_of, facet_of_distinct, top_counts, ValueCounts};
use crate::identity::{Identities, Origin};
use crate::store::Store;

/// How many origins an answer lists (the most active; the page says how many more).
pub const IDENTITIES_TOP: usize = 300;
/// Values listed per kind (addresses, agents, regions) of one origin.
const VALUES_TOP: usize = 3;
/// First-time marks listed per origin.
pub(super) const FIRSTS_TOP: usize = 8;
/// Nodes drawn in one origin's graph.
const GRAPH_NODES: usize = 12;

/// A node of an origin's graph: the origin itself (index 0) or a role (or user) reached.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
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

/// One origin's line as one worker counts it over its matches.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinePart {
    /// `None`: credentials issued outside the loaded logs.
    pub origin: Option<Origin>,
    pub events: u64,
    pub errors: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// Each session ([`Identities::session_hash`]) with its path (an index into `paths`).
    pub sessions: Vec<(u64, u32)>,
    /// The hops after the origin, as the graph names them.
    pub paths: Vec<Vec<ChainNode>>,
    pub ips: ValueCounts,
    pub agents: ValueCounts,
    pub regions: ValueCounts,
    pub services: Vec<String>,
    /// Every first-time mark (not only the listed few).
    pub firsts: Vec<FirstTime>,
}

/// One worker's counts for the Identities view: a line for every origin among its matches.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdentitiesPart {
    pub lines: Vec<LinePart>,
}

/// The Identities view over `rows` (ascending) of one engine: the merge of its own part.
pub fn identities(
    store: &Store,
    ids: &Identities,
    first: &FirstSeen,
    rows: &[u32],
) -> IdentitiesAnswer {
    merge_identities(vec![identities_part(store, ids, first, rows)])
}

/// The Identities view from every worker's part: lines by origin (counts add, sessions and
/// values merge), the most active [`IDENTITIES_TOP`] listed (ties by origin, the unknown last).
pub fn merge_identities(parts: Vec<IdentitiesPart>) -> IdentitiesAnswer {
    let mut by: HashMap<Option<String>, Vec<LinePart>> = HashMap::new();
    for l in parts.into_iter().flat_map(|p| p.lines) {
        by.entry(l.origin.as_ref().map(|o| o.text.clone())).or_default().push(l);
    }
    let mut all_sessions: rustc_hash::FxHashSet<u64> = rustc_hash::FxHashSet::default();
    let mut lines: Vec<IdentityLine> = by
        .into_values()
        .map(|ls| {
            all_sessions.extend(ls.iter().flat_map(|l| l.sessions.iter().map(|s| s.0)));
            line(ls)
        })
        .collect();
    lines.sort_by(|a, b| {
        b.events.cmp(&a.events).then_with(|| match (&a.origin, &b.origin) {
            (Some(x), Some(y)) => x.text.cmp(&y.text),
            (a, b) => b.is_some().cmp(&a.is_some()),
        })
    });
    let origins = lines.iter().filter(|l| l.origin.is_some()).count() as u64;
    let more = lines.len().saturating_sub(IDENTITIES_TOP) as u64;
    lines.truncate(IDENTITIES_TOP);
    IdentitiesAnswer { lines, more, origins, sessions: all_sessions.len() as u64 }
}

/// One origin's line from its parts.
fn line(parts: Vec<LinePart>) -> IdentityLine {
    let origin = parts.first().and_then(|l| l.origin.clone());
    let mut paths: FxHashMap<u64, &Vec<ChainNode>> = FxHashMap::default();
    for l in &parts {
        for &(s, p) in &l.sessions {
            if let Some(path) = l.paths.get(p as usize) {
                paths.entry(s).or_insert(path);
            }
        }
    }
    let mut counted: HashMap<&Vec<ChainNode>, u64> = HashMap::new();
    for path in paths.values() {
        *counted.entry(path).or_insert(0) += 1;
    }
    let (nodes, edges, accounts) = graph(origin.as_ref(), counted);
    let top = |f: fn(&LinePart) -> &ValueCounts| {
        top_counts(&add_counts(parts.iter().map(f)), VALUES_TOP)
            .into_iter()
            .filter(|(v, _)| !v.is_empty())
            .collect::<Vec<_>>()
    };
    let mut services: Vec<&String> = parts.iter().flat_map(|l| &l.services).collect();
    services.sort_unstable();
    services.dedup();
    let mut firsts: HashMap<(&str, &str), i64> = HashMap::new();
    for f in parts.iter().flat_map(|l| &l.firsts) {
        let t = firsts.entry((&f.what, &f.value)).or_insert(f.time_ms);
        *t = (*t).min(f.time_ms);
    }
    let firsts = pick_firsts(
        firsts
            .into_iter()
            .map(|((w, v), t)| FirstTime { what: w.into(), value: v.into(), time_ms: t })
            .collect(),
    );
    IdentityLine {
        events: parts.iter().map(|l| l.events).sum(),
        errors: parts.iter().map(|l| l.errors).sum(),
        first_ms: parts.iter().filter_map(|l| l.first_ms).min(),
        last_ms: parts.iter().filter_map(|l| l.last_ms).max(),
        sessions: paths.len() as u64,
        nodes,
        edges,
        accounts,
        ips: top(|l| &l.ips),
        agents: top(|l| &l.agents),
        regions: top(|l| &l.regions),
        services: services.len() as u64,
        firsts,
        origin,
    }
}

/// The marks listed: a new address or agent says most about stolen credentials, then a new
/// region, then a new service; among those of a kind, the most recent; at most [`FIRSTS_TOP`],
/// shown in time order.
pub(super) fn pick_firsts(mut out: Vec<FirstTime>) -> Vec<FirstTime> {
    let rank = |w: &str| ["ip", "agent", "region", "service"].iter().position(|x| *x == w);
    out.sort_by(|a, b| {
        rank(&a.what)
            .unwrap_or(4)
            .cmp(&rank(&b.what).unwrap_or(4))
            .then(b.time_ms.cmp(&a.time_ms))
            .then_with(|| a.value.cmp(&b.value))
    });
    out.truncate(FIRSTS_TOP);
    out.sort_by(|a, b| a.time_ms.cmp(&b.time_ms).then_with(|| a.value.cmp(&b.value)));
    out
}

type Graph = (Vec<ChainNode>, Vec<(u32, u32, u64)>, Vec<String>);

/// The roles (and users) an origin's sessions reached: node 0 the origin, an edge per hop
/// counting the sessions through it. Paths are drawn the most travelled first (then by name),
/// up to [`GRAPH_NODES`] nodes.
fn graph(origin: Option<&Origin>, paths: HashMap<&Vec<ChainNode>, u64>) -> Graph {
    let mut nodes = vec![ChainNode {
        name: origin.map_or_else(|| "unknown origin".to_string(), |o| o.name.clone()),
        account: origin.and_then(|o| crate::identity::arn_account(&o.text)).map(str::to_string),
    }];
    let mut ordered: Vec<(&Vec<ChainNode>, u64)> = paths.into_iter().collect();
    ordered.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut index: FxHashMap<&ChainNode, u32> = FxHashMap::default();
    let mut edges: FxHashMap<(u32, u32), u64> = FxHashMap::default();
    let mut accounts: Vec<String> = Vec::new();
    for (path, sessions) in ordered {
        let mut at = 0u32;
        for hop in path {
            if let Some(a) = &hop.account {
                if !accounts.contains(a) {
                    accounts.push(a.clone());
                }
            }
            let node = match index.get(hop) {
                Some(&n) => n,
                None if nodes.len() < GRAPH_NODES => {
                    nodes.push(hop.clone());
                    let n = nodes.len() as u32 - 1;
                    index.insert(hop, n);
                    n
                }
                None => break,
            };
            if node != at {
                *edges.entry((at, node)).or_insert(0) += sessions;
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
    let (origin, session, counted) = identity_facet_counts(store, ids, rows);
    merge_identity_facets(&[(origin, session, counted)], top_n)
}

/// The origin and session facets from every worker's counts (values, values, rows counted).
pub fn merge_identity_facets(
    parts: &[(ValueCounts, ValueCounts, u64)],
    top_n: usize,
) -> Vec<(String, Facet)> {
    let counted = parts.iter().map(|p| p.2).sum();
    let origin = facet_of(&add_counts(parts.iter().map(|p| &p.0)), counted, top_n);
    // One part's labels are distinct ([`identity_facet_counts`]): no sum to make.
    let session = match parts {
        [one] => facet_of_distinct(&one.1, counted, top_n),
        _ => facet_of(&add_counts(parts.iter().map(|p| &p.1)), counted, top_n),
    };
    vec![("origin".to_string(), origin), ("session".to_string(), session)]
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#[path = "identities_tests.rs"]
mod tests;
