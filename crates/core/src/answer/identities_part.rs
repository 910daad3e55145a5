//! One worker's counts for the Identities view ([`IdentitiesPart`]) and for the origin and
//! session facets, over its matches; and the first-time marks, computed over every row once per
//! resolution ([`FirstSeen`]), not per answer.
//!
//! Counting is per origin and per dictionary id in vectors, like the other answers; only the
//! pairs (origin, value) need a hash map. Values leave as text (the dictionaries are each
//! worker's own), sessions as [`Identities::session_hash`].

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::identities::{pick_firsts, ChainNode, FirstTime, IdentitiesPart, LinePart};
use super::parts::ValueCounts;
use crate::identity::{arn_account, hop_name, Identities};
use crate::store::{Column, Store};

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
    /// Brought up to date with `ids` (recomputed when it resolved again).
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

    /// Every first-time pair of origin `o` after its first day (or the first half of its span,
    /// when that is shorter): what is new for it.
    fn candidates(&self, store: &Store, o: u32) -> Vec<FirstTime> {
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
        out
    }

    /// What the workers of a tab merge to agree on what is new: each origin's span (by its
    /// text) and each (origin, kind, value)'s first time (by [`pair_hash`]).
    pub fn pairs(&self, store: &Store, ids: &Identities) -> FirstPairs {
        let mut out = FirstPairs::default();
        for (o, origin) in ids.origins().iter().enumerate() {
            let (Some(&a), Some(&b)) = (self.origin_first.get(o), self.origin_last.get(o)) else {
                continue;
            };
            if a <= b {
                out.spans.push((origin.text.clone(), a, b));
            }
        }
        for (k, ((_, col), pairs)) in WHAT.iter().zip(&self.pairs).enumerate() {
            let dict = store.dictionary(*col);
            for (&(o, v), &t) in pairs {
                let (Some(origin), Some(value)) =
                    (ids.origins().get(o as usize), dict.get(v as usize))
                else {
                    continue;
                };
                out.pairs.push((pair_hash(&origin.text, k, value), t));
            }
        }
        out
    }

    /// Takes the tab's spans and first times (merged from every worker's [`FirstSeen::pairs`]):
    /// what is new for an origin is then new in all the loaded logs, not only this worker's.
    pub fn take_pairs(&mut self, store: &Store, ids: &Identities, all: &FirstPairs) {
        self.update(store, ids);
        let spans: FxHashMap<&str, (i64, i64)> =
            all.spans.iter().map(|(t, a, b)| (t.as_str(), (*a, *b))).collect();
        let firsts: FxHashMap<u64, i64> = all.pairs.iter().copied().collect();
        for (o, origin) in ids.origins().iter().enumerate() {
            if let (Some(&(a, b)), Some(f), Some(l)) = (
                spans.get(origin.text.as_str()),
                self.origin_first.get_mut(o),
                self.origin_last.get_mut(o),
            ) {
                *f = (*f).min(a);
                *l = (*l).max(b);
            }
        }
        for (k, ((_, col), pairs)) in WHAT.iter().zip(&mut self.pairs).enumerate() {
            let dict = store.dictionary(*col);
            for (&(o, v), t) in pairs.iter_mut() {
                let (Some(origin), Some(value)) =
                    (ids.origins().get(o as usize), dict.get(v as usize))
                else {
                    continue;
                };
                if let Some(&g) = firsts.get(&pair_hash(&origin.text, k, value)) {
                    *t = (*t).min(g);
                }
            }
        }
    }

    /// The marks the view lists for origin `o`.
    pub fn firsts(&self, store: &Store, o: u32) -> Vec<FirstTime> {
        pick_firsts(self.candidates(store, o))
    }
}

/// The spans of the origins and the first times of their pairs, as they leave a worker.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FirstPairs {
    /// (origin text, first time, last time).
    pub spans: Vec<(String, i64, i64)>,
    /// ([`pair_hash`], first time).
    pub pairs: Vec<(u64, i64)>,
}

