//! The engine's side of the correlations and detection exports across data workers (the merge
//! drives them in `crate::shards::correlations`): its matches of every correlation's rules, the
//! rows the windows over all workers' matches fired among its own, and its detections with their
//! events' ids for a merged export.

use super::Engine;
use crate::engine::Reply;

impl Engine {
    /// [`Reply::CorrParts`]: this store's matches of every correlation's rules.
    pub fn corr_parts(&mut self) -> Reply {
        let (store, rows) = self.fingerprint();
        let role = self.role.unwrap_or_default();
        let (version, parts) = self.detector.correlation_parts(&self.store, self.generation, role);
        Reply::CorrParts { store, rows, version, parts }
    }

    /// Takes the rows each correlation fired over every worker's matches and answers again
    /// (nothing when the store or the rules moved on since the parts were sent).
    pub fn corr_rows(
        &mut self,
        store: u64,
        rows: u64,
        version: u64,
        fired: Vec<(String, Vec<u32>)>,
    ) -> Vec<Reply> {
        if (store, rows) != self.fingerprint()
            || !self.detector.take_correlations(&self.store, self.generation, version, fired)
        {
            return Vec::new();
        }
        self.rules_changed()
    }

    /// [`Reply::DetectionEvents`]: every detection with its events' ids (every top value kept)
    /// and the distinct events per technique.
    pub fn detection_events(&mut self) -> Reply {
        let s = &self.store;
        let current = self.detector.update(s, self.generation);
        Reply::DetectionEvents { items: current.events(s), techniques: current.techniques() }
    }
}
