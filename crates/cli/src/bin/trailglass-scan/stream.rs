//! The streaming scan behind `--out`: one input at a time — a file, or one member of a zip
//! (read from disk member by member, so a large archive is never in memory whole) — is read into
//! a fresh [`Store`], the query runs on it (rule: terms on that store's detections, origin:
//! terms on its identities), the matches' record texts go to the [`Sink`], and the store is
//! dropped before the next input. Memory is therefore one input's (its bytes, at most
//! [`trailglass_core::Limits::max_file_bytes`] decompressed, and its store) plus the sink's
//! buffer, whatever the number of files.
//!
//! What that costs, said in `--help`: duplicates are removed within one input only (a store
//! per input); a correlation rule or an identity chain that spans files is not seen. Keeping
//! every event's 16-byte content key to dedupe across files would grow with the input (1.6 GB
//! at 100M events), the opposite of the point.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Value};
use trailglass_core::detect::RuleSet;
use trailglass_core::engine::rule_rows;
use trailglass_core::identity::Identities;
use trailglass_core::query::{Context, Query};
use trailglass_core::{Store, Totals};

use crate::files::{collect, file_json, io_error_json, summary};
use crate::out::{Format, Sink};
use crate::progress::Progress;
use crate::rules::rule_set;

/// The state of one streaming run.
struct Run<'a> {
    query: Option<&'a Query>,
    rules: Option<RuleSet>,
    sink: Sink,
    /// The summary's file lines, each kept as its JSON text (~300 bytes a file, where a
    /// `Value` took several times that): the one part of a run that grows with the input.
    files: String,
    totals: Totals,
    matches: u64,
}

impl Run<'_> {
    /// Adds one line to the summary's `"files"`.
    fn file_line(&mut self, v: &Value) {
        if !self.files.is_empty() {
            self.files.push(',');
        }
        self.files.push_str(&v.to_string());
    }

    /// Reads one input (`path`, or its zip `member`) into a fresh store and writes its matches.
    fn input(&mut self, path: &Path, member: Option<&str>, bytes: Vec<u8>) -> Result<(), String> {
        let mut store = Store::new();
        crate::files::ingest(&mut store, &path.to_string_lossy(), bytes);
        let rows: Vec<u32> = match self.query {
            None => (0..store.len() as u32).collect(),
            Some(q) => {
                let hits = self.rules.as_ref().map(|set| set.run(&store));
                let rules = match (&self.rules, &hits) {
                    (Some(set), Some(h)) => rule_rows(set, h),
                    _ => Vec::new(),
                };
                let identities = q.uses_identities().then(|| {
                    let mut ids = Identities::new();
                    ids.update(&store);
                    ids
                });
                let context = Context { rules: &rules, identities: identities.as_ref() };
                q.run_in(&store, None, &context)
            }
        };
        self.matches += rows.len() as u64;
        let mut raws = store.raw_reader();
        for &row in &rows {
            let r = row as usize;
            self.sink.write(&store, r, raws.get(r))?;
        }
        self.totals += store.totals();
        for f in store.files() {
            let mut j = file_json(f);
            if let (Some(m), Some(obj)) = (member, j.as_object_mut()) {
                let name = match &f.member {
                    Some(inner) => format!("{m}!{inner}"),
                    None => m.to_string(),
                };
                obj.insert("member".into(), json!(name));
            }
            self.file_line(&j);
        }
        Ok(())
    }

    /// A zip's members one by one; false when `path` does not open as a zip (the reader then
    /// gets it whole and says what is wrong with it).
    fn zip(&mut self, path: &Path) -> Result<bool, String> {
        let Ok(file) = File::open(path) else { return Ok(false) };
        let Ok(mut archive) = zip::ZipArchive::new(file) else { return Ok(false) };
        let limit = trailglass_core::Limits::default().max_file_bytes;
        for i in 0..archive.len() {
            let (name, bytes) = match archive.by_index(i) {
                Ok(m) if m.is_dir() => continue,
                Ok(mut m) => {
                    let name = m.name().map_or_else(|_| format!("#{i}"), |n| n.into_owned());
                    let mut bytes = Vec::new();
                    // One byte past the limit, so the reader reports the member as too large.
                    match (&mut m).take(limit + 1).read_to_end(&mut bytes) {
                        Ok(_) => (name, bytes),
                        Err(e) => {
                            self.file_line(&io_error_json(path, Some(&name), &e));
                            continue;
                        }
                    }
                }
                Err(e) => {
                    let e = std::io::Error::other(e);
                    self.file_line(&io_error_json(path, Some(&format!("#{i}")), &e));
                    continue;
                }
            };
            self.input(path, Some(&name), bytes)?;
        }
        Ok(true)
    }
}

