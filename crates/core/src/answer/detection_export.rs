//! Exports of the detections over everything loaded: CSV and JSON (one entry per detection:
//! rule id, title, level, author, ATT&CK tags, first and last seen, and the eventIDs of its
//! events), and an ATT&CK Navigator layer of the techniques hit (`navigator.rs`).
//!
//! The CSV uses the event export's field writer, so it is RFC 4180 and formula-safe in the same
//! way (a rule title or an eventID starting with `=` cannot run in a spreadsheet). Times are UTC
//! ISO 8601, as in the event CSV.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::detections::Detection;
use super::export::write_field;
use crate::detect::{Level, RuleOrigin};
use crate::query::field_text_in;
use crate::store::Store;
use crate::time::format_ms;

/// A detection and its rows (ascending row ids), as one store holds them.
pub type DetectionRows<'a> = (&'a Detection, &'a [u32]);

/// A detection with the eventIDs of its events (sorted; events without one are left out): what
/// the exports are written from, one store's ([`detection_events`]) or merged over several data
/// workers' (`crate::shards`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectionEvents {
    pub detection: Detection,
    pub event_ids: Vec<String>,
}

/// Each detection of `items` with its events' ids. The eventIDs are read once each in the
/// store's order (the rules' rows overlap and each detection's spread over the whole store:
/// read detection by detection, the same compressed blocks would be opened again for every
/// rule).
pub fn detection_events(store: &Store, items: &[DetectionRows<'_>]) -> Vec<DetectionEvents> {
    let mut rows: Vec<u32> = items.iter().flat_map(|(_, r)| r.iter().copied()).collect();
    rows.sort_unstable();
    rows.dedup();
    let mut raws = store.raw_reader();
    let ids: Vec<Option<String>> =
        rows.iter().map(|&r| field_text_in(&mut raws, r as usize, "eventID")).collect();
    items
        .iter()
        .map(|(d, of)| {
            let mut event_ids: Vec<String> = of
                .iter()
                .filter_map(|r| rows.binary_search(r).ok())
                .filter_map(|i| ids.get(i).cloned().flatten())
                .collect();
            event_ids.sort_unstable();
            DetectionEvents { detection: (*d).clone(), event_ids }
        })
        .collect()
}

const CSV_HEADER: [&str; 11] = [
    "rule",
    "title",
    "level",
    "author",
    "origin",
    "techniques",
    "tactics",
    "count",
    "first_seen",
    "last_seen",
    "event_ids",
];

/// Writes a header line and one line per detection; lists (techniques, tactics, event ids) are
/// joined with spaces.
pub fn export_detections_csv(items: &[DetectionEvents], w: &mut impl Write) -> io::Result<()> {
    let mut line = Vec::new();
    put(&mut line, &CSV_HEADER)?;
    w.write_all(&line)?;
    for DetectionEvents { detection: d, event_ids } in items {
        line.clear();
        let time = |t: Option<i64>| t.map(format_ms).unwrap_or_default();
        put(
            &mut line,
            &[
                &d.rule,
                &d.title,
                d.level.as_str(),
                &d.author,
                origin_name(d.origin),
                &d.techniques.join(" "),
                &d.tactics.join(" "),
                &d.count.to_string(),
                &time(d.first_ms),
                &time(d.last_ms),
                &event_ids.join(" "),
            ],
        )?;
        w.write_all(&line)?;
    }
    Ok(())
}

/// One CSV record.
fn put(line: &mut Vec<u8>, fields: &[&str]) -> io::Result<()> {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        write_field(line, f)?;
    }
    line.extend_from_slice(b"\r\n");
    Ok(())
}

fn origin_name(o: RuleOrigin) -> &'static str {
    match o {
        RuleOrigin::Sigmahq => "sigmahq",
        RuleOrigin::Trailglass => "trailglass",
        RuleOrigin::User => "user",
    }
}

/// One detection in the JSON export.
#[derive(Serialize)]
struct Entry<'a> {
    rule: &'a str,
    title: &'a str,
    level: Level,
    author: &'a str,
    origin: RuleOrigin,
    link: Option<&'a str>,
    techniques: &'a [String],
    tactics: &'a [String],
    count: u64,
    first_seen: Option<String>,
    last_seen: Option<String>,
    top_users: &'a [(String, u64)],
    top_ips: &'a [(String, u64)],
    event_ids: &'a [String],
}

/// Writes a JSON array with one object per detection.
pub fn export_detections_json(items: &[DetectionEvents], w: &mut impl Write) -> io::Result<()> {
    let entries: Vec<Entry<'_>> = items
        .iter()
        .map(|DetectionEvents { detection: d, event_ids }| Entry {
            rule: &d.rule,
            title: &d.title,
            level: d.level,
            author: &d.author,
            origin: d.origin,
            link: d.link.as_deref(),
            techniques: &d.techniques,
            tactics: &d.tactics,
            count: d.count,
            first_seen: d.first_ms.map(format_ms),
            last_seen: d.last_ms.map(format_ms),
            top_users: &d.top_users,
            top_ips: &d.top_ips,
            event_ids,
        })
        .collect();
    serde_json::to_writer_pretty(&mut *w, &entries)?;
    w.write_all(b"\n")
}
