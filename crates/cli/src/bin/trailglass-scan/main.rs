//! `trailglass-scan PATH...`: reads files or folders (recursively) with the Trailglass reader and
//! prints one JSON object with per-file and total counts. For people and for checks against data
//! nobody here wrote. Arguments are parsed by `lexopt`: an unknown flag or a missing value is an
//! error with the usage (exit 2); `--help` lists every option.
//!
//! `--query 'QUERY'` (or `--query=QUERY`) filters the events with the query language of
//! `trailglass_core::query` (the same engine as the app) and adds `"matches": N` to the JSON;
//! `--ids` then prints, after the JSON line, the eventID of each match one per line in row order
//! (`-` for an event without an eventID). A query that does not parse exits with code 2 and the
//! error, its byte position and a hint on stderr.
//!
//! `--detections` runs the built-in Sigma rules (`trailglass_core::detect`) and adds
//! `"detections"` (per reported rule with at least one match: id, title, level, author, ATT&CK
//! techniques, the number of matching events and their eventIDs sorted, one per event: the store
//! keeps one copy of a duplicate event and every distinct event sharing an eventID) and
//! `"unsupported"` (every rule that could not be used, with the reason, file, line and column).
//! `--rules PATH` (repeatable) adds a rule file, or every `.yml`/`.yaml` under a folder.
//!
//! `--origins` resolves who is behind every call (`trailglass_core::identity`), adds
//! `"origins"` (sessions, distinct origins, events of unknown origin, seconds) to the JSON and
//! then prints one JSON Lines record per event (per match with `--query`), in row order:
//! `{"id": <eventID>, "origin": <origin or null>, "chain": [<identities from the origin to the
//! caller>], "session": <userIdentity.accessKeyId or null>}`.
//!
//! `--out FILE [--format ndjson|records|parquet]` streams instead (`stream.rs`): one file or
//! zip member at a time into a fresh store, its matches written to FILE, the store dropped, so
//! memory stays bounded whatever the input's size; the summary adds `"written": N`.
//!
//! `--verify [--public-keys FILE]` validates the files offline as `aws cloudtrail validate-logs`
//! does (`trailglass_core::integrity`, `verify.rs`) and adds `"integrity"` to the JSON.
//!
//! The modules follow the seams: `args` (the command line and its checks), `files` (inputs and
//! their report lines), `rules` (the rule set and detections), `stream`, `out` (the writers),
//! `progress` (stderr lines of a stream) and `verify`; this file is the whole-input scan.

use std::path::PathBuf;
use std::time::Instant;

use serde_json::{json, Value};
use trailglass_core::engine::rule_rows;
use trailglass_core::identity::Identities;
use trailglass_core::query::Context;
use trailglass_core::{Column, Store};

mod args;
mod files;
mod out;
mod progress;
mod rules;
mod stream;
mod verify;

use files::{collect, file_json, summary};
use rules::{detections, rule_set};