/// Whether `path` starts like a zip archive.
fn looks_zip(path: &Path) -> bool {
    let mut head = [0u8; 4];
    File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && &head == b"PK\x03\x04"
}

/// Peak resident memory of this process (Linux's VmHWM), in bytes.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Runs `--out FILE` over `inputs`; prints the summary; the process's exit code.
pub fn run(
    inputs: &[PathBuf],
    query: Option<&Query>,
    rule_paths: &[PathBuf],
    out: &Path,
    format: Format,
) -> i32 {
    let sink = match Sink::create(out, format) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("trailglass-scan: {e}");
            return 1;
        }
    };
    let mut paths = Vec::new();
    for a in inputs {
        collect(a, &mut paths);
    }
    // The output itself, when it lies under an input folder, is not read back into itself.
    if let Ok(me) = out.canonicalize() {
        paths.retain(|p| p.canonicalize().map_or(true, |p| p != me));
    }
    let rules = query.is_some_and(|q| q.uses_rules()).then(|| rule_set(rule_paths).0);
    let mut run =
        Run { query, rules, sink, files: String::new(), totals: Totals::default(), matches: 0 };
    let t0 = Instant::now();
    let mut progress = Progress::new(paths.len());
    for (done, p) in paths.iter().enumerate() {
        let step = if looks_zip(p) { run.zip(p) } else { Ok(false) }.and_then(|zipped| {
            if zipped {
                return Ok(());
            }
            match std::fs::read(p) {
                Ok(bytes) => run.input(p, None, bytes),
                Err(e) => {
                    run.file_line(&io_error_json(p, None, &e));
                    Ok(())
                }
            }
        });
        if let Err(e) = step {
            eprintln!("trailglass-scan: {e}");
            return 1;
        }
        progress.tick(done + 1, run.totals.bytes, run.sink.written());
    }
    let Run { sink, files, totals: t, matches, .. } = run;
    let written = match sink.finish() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("trailglass-scan: {e}");
            return 1;
        }
    };
    progress.done(paths.len(), t.bytes, written);
    let seconds = t0.elapsed().as_secs_f64();
    let mut summary = summary(Vec::new(), &t, seconds);
    if let Some(obj) = summary.as_object_mut() {
        obj.remove("files");
        obj.insert("mb_per_s".into(), json!(t.bytes as f64 / 1e6 / seconds.max(1e-9)));
        obj.insert("out".into(), json!(out.to_string_lossy()));
        obj.insert("format".into(), json!(format.name()));
        obj.insert("written".into(), json!(written));
        obj.insert("peak_rss_bytes".into(), json!(peak_rss_bytes()));
    }
    if let (Some(_), Some(obj)) = (query, summary.as_object_mut()) {
        obj.insert("matches".into(), json!(matches));
    }
    // The file lines are spliced in as text, never parsed back into one `Value`.
    let rest = summary.to_string();
    // Written, not println!'d: a closed pipe (`| head`) is no panic.
    let _ = writeln!(std::io::stdout(), "{{\"files\":[{files}],{}", rest.get(1..).unwrap_or("}"));
    0
}
