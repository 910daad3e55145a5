//! Sigma rules for `trailglass-scan`: the rule set (built-in plus `--rules` files) and the
//! `"detections"` / `"unsupported"` parts of the summary. Apart from `main` because both the
//! whole-input scan and the streaming `--out` (a query's rule: terms, per file) build the set.

use std::path::PathBuf;

use serde_json::{json, Value};
use trailglass_core::detect::{Hits, RuleSet};
use trailglass_core::Store;

use crate::files::collect;

/// The rule files under `--rules` paths: a file as given, a folder's `.yml`/`.yaml` files.
fn rule_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            collect(p, &mut found);
            out.extend(found.into_iter().filter(|f| {
                f.extension().and_then(|e| e.to_str()).is_some_and(|e| e == "yml" || e == "yaml")
            }));
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// The built-in rules plus the files under `rules`, and the rule files that could not be read
/// (as `"unsupported"` entries).
pub fn rule_set(rules: &[PathBuf]) -> (RuleSet, Vec<Value>) {
    let mut set = RuleSet::builtin();
    let mut unreadable = Vec::new();
    for f in rule_files(rules) {
        let name = f.to_string_lossy().to_string();
        match std::fs::read(&f) {
            Ok(bytes) => {
                set.add_file(&name, &String::from_utf8_lossy(&bytes));
            }
            Err(e) => unreadable.push(json!({"rule": name, "reason": e.to_string(), "file": name})),
        }
    }
    (set, unreadable)
}

/// `"detections"` and `"unsupported"` of `set`'s `hits`.
pub fn detections(
    store: &Store,
    set: &RuleSet,
    hits: &Hits,
    unreadable: Vec<Value>,
) -> (Value, Value) {
    let mut found = Vec::new();
    for (i, m) in set.rules().iter().enumerate() {
        let rows = hits.rows(i);
        if !m.reported || rows.is_empty() {
            continue;
        }
        let mut ids: Vec<String> = rows
            .iter()
            .map(|&r| {
                trailglass_core::query::field_text(store, r as usize, "eventID")
                    .unwrap_or_else(|| "-".into())
            })
            .collect();
        ids.sort();
        found.push(json!({
            "rule": m.id,
            "title": m.title,
            "level": m.level,
            "author": m.author,
            "attack": m.techniques,
            "matches": rows.len(),
            "ids": ids,
        }));
    }
    let unsupported: Vec<Value> = set
        .problems()
        .into_iter()
        .map(|p| {
            json!({
                "rule": p.rule.clone().unwrap_or_else(|| p.file.clone()),
                "reason": format!("{}:{}:{}: {}", p.file, p.line, p.column, p.message),
                "file": p.file,
                "line": p.line,
                "column": p.column,
            })
        })
        .chain(unreadable)
        .collect();
    (Value::Array(found), Value::Array(unsupported))
}
