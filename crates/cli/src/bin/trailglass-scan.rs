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

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Value};
use trailglass_core::detect::{Hits, RuleSet};
use trailglass_core::engine::rule_rows;
use trailglass_core::identity::Identities;
use trailglass_core::query::Context;
use trailglass_core::{Column, Store};

fn collect(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(p) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                eprintln!("cannot list {}: {e}", p.display());
                return;
            }
        };
        entries.sort();
        for e in entries {
            collect(&e, out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

const USAGE: &str = "\
usage: trailglass-scan [OPTIONS] PATH...

Reads CloudTrail files or folders (recursively) and prints one JSON object with per-file and
total counts.

options:
  --query QUERY   filter the events with Trailglass's query language; adds \"matches\": N
                  (rule:, level:, tactic:, technique: select the events of the rules' matches)
  --ids           with --query: after the JSON line, print each match's eventID, one per line
                  (- for an event without one)
  --detections    run the built-in Sigma rules; adds \"detections\" and \"unsupported\"
  --rules PATH    add a rule file, or the .yml/.yaml files under a folder, to the built-in
                  rules (repeatable; with --detections or a query's detection terms)
  --origins       resolve who is behind every call; after the JSON line, print one JSON line
                  per event (per match with --query): {\"id\", \"origin\", \"chain\", \"session\"}
  -h, --help      print this help";

/// What the command line asked for.
struct Args {
    query: Option<String>,
    ids: bool,
    detections: bool,
    origins: bool,
    rules: Vec<PathBuf>,
    paths: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, lexopt::Error> {
    use lexopt::prelude::*;
    let mut args = Args {
        query: None,
        ids: false,
        detections: false,
        origins: false,
        rules: Vec::new(),
        paths: Vec::new(),
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("query") => args.query = Some(parser.value()?.string()?),
            Long("ids") => args.ids = true,
            Long("detections") => args.detections = true,
            Long("origins") => args.origins = true,
            Long("rules") => args.rules.push(PathBuf::from(parser.value()?)),
            Short('h') | Long("help") => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            Value(path) => args.paths.push(PathBuf::from(path)),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(args)
}

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
fn rule_set(rules: &[PathBuf]) -> (RuleSet, Vec<Value>) {
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
fn detections(store: &Store, set: &RuleSet, hits: &Hits, unreadable: Vec<Value>) -> (Value, Value) {
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

fn main() {
    let args = match parse_args() {
        Ok(a) if !a.paths.is_empty() => a,
        Ok(_) => {
            eprintln!("trailglass-scan: no PATH given\n\n{USAGE}");
            std::process::exit(2);
        }
        Err(e) => {
            eprintln!("trailglass-scan: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    let query_text = args.query;
    let print_ids = args.ids;
    let query = match query_text.as_deref().map(trailglass_core::query::parse) {
        None => None,
        Some(Ok(q)) => Some(q),
        Some(Err(e)) => {
            let text = query_text.as_deref().unwrap_or("");
            eprintln!("bad query: {} at byte {}..{}", e.message, e.start, e.end);
            eprintln!("  {text}");
            let caret = text.get(..e.start).map_or(0, |p| p.chars().count());
            let width = text.get(e.start..e.end).map_or(1, |p| p.chars().count().max(1));
            eprintln!("  {}{}", " ".repeat(caret), "^".repeat(width));
            if let Some(h) = &e.hint {
                eprintln!("hint: {h}");
            }
            std::process::exit(2);
        }
    };
    if print_ids && args.origins {
        eprintln!("--ids and --origins both print lines after the JSON: choose one");
        std::process::exit(2);
    }
    if print_ids && query.is_none() {
        eprintln!("--ids needs --query");
        std::process::exit(2);
    }
    let needs_rules = query.as_ref().is_some_and(|q| q.uses_rules());
    if !args.rules.is_empty() && !args.detections && !needs_rules {
        eprintln!(
            "--rules needs --detections (or a query with rule:, level:, tactic:, technique:)"
        );
        std::process::exit(2);
    }
    let mut paths = Vec::new();
    for a in &args.paths {
        collect(a, &mut paths);
    }
    let mut store = Store::new();
    let t0 = Instant::now();
    let mut io_errors = Vec::new();
    for p in &paths {
        match std::fs::read(p) {
            Ok(bytes) => {
                store.ingest_owned(&p.to_string_lossy(), bytes);
            }
            Err(e) => io_errors.push(json!({"path": p.to_string_lossy(), "error": e.to_string()})),
        }
    }
    let seconds = t0.elapsed().as_secs_f64();
    let files: Vec<Value> = store
        .files()
        .iter()
        .map(|f| {
            json!({
                "path": f.path,
                "member": f.member,
                "format": f.format,
                "status": format!("{:?}", f.status()),
                "events": f.events,
                "kept": f.kept,
                "duplicates": f.duplicates,
                "rejected": f.rejected,
                "digests": f.digests,
                "bytes": f.bytes,
                "error": f.error.as_ref().map(|e| e.to_string()),
                "skipped": f.skipped,
                "notes": f.notes,
                "rejections": f.rejections.iter().map(|r| json!({
                    "reason": r.reason, "count": r.count, "first": r.first.map(|p| p.to_string())
                })).collect::<Vec<_>>(),
            })
        })
        .chain(io_errors)
        .collect();
    let t = store.totals();
    // The store keeps a small load's record blocks plain until it is idle (the app's worker
    // compresses them after the load): here, before its memory is reported.
    while store.compress_deferred(64) {}
    let mem = store.memory_bytes();
    let out = json!({
        "files": files,
        "events": t.read,
        "kept": t.kept,
        "duplicates": t.duplicates,
        "rejected": t.rejected,
        "digests": t.digests,
        "bytes": t.bytes,
        "seconds": seconds,
        "memory_bytes": {"columns": mem.columns, "raw": mem.raw, "interned": mem.interned},
    });
    let mut out = out;
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
    println!("{out}");
    if let (true, Some(m)) = (print_ids, &matches) {
        use std::io::Write;
        let stdout = std::io::stdout();
        let mut w = std::io::BufWriter::new(stdout.lock());
        for &row in m {
            let id = trailglass_core::query::field_text(&store, row as usize, "eventID")
                .unwrap_or_else(|| "-".into());
            let _ = writeln!(w, "{id}");
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
        let _ = writeln!(w, "{line}");
    }
}
