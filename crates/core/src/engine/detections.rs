//! The engine's rules and their hits: the loaded [`RuleSet`] (the built-in rules from the start,
//! then the user's files as the page adds them) and, for the current data generation, which rows
//! each rule matched, with the detections and findings summarised from them.
//!
//! The hits are computed once per generation of the data and rules (like the findings before
//! them), the first time an answer needs them: during a load that is once per answer, which the
//! load policy's cadence already spaces out by cost. Each computation evaluates only the rows
//! added since the last one (`RuleSet::run_more`), so a load pays for each row once and every
//! answer's detections cover everything read so far. Everything an answer carries about rules
//! comes from here, and so do the rows the query language's detection terms select
//! ([`Detector::rule_rows`]), so the list, the counts and a click on them always agree.

use super::protocol::ExportFormat;
use super::protocol::{Detection, RuleFile, RuleProblem};
use crate::answer::{
    buckets, detection_events, detections, export_detections_csv, export_detections_json,
    export_navigator_layer, finding_counts, technique_events, DetectionEvents, DetectionRows,
    FindingCount, Histogram,
};
use std::cell::RefCell;

use crate::detect::{self, CorrPart, DetectCache, Hits, RuleSet};
use crate::query::{RuleRows, LEVELS};
use crate::role::Role;
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
    /// The hits over `store`, evaluating only the rows added since `earlier` when those are of
    /// the same rules.
    fn compute(
        store: &Store,
        rules: &RuleSet,
        cache: &mut DetectCache,
        (generation, version): (u64, u64),
        earlier: Option<&Detected>,
    ) -> Detected {
        let hits = match earlier.filter(|e| e.version == version && e.rows <= store.len()) {
            Some(e) => rules.run_more(store, cache, &e.hits, e.rows),
            None => rules.run_cached(store, cache),
        };
        let mut d = Detected {
            generation,
            version,
            rows: store.len(),
            hits,
            detections: Vec::new(),
            techniques: Vec::new(),
            findings: Vec::new(),
        };
        d.summarise(store, rules);
        d
    }

    /// The detections, findings and techniques of the hits.
    fn summarise(&mut self, store: &Store, rules: &RuleSet) {
        self.detections = detections(store, rules, &self.hits);
        self.findings = finding_counts(rules, &self.hits);
        self.techniques = technique_events(&self.detections, &self.hits);
    }
}

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
    /// Bumped whenever the kept hits (and so the detections) change.
    stamp: u64,
}

impl Default for Detector {
    fn default() -> Self {
        Detector {
            rules: RuleSet::builtin(),
            version: 0,
            current: None,
            cache: RefCell::new(DetectCache::new()),
            stamp: 0,
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
    /// data and all `rows` of it (a load adds rows before it bumps the generation).
    fn usable(&self, generation: u64, rows: usize) -> Option<&Detected> {
        self.current
            .as_ref()
            .filter(|d| d.version == self.version && d.generation == generation && d.rows == rows)
    }

    /// The rules with their hits on `generation`, computed (over the rows added since the kept
    /// hits) if they are not yet.
    pub(super) fn update(&mut self, store: &Store, generation: u64) -> Current<'_> {
        let stale = self.usable(generation, store.len()).is_none();
        let (rules, version, cache) = (&self.rules, self.version, self.cache.get_mut());
        let d = match self.current.take() {
            Some(d) if !stale => d,
            earlier => {
                self.stamp += 1;
                Detected::compute(store, rules, cache, (generation, version), earlier.as_ref())
            }
        };
        Current { rules, d: self.current.insert(d), stamp: self.stamp }
    }

    /// This store's matches of every correlation's rules on `generation`, numbered as rows of
    /// the tab by `role`, with the version of the rules they are of (for the merge across data
    /// workers: `crate::shards`).
    pub(super) fn correlation_parts(
        &mut self,
        store: &Store,
        generation: u64,
        role: Role,
    ) -> (u64, Vec<CorrPart>) {
        self.update(store, generation);
        let Some(d) = &self.current else { return (self.version, Vec::new()) };
        (self.version, self.rules.correlation_parts(store, self.cache.get_mut(), &d.hits, role))
    }

    /// Takes the rows of each correlation fired over every worker's matches (by rule id, this
    /// store's rows) as the hits of `generation`, and the detections with them; false when the
    /// rules are no longer of `version`.
    pub(super) fn take_correlations(
        &mut self,
        store: &Store,
        generation: u64,
        version: u64,
        fired: Vec<(String, Vec<u32>)>,
    ) -> bool {
        if version != self.version {
            return false;
        }
        self.update(store, generation);
        let Some(d) = self.current.as_mut() else { return false };
        for (id, rows) in fired {
            self.rules.set_correlation_rows(&mut d.hits, &id, rows);
        }
        d.summarise(store, &self.rules);
        self.stamp += 1;
        true
    }

    /// The rules with their hits on `generation`, computed on the side when they are not kept
    /// (for a caller that cannot keep them, such as an export before any answer).
    pub(super) fn with<T>(
        &self,
        store: &Store,
        generation: u64,
        f: impl FnOnce(Current<'_>) -> T,
    ) -> T {
        match self.usable(generation, store.len()) {
            Some(d) => f(Current { rules: &self.rules, d, stamp: self.stamp }),
            None => {
                let mut cache = self.cache.borrow_mut();
                let at = (generation, self.version);
                let d =
                    Detected::compute(store, &self.rules, &mut cache, at, self.current.as_ref());
                drop(cache);
                f(Current { rules: &self.rules, d: &d, stamp: 0 })
            }
        }
    }
}

/// The rules and their hits on the current data, as an answer reads them.
#[derive(Clone, Copy)]
pub(super) struct Current<'a> {
    rules: &'a RuleSet,
    d: &'a Detected,
    /// Which computation of the kept hits these are (0: computed on the side, not kept).
    stamp: u64,
}

impl<'a> Current<'a> {
    /// Which computation of the kept hits these are: the same stamp, the same detections.
    pub(super) fn stamp(self) -> u64 {
        self.stamp
    }

