//! The engine's rules and their hits: the loaded [`RuleSet`] (the built-in rules from the start,
//! then the user's files as the page adds them) and, for the current data generation, which rows
//! each rule matched, with the detections and findings summarised from them.
//!
//! The hits are computed once per generation of the data and rules (like the findings before
//! them), the first time an answer needs them: during a load that is once per answer, which the
//! load policy's cadence already spaces out by cost. Everything an answer carries about rules
//! comes from here, and so do the rows the query language's detection terms select
//! ([`Detector::rule_rows`]), so the list, the counts and a click on them always agree.

use super::protocol::{Detection, RuleFile, RuleProblem};
use crate::answer::{
    buckets, detections, finding_counts, technique_events, FindingCount, Histogram,
};
use std::cell::RefCell;

use crate::detect::{self, DetectCache, Hits, RuleSet};
use crate::query::{RuleRows, LEVELS};
use crate::store::Store;

/// The hits of one generation of the data and one version of the rules.
struct Detected {
    generation: u64,
    version: u64,
    /// The rows of the store the hits cover.
    rows: usize,
    hits: Hits,
    /// The reported rules that matched, with their rule index, in the page's order.
    detections: Vec<(usize, Detection)>,
    /// Distinct matching events per ATT&CK technique of the detections.
    techniques: Vec<(String, u64)>,
    findings: Vec<FindingCount>,
}

impl Detected {
    fn compute(
        store: &Store,
        rules: &RuleSet,
        cache: &mut DetectCache,
        generation: u64,
        version: u64,
    ) -> Detected {
        let hits = rules.run_cached(store, cache);
        let detections = detections(store, rules, &hits);
        let findings = finding_counts(rules, &hits);
        let techniques = technique_events(&detections, &hits);
        Detected { generation, version, rows: store.len(), hits, detections, techniques, findings }
    }
}

/// During a load, answers recompute the rules until their detections cover this many rows;
/// from then on they carry the detections computed last, and the rules run over everything
/// once the load ends ([`super::Engine::catch_up`]). Reading a row for the rules' nested paths
/// costs about what reading it from its file did (BENCHMARKS.md), so running the rules as the
/// rows arrive would double a big load; up to here it costs little, and the first detections
/// show while the files are read.
pub const RULES_DURING_LOAD_ROWS: usize = 100_000;

/// The rules and the hits of the current data.
pub(super) struct Detector {
    rules: RuleSet,
    /// Bumped with every change of the rules.
    version: u64,
    current: Option<Detected>,
    /// The path index, kept across answers: during a load it is extended by the rows added
    /// since the last answer instead of being rebuilt (at 1M events a rebuild costs seconds).
    /// In a cell because an answer that cannot keep its hits (`with`) still extends it.
    cache: RefCell<DetectCache>,
}

impl Default for Detector {
    fn default() -> Self {
        Detector {
            rules: RuleSet::builtin(),
            version: 0,
            current: None,
            cache: RefCell::new(DetectCache::new()),
        }
    }
}

impl Detector {
    /// Adds (or replaces, by name) a user's rule file.
    pub(super) fn add_file(&mut self, name: &str, text: &str) {
        self.rules.add_file(name, text);
        self.version += 1;
    }

    /// Removes a user's rule file (nothing when there is none of that name).
    pub(super) fn remove_file(&mut self, name: &str) {
        if self.rules.remove_file(name) {
            self.version += 1;
        }
    }

    /// Forgets the hits (the data is gone); the rules stay.
    pub(super) fn clear(&mut self) {
        self.current = None;
        self.cache.get_mut().reset();
    }

    /// The kept hits if they may be used: of the current rules, and of this generation of the
    /// data and all `rows` of it (a load adds rows before it bumps the generation), or of any
    /// earlier state when the caller `may_wait`.
    fn usable(&self, generation: u64, rows: usize, may_wait: bool) -> Option<&Detected> {
        self.current.as_ref().filter(|d| {
            d.version == self.version
                && (may_wait || (d.generation == generation && d.rows == rows))
        })
    }

