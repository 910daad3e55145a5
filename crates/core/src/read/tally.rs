//! Counting into the [`FileReport`]: what the reader noticed while reading a file (rejections by
//! reason, time fallbacks, recovered commas, replaced UTF-8…), turned into the report's
//! rejections, notes and final format/skip reason when the file is done.
//!
//! The counts are named fields rather than a bag of strings so the reader's hot path only adds
//! to integers; the prose is written once per file, in [`Tally::finish`]. Those sentences are
//! what the page and `trailglass-scan` show.

use std::collections::{BTreeMap, BTreeSet};

use crate::record::TimeFrom;
use crate::report::{FileReport, Format, Position, Rejection};
use crate::units::plural;

use super::flat::Source;

/// Distinct rejection reasons kept per file (the rest are counted under "other reasons").
const MAX_REASONS: usize = 20;

/// How often something happened, and where the first time was.
#[derive(Debug, Default)]
pub(super) struct Counted {
    count: u64,
    first: Option<Position>,
}

impl Counted {
    /// One more; `at` is asked only for the first.
    pub(super) fn add(&mut self, at: impl FnOnce() -> Position) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(at());
        }
    }

    /// " (first at …)" when known.
    fn first_at(&self) -> String {
        self.first.map(|p| format!(" (first at {p})")).unwrap_or_default()
    }
}

/// One rejection reason: how many, where first, and when it was first seen (reasons are
/// reported in that order).
#[derive(Debug)]
struct Reason {
    count: u64,
    first: Option<Position>,
    order: usize,
}

/// See the module docs.
#[derive(Debug, Default)]
pub(super) struct Tally {
    reasons: BTreeMap<String, Reason>,
    /// Events timed by a fallback field, by field name.
    fallbacks: BTreeMap<&'static str, u64>,
    /// Events with no usable time.
    no_time: u64,
    /// Events whose eventTime was present but unreadable.
    bad_time: u64,
    /// Records array elements that had no comma before them.
    pub(super) missing_commas: Counted,
    /// Events stored with invalid UTF-8 replaced.
    pub(super) bad_utf8: u64,
    /// JSON deeper than the walk's depth limit was not searched.
    pub(super) too_deep: bool,
    /// Objects in arrays / NDJSON lines that held no CloudTrail event.
    pub(super) other_objects: Counted,
    /// OCSF records read into CloudTrail's columns.
    pub(super) ocsf: u64,
    /// CloudTrail Lake result rows read as events.
    pub(super) lake_rows: u64,
    /// Flattened exports read back into CloudTrail's shape (`flat/`), by source.
    pub(super) mapped: BTreeMap<Source, Mapping>,
}

/// What was read from one flattened source in a file.
#[derive(Debug, Default)]
pub(super) struct Mapping {
    /// Rows (CSV) rather than documents (JSON).
    pub(super) csv: bool,
    /// Events read from mapped rows or documents.
    pub(super) events: u64,
    /// Rows whose original-event column was read as it is (not lossy).
    pub(super) originals: u64,
    /// Rows or documents that list no event (an aggregate's row, a summary).
    pub(super) no_event: Counted,
    /// The column names understood: a CSV header's own, or the fields of documents that gave
    /// values.
    pub(super) understood: BTreeSet<String>,
    /// Column or field names no rule reads (capped), and whether more were not kept.
    pub(super) unknown: BTreeSet<String>,
    pub(super) unknown_more: bool,
}

/// Up to 8 names, then "…".
fn some_names<'a>(names: impl Iterator<Item = &'a str>, total: usize) -> String {
    let mut shown: Vec<&str> = names.take(8).collect();
    if total > shown.len() {
        shown.push("…");
    }
    shown.join(", ")
}

impl Mapping {
    /// A column or field no rule reads, kept up to [`super::flat::ecs::MAX_UNKNOWN`] names.
    pub(super) fn not_understood(&mut self, name: String) {
        if self.unknown.len() < super::flat::ecs::MAX_UNKNOWN {
            self.unknown.insert(name);
        } else if !self.unknown.contains(&name) {
            self.unknown_more = true;
        }
    }

    /// The file's line for this source.
    fn note(&self, source: Source) -> Vec<String> {
        let mut out = Vec::new();
        let what = if self.csv { "row" } else { "document" };
        if self.events > 0 {
            let mut line = format!(
                "{} {what}{} from {} read as events (lossy: {})",
                self.events,
                if self.events == 1 { "" } else { "s" },
                source.name(),
                source.lossy()
            );
            let k = self.understood.len();
            line.push_str(&format!(
                "; {k} column{} understood ({})",
                if k == 1 { "" } else { "s" },
                some_names(self.understood.iter().map(String::as_str), k)
            ));
            let u = self.unknown.len();
            if u > 0 {
                line.push_str(&format!(
                    "; {}{u} not understood, left out ({})",
                    if self.unknown_more { "more than " } else { "" },
                    some_names(self.unknown.iter().map(String::as_str), u)
                ));
            }
            out.push(line);
        }
        if self.originals > 0 {
            out.push(format!(
                "{} {what}{} of {} held the original event, read as it is",
                self.originals,
                if self.originals == 1 { "" } else { "s" },
                source.name()
            ));
        }
        let c = &self.no_event;
        if c.count > 0 {
            out.push(format!(
                "skipped {} {what}{} of {} that list no event (no call named, or no time or \
                 id: an aggregate query?){}",
                c.count,
                if c.count == 1 { "" } else { "s" },
                source.name(),
                c.first_at()
            ));
        }
        out
    }
}