    /// The detections as shown, with their matches per bucket of `hist`.
    pub(super) fn detections(self, store: &Store, hist: &Histogram) -> Vec<Detection> {
        let hits = &self.d.hits;
        self.d
            .detections
            .iter()
            .map(|(i, d)| d.shown_with(buckets(store, hits.rows(*i), hist)))
            .collect()
    }

    /// The detections with every top value kept (up to `KEPT_VALUES`: what one of several
    /// workers sends the merge), with their matches per bucket of `hist`.
    pub(super) fn kept(self, store: &Store, hist: &Histogram) -> Vec<Detection> {
        let hits = &self.d.hits;
        self.d
            .detections
            .iter()
            .map(|(i, d)| Detection { buckets: buckets(store, hits.rows(*i), hist), ..d.clone() })
            .collect()
    }

    /// Each detection's rule id with its matches per bucket of `hist` (nothing else cloned).
    pub(super) fn buckets(self, store: &Store, hist: &Histogram) -> Vec<(String, Vec<u32>)> {
        let hits = &self.d.hits;
        self.d
            .detections
            .iter()
            .map(|(i, d)| (d.rule.clone(), buckets(store, hits.rows(*i), hist)))
            .collect()
    }

    /// The detections with their events' ids, in the page's order, every top value kept (the
    /// exports show them: [`Detection::shown`]).
    pub(super) fn events(self, store: &Store) -> Vec<DetectionEvents> {
        let items: Vec<DetectionRows<'_>> =
            self.d.detections.iter().map(|(i, d)| (d, self.d.hits.rows(*i))).collect();
        detection_events(store, &items)
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

/// The detections' export `format` (`DetectionsCsv`, `DetectionsJson`, `AttackNavigator`; `None`
/// for another) of `items` (shown as the page shows them, [`Detection::shown`]) and the
/// techniques' event counts: one engine's, or merged over data workers (`crate::shards`).
pub fn write_detections(
    format: ExportFormat,
    items: Vec<DetectionEvents>,
    techniques: &[(String, u64)],
) -> Option<std::io::Result<Vec<u8>>> {
    let items: Vec<DetectionEvents> = items
        .into_iter()
        .map(|d| DetectionEvents { detection: d.detection.shown(), ..d })
        .collect();
    let mut out = Vec::new();
    let done = match format {
        ExportFormat::DetectionsCsv => export_detections_csv(&items, &mut out),
        ExportFormat::DetectionsJson => export_detections_json(&items, &mut out),
        ExportFormat::AttackNavigator => {
            let detections: Vec<&Detection> = items.iter().map(|d| &d.detection).collect();
            export_navigator_layer(&detections, techniques, &mut out)
        }
        ExportFormat::Json | ExportFormat::Ndjson | ExportFormat::Csv => return None,
    };
    Some(done.map(|()| out))
}
