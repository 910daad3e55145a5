//! The command line of `trailglass-scan`: the usage text, the parse (by `lexopt`: an unknown
//! flag or a missing value is an error with the usage, exit 2) and the checks of combinations,
//! so `main` gets an [`Args`] that makes sense or the process has already exited with a reason.

use std::path::PathBuf;

use trailglass_core::query::Query;

use crate::out::Format;

pub const USAGE: &str = "\
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
  --out FILE      stream: write the matching events (every event without --query) to FILE,
                  reading one file (or zip member) at a time, so memory stays bounded whatever
                  the input's size; adds \"written\": N. Progress goes to stderr (about once a
                  second). Duplicates are removed within each file only, and rule: / origin:
                  terms see one file at a time (a correlation across files is not found)
  --format F      the format of --out: ndjson (one event per line), records (CloudTrail's
                  {\"Records\":[…]}) or parquet (typed columns plus raw, the event's JSON); by
                  default from FILE's extension: .ndjson/.jsonl, .json, .parquet
  --verify        validate the files as `aws cloudtrail validate-logs` does, offline, against
                  the digest files among them; adds \"integrity\": each log file valid,
                  modified, missing, not-covered or trailing-data, each digest's chain and
                  signature, and a summary (not with --out)
  --public-keys FILE
                  with --verify: the output of `aws cloudtrail list-public-keys` (JSON), to
                  check the digests' signatures (without it they stay unchecked)
  -h, --help      print this help";

/// What the command line asked for.
pub struct Args {
    pub query: Option<Query>,
    pub ids: bool,
    pub detections: bool,
    pub origins: bool,
    pub rules: Vec<PathBuf>,
    /// `--out` and its format (given or from the extension).
    pub out: Option<(PathBuf, Format)>,
    /// `--verify`, with the `--public-keys` file if given.
    pub verify: Option<Option<PathBuf>>,
    pub paths: Vec<PathBuf>,
}

/// Exits with code 2 after `message` and the usage.
fn usage_error(message: &str) -> ! {
    eprintln!("trailglass-scan: {message}\n\n{USAGE}");
    std::process::exit(2);
}

/// Exits with code 2 after `message` (a combination that cannot work, said without the usage).
fn refuse(message: &str) -> ! {
    eprintln!("trailglass-scan: {message}");
    std::process::exit(2);
}

struct Raw {
    query: Option<String>,
    ids: bool,
    detections: bool,
    origins: bool,
    rules: Vec<PathBuf>,
    out: Option<PathBuf>,
    format: Option<String>,
    verify: bool,
    public_keys: Option<PathBuf>,
    paths: Vec<PathBuf>,
}

fn parse_raw() -> Result<Raw, lexopt::Error> {
    use lexopt::prelude::*;
    let mut a = Raw {
        query: None,
        ids: false,
        detections: false,
        origins: false,
        rules: Vec::new(),
        out: None,
        format: None,
        verify: false,
        public_keys: None,
        paths: Vec::new(),
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("query") => a.query = Some(parser.value()?.string()?),
            Long("ids") => a.ids = true,
            Long("detections") => a.detections = true,
            Long("origins") => a.origins = true,
            Long("rules") => a.rules.push(PathBuf::from(parser.value()?)),
            Long("out") => a.out = Some(PathBuf::from(parser.value()?)),
            Long("format") => a.format = Some(parser.value()?.string()?),
            Long("verify") => a.verify = true,
            Long("public-keys") => a.public_keys = Some(PathBuf::from(parser.value()?)),
            Short('h') | Long("help") => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            Value(path) => a.paths.push(PathBuf::from(path)),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(a)
}

/// The query, or exit 2 with the error, its byte position, a caret line and the hint.
fn parse_query(text: &str) -> Query {
    match trailglass_core::query::parse(text) {
        Ok(q) => q,
        Err(e) => {
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
    }
}

/// The command line, checked; exits with code 2 (and says why) when it cannot be run.
pub fn parse() -> Args {
    let raw = match parse_raw() {
        Ok(a) if !a.paths.is_empty() => a,
        Ok(_) => usage_error("no PATH given"),
        Err(e) => usage_error(&e.to_string()),
    };
    let query = raw.query.as_deref().map(parse_query);
    if raw.ids && raw.origins {
        refuse("--ids and --origins both print lines after the JSON: choose one");
    }
    if raw.ids && query.is_none() {
        refuse("--ids needs --query");
    }
    let needs_rules = query.as_ref().is_some_and(|q| q.uses_rules());
    if !raw.rules.is_empty() && !raw.detections && !needs_rules {
        refuse("--rules needs --detections (or a query with rule:, level:, tactic:, technique:)");
    }
    if raw.public_keys.is_some() && !raw.verify {
        refuse("--public-keys needs --verify");
    }
    let out = match (raw.out, raw.format.as_deref()) {
        (None, None) => None,
        (None, Some(_)) => refuse("--format needs --out FILE"),
        (Some(file), Some(f)) => match Format::from_name(f) {
            Some(format) => Some((file, format)),
            None => {
                refuse(&format!("--format {f}: unknown format; use ndjson, records or parquet"))
            }
        },
        (Some(file), None) => match Format::from_path(&file) {
            Some(format) => Some((file, format)),
            None => refuse(&format!(
                "--out {}: cannot tell the format from the extension (.ndjson, .jsonl, .json, \
                 .parquet); add --format ndjson|records|parquet",
                file.display()
            )),
        },
    };
    if out.is_some() {
        for (on, flag) in [
            (raw.ids, "--ids"),
            (raw.origins, "--origins"),
            (raw.detections, "--detections"),
            (raw.verify, "--verify"),
        ] {
            if on {
                refuse(&format!(
                    "{flag} needs the whole input in memory and --out streams it: run them \
                     separately"
                ));
            }
        }
    }
    Args {
        query,
        ids: raw.ids,
        detections: raw.detections,
        origins: raw.origins,
        rules: raw.rules,
        out,
        verify: raw.verify.then_some(raw.public_keys),
        paths: raw.paths,
    }
}
