//! The detections as an ATT&CK Navigator layer (layer format 4.5), so the techniques hit open in
//! the tool analysts already use: each technique scored by the events of the detections that
//! name it (each event once, however many of them matched it), coloured by the most severe of
//! their levels, with their titles as its comment.
//!
//! A sub-technique is only drawn when its parent is expanded, so the parent of every
//! sub-technique hit is listed with `showSubtechniques` (scored only if it is hit itself).
//! Techniques are listed without a `tactic`, which the Navigator applies to every tactic the
//! technique belongs to.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::detections::Detection;
use crate::detect::Level;

/// The layer's versions: layer format, Navigator, ATT&CK.
pub const NAVIGATOR_VERSIONS: (&str, &str, &str) = ("4.5", "5.1.0", "16");

/// The colour of a level, in the layer and its legend.
pub fn level_color(level: Level) -> &'static str {
    match level {
        Level::Informational => "#bdbdbd",
        Level::Low => "#64b5f6",
        Level::Medium => "#fdd835",
        Level::High => "#fb8c00",
        Level::Critical => "#d32f2f",
    }
}

const LEVELS: [Level; 5] =
    [Level::Informational, Level::Low, Level::Medium, Level::High, Level::Critical];

/// What the detections say about one technique.
#[derive(Default)]
struct Hit<'a> {
    /// The events of its detections (each once).
    score: u64,
    level: Option<Level>,
    titles: Vec<&'a str>,
}

/// The layer as JSON: the techniques of `detections`, each scored by `events` (the distinct
/// events of the detections naming it: `crate::answer::technique_events`, added over data
/// workers, whose events are distinct).
pub fn navigator_layer(detections: &[&Detection], events: &[(String, u64)]) -> Value {
    let mut hits: BTreeMap<&str, Hit<'_>> = BTreeMap::new();
    for d in detections {
        for t in &d.techniques {
            let h = hits.entry(t).or_default();
            h.level = h.level.max(Some(d.level));
            if !h.titles.contains(&d.title.as_str()) {
                h.titles.push(&d.title);
            }
        }
    }
    for (t, n) in events {
        if let Some(h) = hits.get_mut(t.as_str()) {
            h.score = *n;
        }
    }
    let parents: Vec<&str> =
        hits.keys().filter_map(|t| t.split_once('.').map(|(p, _)| p)).collect();
    let mut techniques: Vec<Value> = Vec::new();
    for (id, h) in &hits {
        let mut t = json!({
            "techniqueID": id,
            "score": h.score,
            "color": h.level.map_or("", level_color),
            "comment": h.titles.join("; "),
            "enabled": true,
        });
        if let (true, Some(map)) = (parents.contains(id), t.as_object_mut()) {
            map.insert("showSubtechniques".into(), json!(true));
        }
        techniques.push(t);
    }
    let mut shown: Vec<&str> = Vec::new();
    for p in parents {
        if !hits.contains_key(p) && !shown.contains(&p) {
            shown.push(p);
            techniques
                .push(json!({ "techniqueID": p, "showSubtechniques": true, "enabled": true }));
        }
    }
    let max = hits.values().map(|h| h.score).max().unwrap_or(0);
    let (layer, navigator, attack) = NAVIGATOR_VERSIONS;
    json!({
        "name": "Trailglass detections",
        "versions": { "layer": layer, "navigator": navigator, "attack": attack },
        "domain": "enterprise-attack",
        "description": "ATT&CK techniques of the rules that matched events in Trailglass: score = matching events, colour = the most severe level.",
        "techniques": techniques,
        "gradient": { "colors": ["#ffffff", "#d32f2f"], "minValue": 0, "maxValue": max.max(1) },
        "legendItems": LEVELS
            .iter()
            .rev()
            .map(|&l| json!({ "label": l.as_str(), "color": level_color(l) }))
            .collect::<Vec<_>>(),
        "hideDisabled": false,
        "selectTechniquesAcrossTactics": true,
        "selectSubtechniquesWithParent": false,
    })
}

/// Writes the layer.
pub fn export_navigator_layer(
    detections: &[&Detection],
    events: &[(String, u64)],
    w: &mut impl Write,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &navigator_layer(detections, events))?;
    w.write_all(b"\n")
}
