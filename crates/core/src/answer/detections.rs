//! The detections over everything loaded: for each reported rule that matched events, a
//! [`Detection`] (the rule's metadata, its count, first and last time, top users and source IPs,
//! and its matches per bucket of the answer's histogram), in the order the page lists them: most
//! severe first, then most events.
//!
//! The rules' hits are computed once per data generation by the rule engine
//! ([`RuleSet::run`]); a detection is then one pass over its rule's rows reading the store's
//! columns, counted per dictionary id like the facets. Only [`buckets`] depends on the view (its
//! histogram), so the engine keeps the rest per generation and recomputes the buckets per answer.

use serde::{Deserialize, Serialize};

use super::count::{counts, top};
use super::histogram::Histogram;
use crate::detect::{Hits, Level, RuleMeta, RuleOrigin, RuleSet};
use crate::store::{Column, Store};

/// How many users and source IPs a detection names.
pub const TOP_VALUES: usize = 3;
/// How many users and source IPs a detection keeps before it is shown ([`Detection::shown`]):
/// with several data workers the merge adds every worker's lists, so the top values over all
/// are exact while no worker has more distinct values than this among a rule's events.
pub const KEPT_VALUES: usize = 4096;

/// One rule that matched events, over everything loaded (the page's Detections list, the
/// swimlane under the histogram, the ATT&CK matrix).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    /// The rule's id (a uuid; see [`RuleMeta::id`] for rules without one).
    pub rule: String,
    pub title: String,
    /// Serialized lowercase (`"high"`).
    pub level: Level,
    /// Shown with every detection (DRL 1.1 requires it).
    pub author: String,
    pub origin: RuleOrigin,
    /// The rule's URL (SigmaHQ: the GitHub path at the vendored commit).
    pub link: Option<String>,
    /// ATT&CK technique ids (`T1562.008`), sorted.
    pub techniques: Vec<String>,
    /// ATT&CK tactic shortnames (`defense-evasion`), sorted.
    pub tactics: Vec<String>,
    /// Matching events (a correlation: the events of the groups that fired).
    pub count: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// Up to [`TOP_VALUES`] users (the `user` column) with their counts, most first (up to
    /// [`KEPT_VALUES`] before it is shown).
    pub top_users: Vec<(String, u64)>,
    /// Up to [`TOP_VALUES`] source IP addresses with their counts, most first (likewise).
    pub top_ips: Vec<(String, u64)>,
    /// Matches per bucket of the answer's histogram (same buckets as `Answer.histogram`);
    /// empty when the histogram is empty.
    pub buckets: Vec<u32>,
}

impl Detection {
    /// As the page shows it: its [`TOP_VALUES`] top users and addresses.
    pub fn shown(mut self) -> Detection {
        self.top_users.truncate(TOP_VALUES);
        self.top_ips.truncate(TOP_VALUES);
        self
    }

    /// A copy as the page shows it, with `buckets` (without copying the kept lists first).
    pub fn shown_with(&self, buckets: Vec<u32>) -> Detection {
        let top = |v: &[(String, u64)]| v.iter().take(TOP_VALUES).cloned().collect();
        Detection {
            rule: self.rule.clone(),
            title: self.title.clone(),
            level: self.level,
            author: self.author.clone(),
            origin: self.origin,
            link: self.link.clone(),
            techniques: self.techniques.clone(),
            tactics: self.tactics.clone(),
            count: self.count,
            first_ms: self.first_ms,
            last_ms: self.last_ms,
            top_users: top(&self.top_users),
            top_ips: top(&self.top_ips),
            buckets,
        }
    }
}

