//! Correlations and the detections' exports across workers.
//!
//! A correlation's windows span events of every worker. When a load of several workers ends
//! (after the duplicates), after the sample, and after the rules change, every worker sends its
//! matches of each correlation's rules (`crate::detect::CorrPart`); the merge fires the windows
//! over all of them and sends each worker the rows of its own that fired, which it takes as the
//! correlation's hits and answers again (its Status and Answer come unasked). During a load each
//! worker correlates its own events, so a window across workers shows once the load ends.
//!
//! A detections' export (CSV, JSON, ATT&CK Navigator layer) asks every worker for its
//! detections with their events' ids, merges them as the answer's detections are merged and
//! writes the file here.

use super::merge::{merge_detections, merge_techniques};
use super::{to_page, Coordinator, Job, Out};
use crate::answer::DetectionEvents;
use crate::detect::{fire_parts, CorrPart};
use crate::engine::{write_detections, ExportFormat, Reply, Request};

/// One worker's matches, with the store and rules version they are of.
type Parts = ((u64, u64, u64), Vec<CorrPart>);

/// One worker's detections with their events, and its events per technique.
type Events = (Vec<DetectionEvents>, Vec<(String, u64)>);

/// Waiting for every worker's matches.
pub(super) struct CorrStage(Vec<Option<Parts>>);

/// A detections' export waiting for every worker's detections.
pub(super) struct DetectionExport {
    format: ExportFormat,
    got: Vec<Option<Events>>,
}

impl Coordinator {
    /// Asks every worker for its matches of the correlations' rules.
    pub(super) fn start_correlations(&mut self) -> Vec<Out> {
        let asks = (0..self.of).map(|w| (w, Request::CorrParts)).collect();
        self.job(Job::Correlations(CorrStage(vec![None; self.of as usize])), asks)
    }

    pub(super) fn feed_correlations(
        &mut self,
        id: u64,
        CorrStage(mut got): CorrStage,
        w: u32,
        reply: Reply,
    ) -> Vec<Out> {
        let Reply::CorrParts { store, rows, version, parts } = reply else {
            // A reply of another kind than asked: given up (the next load's end asks again).
            return Vec::new();
        };
        if let Some(slot) = got.get_mut(w as usize) {
            *slot = Some(((store, rows, version), parts));
        }
        if got.iter().any(Option::is_none) {
            return self.keep(id, Job::Correlations(CorrStage(got)));
        }
        let (at, parts): (Vec<_>, Vec<_>) = got.into_iter().flatten().unzip();
        if parts.iter().all(Vec::is_empty) {
            // No correlation among the rules: nothing changes.
            return Vec::new();
        }
        let fired = fire_parts(&parts);
        at.into_iter()
            .zip(fired)
            .enumerate()
            .map(|(w, ((store, rows, version), fired))| {
                Out::Ask(w as u32, Request::CorrRows { store, rows, version, fired })
            })
            .collect()
    }

    /// Starts a detections' export.
    pub(super) fn export_detections(&mut self, format: ExportFormat) -> Vec<Out> {
        let asks = (0..self.of).map(|w| (w, Request::DetectionEvents)).collect();
        let got = vec![None; self.of as usize];
        self.job(Job::DetectionExport(DetectionExport { format, got }), asks)
    }

    pub(super) fn feed_detection_export(
        &mut self,
        id: u64,
        mut job: DetectionExport,
        w: u32,
        reply: Reply,
    ) -> Vec<Out> {
        let Reply::DetectionEvents { items, techniques } = reply else { return Vec::new() };
        if let Some(slot) = job.got.get_mut(w as usize) {
            *slot = Some((items, techniques));
        }
        if job.got.iter().any(Option::is_none) {
            return self.keep(id, Job::DetectionExport(job));
        }
        let got: Vec<Events> = job.got.into_iter().flatten().collect();
        let items = merge_events(got.iter().flat_map(|(items, _)| items));
        let techniques = merge_techniques(got.iter().flat_map(|(_, t)| t));
        let (name, mime) = job.format.file();
        match write_detections(job.format, items, &techniques) {
            Some(Ok(bytes)) => vec![Out::Download { name: name.into(), mime: mime.into(), bytes }],
            Some(Err(err)) => {
                vec![to_page(Reply::Failed { message: format!("Export failed: {err}") })]
            }
            None => Vec::new(),
        }
    }
}

/// The workers' detections merged as the answer's are, each with the ids of its events in every
/// worker (sorted).
fn merge_events<'a>(
    items: impl Iterator<Item = &'a DetectionEvents> + Clone,
) -> Vec<DetectionEvents> {
    merge_detections(items.clone().map(|d| &d.detection))
        .into_iter()
        .map(|detection| {
            let mut event_ids: Vec<String> = items
                .clone()
                .filter(|d| d.detection.rule == detection.rule)
                .flat_map(|d| d.event_ids.iter().cloned())
                .collect();
            event_ids.sort_unstable();
            DetectionEvents { detection, event_ids }
        })
        .collect()
}
