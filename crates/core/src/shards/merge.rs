//! One answer from the workers' answers to the same view: the counts add, the facets and the
//! service summary come from every value's merged count, the histogram from a second round in
//! which every worker counts over the buckets of all the matches' time range ([`Round`]).
//!
//! The Identities view and the origin and session facets merge the workers' parts
//! (`crate::answer::merge_identities`). A detection's top users and addresses are the top of the
//! workers' lists added, each worker listing up to `crate::answer::KEPT_VALUES` values (exact
//! unless one worker has more distinct values among a rule's events). The correlations are fired
//! over all workers' matches when a load ends (`super::correlations`).

use std::collections::HashMap;

use crate::answer::{
    add_counts, add_histograms, bins_for, facet_of, merge_identities, merge_identity_facets,
    merge_services, top_counts, Bins, Histogram, SortPoint, ValueCounts, TOP_VALUES,
};
use crate::engine::{
    Answer, Detection, Request, ViewSpec, FACET_COLUMNS, FACET_TOP, HISTOGRAM_BUCKETS,
};

/// One worker's order in a merged answer: what finding a page in it needs.
#[derive(Clone, Debug, Default)]
pub(super) struct Order {
    /// The worker's answer number (its replies name it; another means the worker moved on).
    pub answer: u64,
    pub count: usize,
    pub stride: usize,
    pub samples: Vec<SortPoint>,
    /// The sort points of the worker's first rows (`ViewPart::head`).
    pub head: Vec<SortPoint>,
}

/// The merged answer's orders, one per worker.
#[derive(Clone, Debug, Default)]
pub(super) struct Orders {
    /// The merged answer's number.
    pub id: u64,
    pub descending: bool,
    pub shards: Vec<Order>,
}

impl Orders {
    pub(super) fn total(&self) -> usize {
        self.shards.iter().map(|o| o.count).sum()
    }
}

/// A second round under way: the workers' answers it merges and the histograms they sent back.
pub(super) struct Round {
    answers: Vec<Answer>,
    bins: Bins,
    got: Vec<Option<Histogram>>,
    /// Each rule's detection buckets, added over the workers that replied.
    buckets: HashMap<String, Vec<u32>>,
}

impl Round {
    /// The round for the workers' answers (one each, to the same view): the buckets of all
    /// their matches, the top services among them as series; `None` when no match has a time
    /// (the answer needs no histogram).
    pub(super) fn start(answers: Vec<Answer>) -> Result<(Round, Request), Vec<Answer>> {
        let parts = || answers.iter().filter_map(|a| a.part.as_deref());
        let lo = parts().filter_map(|p| p.range).map(|r| r.0).min();
        let hi = parts().filter_map(|p| p.range).map(|r| r.1).max();
        let (Some(lo), Some(hi)) = (lo, hi) else { return Err(answers) };
        let bins = bins_for((lo, hi), HISTOGRAM_BUCKETS);
        let series: Vec<String> =
            top_counts(&add_counts(parts().map(|p| &p.series)), crate::answer::SERIES_TOP)
                .into_iter()
                .map(|(v, _)| v)
                .collect();
        let ask = Request::Bins { bins, series };
        let got = vec![None; answers.len()];
        Ok((Round { answers, bins, got, buckets: HashMap::new() }, ask))
    }

    /// Worker `w`'s histogram for its answer `answer`: false when it answered another (it moved
    /// on; this round is dropped and the next answer starts another).
    pub(super) fn take(
        &mut self,
        w: usize,
        answer: u64,
        h: Histogram,
        detections: Vec<(String, Vec<u32>)>,
    ) -> bool {
        let ours = self.answers.get(w).is_some_and(|a| a.id == answer)
            && h.bucket_ms == self.bins.bucket_ms
            && h.counts.len() == self.bins.count;
        if let (true, Some(slot)) = (ours, self.got.get_mut(w)) {
            *slot = Some(h);
            for (rule, b) in detections {
                let acc = self.buckets.entry(rule).or_insert_with(|| vec![0; b.len()]);
                acc.iter_mut().zip(&b).for_each(|(a, x)| *a += x);
            }
        }
        ours
    }

    pub(super) fn complete(&self) -> bool {
        self.got.iter().all(Option::is_some)
    }

    /// The merged answer (once [`Round::complete`]).
    pub(super) fn finish(mut self, seq: u64, id: u64, view: &ViewSpec) -> (Answer, Orders) {
        let histogram = add_histograms(self.got.iter().flatten());
        let (mut answer, orders) = merge(self.answers, seq, id, view, histogram);
        for d in &mut answer.detections {
            d.buckets = self.buckets.remove(&d.rule).unwrap_or_default();
        }
        (answer, orders)
    }
}