/// The detections of `hits` (every reported rule of `rules` with at least one row), each with
/// the index of its rule in [`RuleSet::rules`], most severe first, then count descending (then
/// title and id, so the order is stable). Their buckets are left empty (see [`buckets`]).
pub fn detections(store: &Store, rules: &RuleSet, hits: &Hits) -> Vec<(usize, Detection)> {
    let mut out: Vec<(usize, Detection)> = rules
        .rules()
        .iter()
        .enumerate()
        .filter(|&(i, m)| m.reported && !hits.rows(i).is_empty())
        .map(|(i, m)| (i, detection(store, m, hits.rows(i))))
        .collect();
    out.sort_by(|(_, a), (_, b)| {
        b.level
            .cmp(&a.level)
            .then(b.count.cmp(&a.count))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.rule.cmp(&b.rule))
    });
    out
}

/// Each ATT&CK technique of `detections` with the number of distinct events its detections
/// matched (an event two of its rules matched counts once, as in the Navigator layer), sorted by
/// technique id.
pub fn technique_events(detections: &[(usize, Detection)], hits: &Hits) -> Vec<(String, u64)> {
    // One bit per row and technique: the union of sorted lists without sorting their sum.
    let mut sets: std::collections::BTreeMap<&str, Vec<u64>> = Default::default();
    for (i, d) in detections {
        let rows = hits.rows(*i);
        let words = rows.last().map_or(0, |&r| r as usize / 64 + 1);
        for t in &d.techniques {
            let set = sets.entry(t).or_default();
            if set.len() < words {
                set.resize(words, 0);
            }
            for &r in rows {
                if let Some(w) = set.get_mut(r as usize / 64) {
                    *w |= 1 << (r % 64);
                }
            }
        }
    }
    sets.into_iter()
        .map(|(t, set)| (t.to_owned(), set.iter().map(|w| u64::from(w.count_ones())).sum()))
        .collect()
}

/// The detection of one rule from its rows (ascending row ids), with up to [`KEPT_VALUES`] top
/// users and addresses.
pub fn detection(store: &Store, meta: &RuleMeta, rows: &[u32]) -> Detection {
    let times = store.times();
    let timed = || rows.iter().filter_map(|&r| times.get(r as usize)).filter(|&&t| t != i64::MIN);
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort_unstable();
        v.dedup();
        v
    };
    Detection {
        rule: meta.id.clone(),
        title: meta.title.clone(),
        level: meta.level,
        author: meta.author.clone(),
        origin: meta.origin,
        link: meta.link.clone(),
        techniques: sorted(&meta.techniques),
        tactics: sorted(&meta.tactics),
        count: rows.len() as u64,
        first_ms: timed().min().copied(),
        last_ms: timed().max().copied(),
        top_users: top_values(store, rows, Column::User),
        top_ips: top_values(store, rows, Column::SourceIp),
        buckets: Vec::new(),
    }
}

/// The most frequent non-empty values of `col` among `rows`, with their counts.
fn top_values(store: &Store, rows: &[u32], col: Column) -> Vec<(String, u64)> {
    let dict = store.dictionary(col);
    let mut c = counts(store, rows, col);
    // Events without a value (no user, no IP) are not a top value.
    for (slot, v) in c.iter_mut().zip(dict) {
        if v.is_empty() {
            *slot = 0;
        }
    }
    top(&c, dict, KEPT_VALUES)
        .into_iter()
        .filter_map(|(n, id)| Some((dict.get(id as usize)?.to_string(), u64::from(n))))
        .collect()
}

/// How many of `rows` fall in each bucket of `hist` (rows without a time, or outside the
/// histogram's span, in none); empty when the histogram is.
pub fn buckets(store: &Store, rows: &[u32], hist: &Histogram) -> Vec<u32> {
    if hist.counts.is_empty() || hist.bucket_ms <= 0 {
        return Vec::new();
    }
    let times = store.times();
    let mut out = vec![0u32; hist.counts.len()];
    for &r in rows {
        let Some(&t) = times.get(r as usize) else { continue };
        if t == i64::MIN || t < hist.start_ms {
            continue;
        }
        let slot = (t - hist.start_ms) / hist.bucket_ms;
        if let Some(n) = usize::try_from(slot).ok().and_then(|s| out.get_mut(s)) {
            *n += 1;
        }
    }
    out
}