impl FirstPairs {
    /// The tab's from every worker's: the widest spans, the earliest times.
    pub fn merge(parts: Vec<FirstPairs>) -> FirstPairs {
        let mut spans: HashMap<String, (i64, i64)> = HashMap::new();
        let mut pairs: FxHashMap<u64, i64> = FxHashMap::default();
        for p in parts {
            for (t, a, b) in p.spans {
                let e = spans.entry(t).or_insert((a, b));
                *e = (e.0.min(a), e.1.max(b));
            }
            for (h, t) in p.pairs {
                let e = pairs.entry(h).or_insert(t);
                *e = (*e).min(t);
            }
        }
        let mut out = FirstPairs {
            spans: spans.into_iter().map(|(t, (a, b))| (t, a, b)).collect(),
            pairs: pairs.into_iter().collect(),
        };
        out.spans.sort_unstable();
        out.pairs.sort_unstable();
        out
    }
}

/// An (origin, kind, value) pair as every worker hashes it alike.
fn pair_hash(origin: &str, kind: usize, value: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (origin, kind, value).hash(&mut h);
    h.finish()
}

#[derive(Default)]
struct Acc {
    events: u64,
    errors: u64,
    first: Option<i64>,
    last: Option<i64>,
    sessions: FxHashSet<u32>,
    values: [FxHashMap<u32, u64>; 4],
}

/// This worker's part of the Identities view over `rows` (ascending): a line for every origin.
pub fn identities_part(
    store: &Store,
    ids: &Identities,
    first: &FirstSeen,
    rows: &[u32],
) -> IdentitiesPart {
    let no = ids.origins().len(); // the unknown origin's slot
    let mut acc: Vec<Acc> = (0..=no).map(|_| Acc::default()).collect();
    let errors = store.column(Column::ErrorCode);
    let times = store.times();
    let cols = WHAT.map(|(_, c)| store.column(c));
    for &r in rows {
        let r = r as usize;
        if r >= ids.rows() {
            continue;
        }
        let slot = ids.origin_id(r).map_or(no, |o| o as usize);
        let Some(a) = acc.get_mut(slot) else { continue };
        a.events += 1;
        a.errors += u64::from(errors.get(r).is_some_and(|&e| e != 0));
        if let Some(&t) = times.get(r).filter(|&&t| t != i64::MIN) {
            a.first = Some(a.first.map_or(t, |f: i64| f.min(t)));
            a.last = Some(a.last.map_or(t, |l: i64| l.max(t)));
        }
        if let Some(s) = ids.session_of(r) {
            a.sessions.insert(s);
        }
        for (col, values) in cols.iter().zip(&mut a.values) {
            let Some(&v) = col.get(r) else { continue };
            *values.entry(v).or_insert(0) += 1;
        }
    }
    let lines = acc
        .into_iter()
        .enumerate()
        .filter(|(_, a)| a.events > 0)
        .map(|(o, a)| {
            let origin = ids.origins().get(o).cloned();
            let text = |(_, col): (&str, Column), values: &FxHashMap<u32, u64>| -> ValueCounts {
                let dict = store.dictionary(col);
                values
                    .iter()
                    .map(|(&id, &c)| (dict.get(id as usize).map_or("", |s| s).to_string(), c))
                    .collect()
            };
            let mut paths: Vec<Vec<ChainNode>> = Vec::new();
            let mut path_at: HashMap<Vec<ChainNode>, u32> = HashMap::new();
            let mut sessions: Vec<(u64, u32)> = Vec::with_capacity(a.sessions.len());
            for &s in &a.sessions {
                let path: Vec<ChainNode> = ids
                    .path(s)
                    .into_iter()
                    .map(|x| ids.identity(store, x))
                    .filter(|id| origin.as_ref().is_none_or(|o| o.text != *id))
                    .map(|id| ChainNode {
                        name: hop_name(&id).to_string(),
                        account: arn_account(&id).map(str::to_string),
                    })
                    .collect();
                let p = *path_at.entry(path.clone()).or_insert_with(|| {
                    paths.push(path);
                    paths.len() as u32 - 1
                });
                sessions.push((ids.session_hash(store, s), p));
            }
            let [ips, agents, regions, services] = &a.values;
            let [ip, agent, region, service] = WHAT;
            LinePart {
                events: a.events,
                errors: a.errors,
                first_ms: a.first,
                last_ms: a.last,
                sessions,
                paths,
                ips: text(ip, ips),
                agents: text(agent, agents),
                regions: text(region, regions),
                services: text(service, services).into_iter().map(|(v, _)| v).collect(),
                firsts: if o == no { vec![] } else { first.candidates(store, o as u32) },
                origin,
            }
        })
        .collect();
    IdentitiesPart { lines }
}