fn main() {
    let args = args::parse();
    if let Some((out, format)) = &args.out {
        let code = stream::run(&args.paths, args.query.as_ref(), &args.rules, out, *format);
        std::process::exit(code);
    }
    let print_ids = args.ids;
    let query = args.query;
    let needs_rules = query.as_ref().is_some_and(|q| q.uses_rules());
    let mut paths = Vec::new();
    for a in &args.paths {
        collect(a, &mut paths);
    }
    let mut store = Store::new();
    let mut io_errors = Vec::new();
    let mut unread = Vec::new();
    let mut read = |p: &PathBuf| match std::fs::read(p) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            io_errors.push(json!({"path": p.to_string_lossy(), "error": e.to_string()}));
            unread.push(format!("{}: cannot read ({e}); not verified", p.display()));
            None
        }
    };
    let t0 = Instant::now();
    let integrity = match &args.verify {
        // Each file read once: hashed as it is on disk, then handed to the store.
        Some(keys) => {
            let read: Vec<(&PathBuf, Vec<u8>)> =
                paths.iter().filter_map(|p| read(p).map(|b| (p, b))).collect();
            let integrity = verify::run(&read, keys.as_deref(), &store.limits());
            for (p, bytes) in read {
                files::ingest(&mut store, &p.to_string_lossy(), bytes);
            }
            Some(integrity)
        }
        None => {
            for p in &paths {
                if let Some(bytes) = read(p) {
                    files::ingest(&mut store, &p.to_string_lossy(), bytes);
                }
            }
            None
        }
    };
    let integrity = integrity.map(|mut v| {
        // The files that could not be read were not verified either.
        if let Some(notes) = v.get_mut("notes").and_then(Value::as_array_mut) {
            notes.extend(unread.into_iter().map(Value::from));
        }
        v
    });
    let seconds = t0.elapsed().as_secs_f64();
    let files: Vec<Value> = store.files().iter().map(file_json).chain(io_errors).collect();
    let t = store.totals();
    // The store keeps a small load's record blocks plain until it is idle (the app's worker
    // compresses them after the load): here, before its memory is reported.
    while store.compress_deferred(64) {}
    let mem = store.memory_bytes();
    let mut out = summary(files, &t, seconds);
    if let Some(obj) = out.as_object_mut() {
        let m = json!({"columns": mem.columns, "raw": mem.raw, "interned": mem.interned});
        obj.insert("memory_bytes".into(), m);
    }
    // The rules run once, for the detections and for the query's detection terms.
    let ruled = (args.detections || needs_rules).then(|| {
        let (set, unreadable) = rule_set(&args.rules);
        let hits = set.run(&store);
        (set, hits, unreadable)
    });
    let identities =
        (args.origins || query.as_ref().is_some_and(|q| q.uses_identities())).then(|| {
            let t0 = Instant::now();
            let mut ids = Identities::new();
            ids.update(&store);
            (ids, t0.elapsed().as_secs_f64())
        });
    let matches = query.as_ref().map(|q| {
        let rules = ruled.as_ref().map(|(set, hits, _)| rule_rows(set, hits)).unwrap_or_default();
        let context = Context { rules: &rules, identities: identities.as_ref().map(|(i, _)| i) };
        q.run_in(&store, None, &context)
    });
    if let (true, Some((ids, seconds)), Some(obj)) =
        (args.origins, &identities, out.as_object_mut())
    {
        let unknown = (0..store.len()).filter(|&r| ids.origin_id(r).is_none()).count();
        obj.insert(
            "origins".into(),
            json!({"sessions": ids.sessions(), "origins": ids.origins().len(),
                   "unknown": unknown, "seconds": seconds}),
        );
    }
    if let (Some(m), Some(obj)) = (&matches, out.as_object_mut()) {
        obj.insert("matches".into(), json!(m.len()));
    }
    if let (true, Some(obj), Some((set, hits, unreadable))) =
        (args.detections, out.as_object_mut(), ruled)
    {
        let (detections, unsupported) = detections(&store, &set, &hits, unreadable);
        obj.insert("detections".into(), detections);
        obj.insert("unsupported".into(), unsupported);
    }
    if let (Some(integrity), Some(obj)) = (integrity, out.as_object_mut()) {
        obj.insert("integrity".into(), integrity);
    }
    // Written, not println!'d: a reader that stops early (`| head`) closes the pipe, and the
    // scan then stops writing instead of panicking.
    use std::io::Write;
    if writeln!(std::io::stdout(), "{out}").is_err() {
        return;
    }
    if let (true, Some(m)) = (print_ids, &matches) {
        let stdout = std::io::stdout();
        let mut w = std::io::BufWriter::new(stdout.lock());
        for &row in m {
            let id = trailglass_core::query::field_text(&store, row as usize, "eventID")
                .unwrap_or_else(|| "-".into());
            if writeln!(w, "{id}").is_err() {
                return;
            }
        }
    }
    if let (true, Some((ids, _))) = (args.origins, &identities) {
        print_origins(&store, ids, matches.as_deref());
    }
}

/// One JSON line per event (or per row of `only`): its eventID, origin, chain and session.
fn print_origins(store: &Store, ids: &Identities, only: Option<&[u32]>) {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let all: Vec<u32>;
    let rows = match only {
        Some(m) => m,
        None => {
            all = (0..store.len() as u32).collect();
            &all
        }
    };
    for &row in rows {
        let r = row as usize;
        let id = trailglass_core::query::field_text(store, r, "eventID");
        let key = store.get(r, Column::AccessKey);
        let line = json!({
            "id": id,
            "origin": ids.origin_of(r).map(|o| o.text.as_str()),
            "chain": ids.chain_texts(store, r),
            "session": (!key.is_empty()).then_some(key),
        });
        if writeln!(w, "{line}").is_err() {
            return;
        }
    }
}