    /// The rules with their hits on `generation`, computed if they are not yet. With
    /// `may_wait`, hits of an earlier generation of the same rules are kept instead (a load in
    /// progress: see [`RULES_DURING_LOAD_ROWS`]); [`Detector::pending`] then says so.
    pub(super) fn update(&mut self, store: &Store, generation: u64, may_wait: bool) -> Current<'_> {
        if self.usable(generation, store.len(), may_wait).is_none() {
            self.current = None;
        }
        let (rules, version, cache) = (&self.rules, self.version, self.cache.get_mut());
        let d = self
            .current
            .get_or_insert_with(|| Detected::compute(store, rules, cache, generation, version));
        Current { rules, d, rows: store.len() }
    }

    /// The rows the kept hits cover (0 without any).
    pub(super) fn covered(&self) -> usize {
        self.current.as_ref().map_or(0, |d| d.rows)
    }

    /// Whether the kept hits are of an earlier state than `generation` with `rows` rows.
    pub(super) fn pending(&self, generation: u64, rows: usize) -> bool {
        self.current.as_ref().is_some_and(|d| d.generation != generation || d.rows != rows)
    }

    /// The rules with their hits on `generation`, computed on the side when they are not kept
    /// (for a caller that cannot keep them, such as an export before any answer).
    pub(super) fn with<T>(
        &self,
        store: &Store,
        generation: u64,
        may_wait: bool,
        f: impl FnOnce(Current<'_>) -> T,
    ) -> T {
        match self.usable(generation, store.len(), may_wait) {
            Some(d) => f(Current { rules: &self.rules, d, rows: store.len() }),
            None => {
                let mut cache = self.cache.borrow_mut();
                let d = Detected::compute(store, &self.rules, &mut cache, generation, self.version);
                drop(cache);
                f(Current { rules: &self.rules, d: &d, rows: store.len() })
            }
        }
    }
}

/// The rules and their hits on the current data, as an answer reads them.
#[derive(Clone, Copy)]
pub(super) struct Current<'a> {
    rules: &'a RuleSet,
    d: &'a Detected,
    /// The rows of the store now.
    rows: usize,
}

impl<'a> Current<'a> {
    /// The detections with their matches per bucket of `hist`.
    pub(super) fn detections(self, store: &Store, hist: &Histogram) -> Vec<Detection> {
        let hits = &self.d.hits;
        self.d
            .detections
            .iter()
            .map(|(i, d)| Detection { buckets: buckets(store, hits.rows(*i), hist), ..d.clone() })
            .collect()
    }

    /// The detections, each with its rows, in the page's order (for the exports).
    pub(super) fn with_rows(self) -> Vec<(&'a Detection, &'a [u32])> {
        self.d.detections.iter().map(|(i, d)| (d, self.d.hits.rows(*i))).collect()
    }

    /// The rows the hits cover, when that is fewer than the store holds (they are of an earlier
    /// generation, kept during a load).
    pub(super) fn behind(self) -> Option<usize> {
        (self.d.rows < self.rows).then_some(self.d.rows)
    }

    pub(super) fn techniques(self) -> Vec<(String, u64)> {
        self.d.techniques.clone()
    }

    /// How many rules ran (every rule read without a problem, built-in and the user's).
    pub(super) fn rules_run(self) -> usize {
        self.rules.rules().len()
    }

    pub(super) fn findings(self) -> Vec<FindingCount> {
        self.d.findings.clone()
    }

    /// Every rule with its rows, for the query language's detection terms.
    pub(super) fn rule_rows(self) -> Vec<RuleRows<'a>> {
        rule_rows(self.rules, &self.d.hits)
    }

    /// The ids of the reported rules `row` matched, most severe first.
    pub(super) fn rules_of(self, row: u32) -> Vec<String> {
        let metas = self.rules.rules();
        let mut hit: Vec<&detect::RuleMeta> = self
            .d
            .hits
            .rules_of(row)
            .into_iter()
            .filter_map(|i| metas.get(i))
            .filter(|m| m.reported)
            .collect();
        hit.sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.title.cmp(&b.title)));
        hit.into_iter().map(|m| m.id.clone()).collect()
    }

    /// The rules that could not be used.
    pub(super) fn problems(self) -> Vec<RuleProblem> {
        self.rules.problems().iter().map(RuleProblem::from).collect()
    }

    /// The user's rule files.
    pub(super) fn files(self) -> Vec<RuleFile> {
        self.rules
            .files()
            .into_iter()
            .map(|(name, rules, problems)| RuleFile { name, rules, problems })
            .collect()
    }
}

/// Every rule of `rules` with its rows in `hits`, for the query language's detection terms
/// ([`crate::query::Query::run_with`]): what the engine passes for every answer, and what a
/// caller running its own rules (`trailglass-scan --query`) passes.
pub fn rule_rows<'a>(rules: &'a RuleSet, hits: &'a Hits) -> Vec<RuleRows<'a>> {
    rules
        .rules()
        .iter()
        .enumerate()
        .map(|(i, m)| RuleRows {
            id: &m.id,
            name: m.name.as_deref(),
            title: &m.title,
            level: LEVELS.iter().position(|l| *l == m.level.as_str()).unwrap_or(0),
            tactics: &m.tactics,
            techniques: &m.techniques,
            rows: hits.rows(i),
        })
        .collect()
}