/// Every session's facet label, computed once per resolution of the identities rather than per
/// answer: a label is a formatted string (a key, or an identity and its creation time), and
/// building one for each session the matches touch was the largest part of a filter's answer
/// (12 of 35 ms at 1M events natively).
#[derive(Default)]
pub struct SessionLabels {
    /// The identities' generation they were made for.
    generation: Option<u64>,
    /// Each session's label, as an index into `texts` (sessions sharing a label share it).
    of_session: Vec<u32>,
    texts: Vec<String>,
}

impl SessionLabels {
    pub fn new(store: &Store, ids: &Identities) -> Self {
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut texts = Vec::new();
        let of_session = (0..ids.sessions() as u32)
            .map(|s| {
                let label = ids.session_label(store, s);
                *index.entry(label).or_insert_with_key(|l| {
                    texts.push(l.clone());
                    texts.len() as u32 - 1
                })
            })
            .collect();
        SessionLabels { generation: Some(ids.generation()), of_session, texts }
    }

    /// Made again when the identities have been resolved since.
    pub fn refresh(&mut self, store: &Store, ids: &Identities) {
        if self.generation != Some(ids.generation()) || self.of_session.len() != ids.sessions() {
            *self = SessionLabels::new(store, ids);
        }
    }
}

/// The origin facet's counts (by origin text; the unknown origin is "") and the session facet's
/// (by label) over `rows`, and how many rows were counted. Each list's values are distinct.
pub fn identity_facet_counts(
    store: &Store,
    ids: &Identities,
    rows: &[u32],
) -> (ValueCounts, ValueCounts, u64) {
    identity_facet_counts_with(ids, &SessionLabels::new(store, ids), rows)
}

/// [`identity_facet_counts`] with the sessions' labels made already (`labels` must be made for
/// `ids` as they are).
pub fn identity_facet_counts_with(
    ids: &Identities,
    labels: &SessionLabels,
    rows: &[u32],
) -> (ValueCounts, ValueCounts, u64) {
    // One increment per row (by session); the origins' and labels' counts are summed from the
    // sessions'.
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
    let mut by_label = vec![0u64; labels.texts.len()];
    for (s, &n) in by_session.iter().enumerate().filter(|(_, &n)| n > 0) {
        let o = ids.session_origin(s as u32).map_or(no, |o| o as usize);
        if let Some(c) = by_origin.get_mut(o) {
            *c += n;
        }
        let label = labels.of_session.get(s).and_then(|&l| by_label.get_mut(l as usize));
        if let Some(c) = label {
            *c += n;
        }
    }
    let origins = by_origin
        .iter()
        .enumerate()
        .filter(|(_, &c)| c > 0)
        .map(|(i, &c)| (ids.origins().get(i).map_or(String::new(), |o| o.text.clone()), c))
        .collect();
    let sessions = by_label
        .iter()
        .zip(&labels.texts)
        .filter(|(&c, _)| c > 0)
        .map(|(&c, t)| (t.clone(), c))
        .collect();
    (origins, sessions, counted)
}