impl Tally {
    /// A rejected record slot; `at` is asked only for the first of its reason.
    pub(super) fn reject(&mut self, reason: String, at: impl FnOnce() -> Position) {
        let n = self.reasons.len();
        let key = if self.reasons.contains_key(&reason) || n < MAX_REASONS {
            reason
        } else {
            "other reasons".to_string()
        };
        if let Some(r) = self.reasons.get_mut(&key) {
            r.count += 1;
        } else {
            self.reasons.insert(key, Reason { count: 1, first: Some(at()), order: n });
        }
    }

    /// Where an event's time came from.
    #[inline]
    pub(super) fn time(&mut self, from: TimeFrom, bad_event_time: bool) {
        match from {
            TimeFrom::EventTime => {}
            TimeFrom::Fallback(name) => *self.fallbacks.entry(name).or_insert(0) += 1,
            TimeFrom::Missing => self.no_time += 1,
        }
        if bad_event_time {
            self.bad_time += 1;
        }
    }

    /// Writes the rejections and notes (before any the reader added) into `rep`, and settles its
    /// format and skip reason. `walk_depth`: the depth limit, named in the note when it was hit.
    pub(super) fn finish(self, rep: &mut FileReport, walk_depth: u32) {
        let mut reasons: Vec<_> = self.reasons.into_iter().collect();
        reasons.sort_by_key(|(_, r)| r.order);
        rep.rejections = reasons
            .into_iter()
            .map(|(reason, r)| Rejection { reason, count: r.count, first: r.first })
            .collect();
        let mut notes = Vec::new();
        let commas = &self.missing_commas;
        if commas.count > 0 {
            notes.push(format!(
                "recovered {} record{} that had no comma before {}{}",
                commas.count,
                if commas.count == 1 { "" } else { "s" },
                if commas.count == 1 { "it" } else { "them" },
                commas.first_at()
            ));
        }
        if self.ocsf > 0 {
            notes.push(format!(
                "{} OCSF record{} (Security Lake) read into CloudTrail's columns (api.operation, \
                 api.service.name, actor.user, src_endpoint.ip, http_request.user_agent, \
                 api.response.error, cloud.region, cloud.account.uid, time); the rest is in each \
                 record's text",
                self.ocsf,
                if self.ocsf == 1 { "" } else { "s" }
            ));
        }
        if self.lake_rows > 0 {
            notes.push(format!(
                "{} CloudTrail Lake result row{} read as events: lossy (every value was text; \
                 struct and JSON columns were parsed back, numbers and booleans stay text)",
                self.lake_rows,
                if self.lake_rows == 1 { "" } else { "s" }
            ));
        }
        for (source, m) in &self.mapped {
            notes.extend(m.note(*source));
            // A JSON file whose every event came from one flattened source is named by it.
            let all = m.events + m.originals;
            let generic =
                [Format::Unknown, Format::Ndjson, Format::JsonArray, Format::Event, Format::Json];
            if !m.csv && all > 0 && all == rep.events && generic.contains(&rep.format) {
                rep.format = source.json_format();
            }
        }
        if self.bad_time > 0 {
            notes.push(format!(
                "{} an unreadable eventTime",
                plural(self.bad_time, "event had", "events had")
            ));
        }
        for (name, n) in &self.fallbacks {
            notes.push(format!(
                "{} no usable eventTime; used {name}",
                plural(*n, "event had", "events had")
            ));
        }
        if self.no_time > 0 {
            notes.push(format!(
                "{} no usable time",
                plural(self.no_time, "event has", "events have")
            ));
        }
        if self.bad_utf8 > 0 {
            let n = plural(self.bad_utf8, "event had", "events had");
            notes.push(format!("{n} invalid UTF-8, replaced with �"));
        }
        if self.other_objects.count > 0 {
            notes.push(format!(
                "skipped {} that hold no CloudTrail event{}",
                plural(self.other_objects.count, "JSON object", "JSON objects"),
                self.other_objects.first_at()
            ));
        }
        if self.too_deep {
            notes.push(format!(
                "JSON nested deeper than {walk_depth} levels was not searched for events"
            ));
        }
        rep.notes.splice(0..0, notes);
        if rep.events == 0 && rep.error.is_none() && rep.skipped.is_none() {
            if rep.digests > 0 {
                rep.format = Format::Digest;
                rep.skipped = Some(format!(
                    "CloudTrail digest file ({} digest record{}, no events)",
                    rep.digests,
                    if rep.digests == 1 { "" } else { "s" }
                ));
            } else if rep.format != Format::Records {
                rep.skipped = Some("no CloudTrail events found in this JSON".into());
            }
        }
        if rep.format == Format::Unknown {
            rep.format = Format::Json;
        }
    }
}