/// The merged answer of the workers' answers, with `histogram` (empty when no match has a time).
pub(super) fn merge(
    answers: Vec<Answer>,
    seq: u64,
    id: u64,
    view: &ViewSpec,
    histogram: Histogram,
) -> (Answer, Orders) {
    let parts: Vec<_> = answers.iter().filter_map(|a| a.part.as_deref()).collect();
    let count: usize = answers.iter().map(|a| a.count).sum();
    let facets = FACET_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let sum = add_counts(parts.iter().filter_map(|p| p.facets.get(i)).map(|(_, v)| v));
            (c, facet_of(&sum, count as u64, FACET_TOP))
        })
        .collect();
    let services = view
        .services
        .then(|| merge_services(parts.iter().flat_map(|p| p.services.iter().flatten())));
    let orders = Orders {
        id,
        descending: view.descending,
        shards: answers
            .iter()
            .map(|a| {
                let p = a.part.as_deref();
                Order {
                    answer: a.id,
                    count: a.count,
                    stride: p.map_or(1, |p| p.stride.max(1)),
                    samples: p.map(|p| p.samples.clone()).unwrap_or_default(),
                    head: p.map(|p| p.head.clone()).unwrap_or_default(),
                }
            })
            .collect(),
    };
    // The rules are the same in every worker: the first one's list stands for all.
    let first = answers.first();
    let answer = Answer {
        seq,
        id,
        generation: answers.iter().map(|a| a.generation).sum(),
        error: answers.iter().find_map(|a| a.error.clone()),
        count,
        facets,
        // No timed match: the empty histogram one engine gives.
        histogram: if histogram.counts.is_empty() {
            Histogram { bucket_ms: 1000, ..Histogram::default() }
        } else {
            histogram
        },
        services,
        who_facets: merge_identity_facets(
            &parts.iter().map(|p| p.who.clone()).collect::<Vec<_>>(),
            FACET_TOP,
        ),
        identities: view
            .identities
            .then(|| merge_identities(parts.iter().filter_map(|p| p.identities.clone()).collect())),
        findings: merge_findings(&answers),
        detections: merge_detections(answers.iter().flat_map(|a| &a.detections)),
        techniques: merge_techniques(answers.iter().flat_map(|a| &a.techniques)),
        rules_run: first.map_or(0, |a| a.rules_run),
        rule_problems: first.map(|a| a.rule_problems.clone()).unwrap_or_default(),
        rule_files: first.map(|a| a.rule_files.clone()).unwrap_or_default(),
        part: None,
    };
    (answer, orders)
}

fn merge_findings(answers: &[Answer]) -> Vec<crate::answer::FindingCount> {
    let mut out: Vec<crate::answer::FindingCount> = Vec::new();
    for f in answers.iter().flat_map(|a| &a.findings) {
        match out.iter_mut().find(|o| o.id == f.id) {
            Some(o) => o.count += f.count,
            None => out.push(f.clone()),
        }
    }
    // The findings' own order (FINDINGS), which every worker lists them in.
    let order: Vec<&str> = crate::answer::FINDINGS.iter().map(|f| f.id).collect();
    out.sort_by_key(|f| order.iter().position(|&id| id == f.id).unwrap_or(usize::MAX));
    out
}

/// Each technique's events added over the workers (their events are distinct).
pub(super) fn merge_techniques<'a>(
    techniques: impl IntoIterator<Item = &'a (String, u64)>,
) -> Vec<(String, u64)> {
    let mut sum: HashMap<&str, u64> = HashMap::new();
    for (t, n) in techniques {
        *sum.entry(t.as_str()).or_insert(0) += n;
    }
    let mut out: Vec<(String, u64)> = sum.into_iter().map(|(t, n)| (t.to_owned(), n)).collect();
    out.sort();
    out
}

/// Each rule's detection over the workers' (their events are distinct): the counts add, the
/// first and last times are the earliest and latest, the top users and addresses are the top of
/// every worker's list added.
pub(super) fn merge_detections<'a>(
    detections: impl IntoIterator<Item = &'a Detection>,
) -> Vec<Detection> {
    let mut by: Vec<(Detection, ValueCounts, ValueCounts)> = Vec::new();
    for d in detections {
        match by.iter_mut().find(|(o, _, _)| o.rule == d.rule) {
            Some((o, users, ips)) => {
                o.count += d.count;
                o.first_ms = o.first_ms.into_iter().chain(d.first_ms).min();
                o.last_ms = o.last_ms.into_iter().chain(d.last_ms).max();
                users.extend(d.top_users.iter().cloned());
                ips.extend(d.top_ips.iter().cloned());
            }
            None => by.push((d.clone(), d.top_users.clone(), d.top_ips.clone())),
        }
    }
    let mut out: Vec<Detection> = by
        .into_iter()
        .map(|(mut d, users, ips)| {
            d.top_users = top_counts(&add_counts([&users]), TOP_VALUES);
            d.top_ips = top_counts(&add_counts([&ips]), TOP_VALUES);
            d.buckets = Vec::new();
            d
        })
        .collect();
    out.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then_with(|| b.count.cmp(&a.count))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.rule.cmp(&b.rule))
    });
    out
}
