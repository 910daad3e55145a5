//! Differential tests: the hand-written record parser ([`crate::record::fast`]) against the serde
//! path it short-cuts.
//!
//! * Record level: at every `{` of every text (the shared corpus, synthetic CloudTrail,
//!   hand-made edge cases and thousands of mutations of them), whenever the fast path accepts an
//!   object, serde_json's typed stream parse of the same text must succeed, end at the same byte
//!   and give an equal [`crate::record::Ev`]; and a record it calls compact must compact to
//!   itself.
//! * Store level: the same inputs read with the fast path on and off must give identical stores
//!   (rows, every column, times, raw text, file index) and identical file reports.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::record::{fast, Ev};
use crate::scan::compact_into;
use crate::store::{Column, Store};
use trailglass_sample::{generate, Rng, SynthOptions};

/// Checks the fast path at `start`; returns whether it accepted the object.
fn agrees(text: &str, start: usize) -> bool {
    let Some((ev, end, ws)) = fast::parse(text, start) else {
        return false;
    };
    let rest = &text[start..];
    let mut sd = serde_json::Deserializer::from_str(rest).into_iter::<Ev>();
    let serde = sd.next();
    let Some(Ok(ev2)) = serde else {
        panic!(
            "fast path accepted what serde rejects ({:?}):\n{}",
            serde.map(|r| r.err()),
            &rest[..(end - start).min(2000)]
        );
    };
    assert_eq!(sd.byte_offset(), end - start, "end differs: {}", &text[start..end]);
    assert_eq!(format!("{ev:?}"), format!("{ev2:?}"), "record: {}", &text[start..end]);
    if !ws {
        let mut out = Vec::new();
        compact_into(&text.as_bytes()[start..end], &mut out);
        assert_eq!(out, text.as_bytes()[start..end], "not compact: {}", &text[start..end]);
    }
    true
}

/// Runs [`agrees`] at every `{` of `text`; returns (objects accepted, objects tried).
fn agrees_everywhere(text: &str) -> (usize, usize) {
    let mut yes = 0;
    let mut tried = 0;
    for (i, _) in text.match_indices('{') {
        tried += 1;
        if agrees(text, i) {
            yes += 1;
        }
    }
    (yes, tried)
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut es: Vec<PathBuf> =
            std::fs::read_dir(p).unwrap().map(|e| e.unwrap().path()).collect();
        es.sort();
        for e in es {
            walk(&e, out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

/// Every corpus file: (relative name, bytes as stored).
pub(crate) fn corpus_files() -> Vec<(String, Vec<u8>)> {
    let dir = corpus_dir();
    assert!(
        dir.join("expected.tsv").is_file(),
        "the shared corpus is missing: expected {}",
        dir.display()
    );
    let mut paths = Vec::new();
    walk(&dir, &mut paths);
    paths
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// The text of a corpus file (gunzipped), when it is UTF-8.
pub(crate) fn text_of(bytes: &[u8]) -> Option<String> {
    let plain = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out).ok()?;
        out
    } else {
        bytes.to_vec()
    };
    String::from_utf8(plain).ok()
}

const EV: &str = r#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROA1:bob","arn":"arn:aws:sts::111122223333:assumed-role/Admin/bob","accountId":"111122223333","accessKeyId":"ASIA1","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/Admin","userName":"Admin"},"attributes":{"mfaAuthenticated":"false"}}},"eventTime":"2024-01-02T03:04:05Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"aws-cli/2","requestParameters":{"bucketName":"b","key":"k","n":[1,-2.5e3,0,true,false,null,{"a":{}},[]]},"responseElements":null,"eventID":"id-1","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"111122223333","eventCategory":"Management"}"#;

/// Hand-made records: escapes, unicode, odd types, missing and duplicate fields, nesting,
/// whitespace, truncation, invalid JSON.
pub(crate) fn edge_cases() -> Vec<String> {
    let mut v: Vec<String> = vec![
        EV.to_string(),
        // Escapes in extracted fields: decoded by both paths, except surrogate `\u` escapes and
        // escapes in keys, which the fast path leaves to serde.
        EV.replace("aws-cli/2", r#"curl \"q\" \\b\/s \u00e9\ud83d\ude00"#),
        EV.replace("GetObject", r#"Get\u004fbject"#),
        EV.replace("\"eventName\"", r#""event\u004eame""#),
        EV.replace("us-east-1", r#"us-east-\u0031"#),
        EV.replace("GetObject", r#"Get\/Object\\"#),
        EV.replace("GetObject", r#"Get\x"#),
        EV.replace("GetObject", r#"Get\u00"#),
        EV.replace("GetObject", r#"Get\u00G0"#),
        EV.replace("GetObject", r#"\uD83D\uDE00"#),
        EV.replace("GetObject", r#"\uDE00"#),
        EV.replace("GetObject", r#"\uD83D"#),
        EV.replace("GetObject", "Get\\\u{7f}\u{e9}"),
        EV.replace("\"Admin\"}", r#""Adm\u0069n"}"#),
        EV.replace("\"readOnly\":true", r#""readOnly":"tru\u0065""#),
        // Escapes in skipped values: fine for both (lone surrogates are not checked there).
        EV.replace("\"key\":\"k\"", r#""key":"\ud800 \n\t\"\\ \u12aB""#),
        EV.replace("\"key\":\"k\"", r#""k\"ey":"v""#),
        // Invalid escapes / control characters anywhere.
        EV.replace("\"key\":\"k\"", r#""key":"\x""#),
        EV.replace("\"key\":\"k\"", r#""key":"\u12G4""#),
        EV.replace("\"key\":\"k\"", "\"key\":\"a\u{1}b\""),
        EV.replace("\"key\":\"k\"", "\"key\":\"a\tb\""),
        EV.replace("us-east-1", "us-east-\u{1f}1"),
        // Unicode, raw.
        EV.replace("bob\"", "bøb 😀 ünïcödé\"")
            .replace("aws-cli/2", "naïve/1 — “quotes” 中文"),
        // Numbers, booleans, null and containers where scalars are expected.
        EV.replace("\"2024-01-02T03:04:05Z\"", "1704164645"),
        EV.replace("\"2024-01-02T03:04:05Z\"", "1704164645123.5"),
        EV.replace("\"2024-01-02T03:04:05Z\"", "-1e400"),
        EV.replace("\"2024-01-02T03:04:05Z\"", "null"),
        EV.replace("\"2024-01-02T03:04:05Z\"", "true"),
        EV.replace("\"2024-01-02T03:04:05Z\"", "{\"a\":1}"),
        EV.replace("\"2024-01-02T03:04:05Z\"", "[1,2]"),
        EV.replace("\"readOnly\":true", "\"readOnly\":\"true\""),
        EV.replace("\"readOnly\":true", "\"readOnly\":\"FALSE\""),
        EV.replace("\"readOnly\":true", "\"readOnly\":null"),
        EV.replace("\"readOnly\":true", "\"readOnly\":1"),
        EV.replace("\"us-east-1\"", "5"),
        EV.replace("\"us-east-1\"", "false"),
        // Identity written as a JSON string, null, or odd types.
        EV.replace(
            "\"userIdentity\":{\"type\"",
            "\"userIdentity\":\"{\\\"type\\\":\\\"Root\\\"}\",\"x\":{\"type\"",
        ),
        EV.replace("\"userIdentity\":{", "\"userIdentity\":null,\"x\":{"),
        EV.replace("\"userIdentity\":{", "\"userIdentity\":[],\"x\":{"),
        EV.replace("\"userIdentity\":{", "\"userIdentity\":7,\"x\":{"),
        EV.replace("\"sessionIssuer\":{", "\"sessionIssuer\":null,\"y\":{"),
        EV.replace("\"sessionIssuer\":{", "\"sessionIssuer\":\"s\",\"y\":{"),
        EV.replace("\"sessionContext\":{", "\"sessionContext\":false,\"y\":{"),
        // Missing fields.
        r#"{"eventName":"A"}"#.to_string(),
        r#"{"eventSource":"x","eventTime":"2024-01-01T00:00:00Z"}"#.to_string(),
        r#"{"a":1,"b":[{"c":"d"}]}"#.to_string(),
        r#"{}"#.to_string(),
        r#"{"logFiles":[],"digestStartTime":"2015-08-20T17:01:31Z","awsAccountId":"1"}"#
            .to_string(),
        r#"{"@timestamp":"2020-09-14T01:19:40.000Z","eventName":"B","time":1,"_time":2,"timestamp":"3","p_event_time":"x"}"#
            .to_string(),
        r#"{"eventType":"AwsCloudTrailInsight","insightDetails":{"eventSource":"a","eventName":"b","state":"Start"},"eventTime":"2022-04-12T16:10:00Z"}"#
            .to_string(),
        r#"{"eventType":"AwsCloudTrailInsight","insightDetails":"{\"eventName\":\"x\"}"}"#
            .to_string(),
        // Duplicate keys: known (serde errors), nested known, unknown (serde keeps going).
        EV.replace("\"eventName\":\"GetObject\"", "\"eventName\":\"A\",\"eventName\":\"B\""),
        EV.replace("\"eventID\":\"id-1\"", "\"eventID\":\"id-1\",\"eventID\":null"),
        EV.replace("\"accountId\":\"111122223333\",", "\"accountId\":\"1\",\"accountId\":\"2\","),
        EV.replace("\"bucketName\":\"b\"", "\"bucketName\":\"b\",\"bucketName\":\"c\""),
        EV.replace("\"responseElements\":null", "\"responseElements\":null,\"responseElements\":1"),
        EV.replace("\"eventCategory\"", "\"logFiles\":1,\"logFiles\":2,\"eventCategory\""),
        // Whitespace: pretty, `": "`, odd places.
        EV.replace(",\"", ",\n  \"").replace("\":", "\" : "),
        EV.replace("{\"", "{ \"").replace("}", " }"),
        EV.replace(",\"", ",\t\"").replace("[", "[\r\n"),
        EV.replace("\"key\":\"k\"", "\"key\":\": k\""),
        format!("{{\": x\":1,{}", &EV[1..]),
        // Bad JSON.
        EV.replace("\"readOnly\":true", "\"readOnly\":tru"),
        EV.replace("\"readOnly\":true", "\"readOnly\":TRUE"),
        EV.replace(",\"eventCategory\"", ",,\"eventCategory\""),
        EV.replace("[]]", "[],]"),
        EV.replace("\"a\":{}", "\"a\":{},"),
        EV.replace("\"eventCategory\":\"Management\"", "\"eventCategory\":\"Management\","),
        EV.replace("0,true", "01,true"),
        EV.replace("0,true", "-,true"),
        EV.replace("0,true", "1.,true"),
        EV.replace("0,true", "1e,true"),
        EV.replace("0,true", "1e+,true"),
        EV.replace("0,true", ".5,true"),
        EV.replace("0,true", "+1,true"),
        EV.replace("0,true", "1E-7,true"),
        EV.replace("\"n\":", "\"n\" "),
        EV.replace("\"n\":", "n:"),
        EV.replace("{\"a\":{}}", "{\"a\":{}]"),
        format!("{EV}}}"),
        format!("{EV}x"),
        format!("{EV},{EV}"),
        // Deep nesting inside a skipped value, and at the edge of the fast path's depth.
        EV.replace("\"b\"", &format!("{}1{}", "[".repeat(60), "]".repeat(60))),
        EV.replace("\"b\"", &format!("{}1{}", "[".repeat(98), "]".repeat(98))),
        EV.replace("\"b\"", &format!("{}1{}", "[".repeat(99), "]".repeat(99))),
        EV.replace("\"b\"", &format!("{}1{}", "[".repeat(200), "]".repeat(200))),
        EV.replace("\"b\"", &format!("{}1{}", "{\"a\":".repeat(150), "}".repeat(150))),
    ];
    // Truncations of a record at every length.
    for n in 0..EV.len() {
        v.push(EV[..n].to_string());
    }
    v
}

#[test]
fn fast_path_accepts_usual_records() {
    let yes = [
        EV.to_string(),
        EV.replace(",\"", ",\n  \"").replace("\":", "\" : "),
        r#"{"eventName":"A"}"#.to_string(),
        EV.replace("\"key\":\"k\"", r#""key":"\ud800 \n\t\"\\ \u12aB""#),
        EV.replace("\"eventName\":\"GetObject\"", "\"eventName\":null"),
        EV.replace("\"bucketName\":\"b\"", "\"bucketName\":\"b\",\"bucketName\":\"c\""),
        // Escapes in extracted values are decoded as serde decodes them.
        EV.replace("aws-cli/2", r#"curl \"q\" \\b\/s \u00e9\u0000\t\uFFFF"#),
        EV.replace(
            "arn:aws:sts::111122223333:assumed-role/Admin/bob",
            r#"arn:aws:sts::111122223333:assumed-role\/Admin\/b\u006fb"#,
        ),
    ];
    for r in &yes {
        assert!(agrees(r, 0), "declined: {r}");
    }
    let no = [
        EV.replace("aws-cli/2", r#"curl \ud83d\ude00"#),
        EV.replace("\"eventName\"", r#""event\u004eame""#),
        EV.replace("\"2024-01-02T03:04:05Z\"", "1704164645"),
        EV.replace("\"eventName\":\"GetObject\"", "\"eventName\":\"A\",\"eventName\":\"B\""),
        EV.replace("\"readOnly\":true", "\"readOnly\":tru"),
        EV[..EV.len() - 1].to_string(),
        EV.replace("\"b\"", &format!("{}1{}", "[".repeat(200), "]".repeat(200))),
    ];
    for r in &no {
        assert!(!agrees(r, 0), "accepted: {r}");
    }
}

#[test]
fn fast_path_edge_cases_agree_with_serde() {
    let mut accepted = 0;
    for r in edge_cases() {
        accepted += agrees_everywhere(&r).0;
    }
    assert!(accepted > 100, "{accepted}");
}

#[test]
fn fast_path_corpus_agrees_with_serde() {
    let (mut yes, mut tried, mut texts) = (0, 0, 0);
    for (_, bytes) in corpus_files() {
        if let Some(t) = text_of(&bytes) {
            texts += 1;
            let (y, n) = agrees_everywhere(&t);
            yes += y;
            tried += n;
        }
    }
    eprintln!("corpus: fast path took {yes} of {tried} objects in {texts} texts");
    assert!(texts > 150, "{texts}");
    assert!(yes > 1000 && tried > yes, "{yes} of {tried}");
}

#[test]
fn fast_path_synthetic_agrees_with_serde() {
    let files = generate(&SynthOptions { events: 6000, ..SynthOptions::default() });
    let (mut records, mut accepted) = (0, 0);
    let mut stack = Vec::new();
    for f in &files {
        let t = std::str::from_utf8(&f.bytes).unwrap();
        let mut it = crate::scan::ArrayIter::new("{\"Records\":".len());
        while let Some((s, _, _)) = it.next(t.as_bytes(), &mut stack).unwrap() {
            records += 1;
            if agrees(t, s) {
                accepted += 1;
            }
        }
        agrees_everywhere(t);
    }
    // A few synthetic records carry escapes in indexed fields (serde path); the rest do not.
    assert_eq!(records, 6000);
    assert!(accepted > 5900, "{accepted}");
}

/// Random edits biased towards JSON's special bytes, keeping the text UTF-8.
pub(crate) fn mutate(rng: &mut Rng, s: &str) -> Option<String> {
    const BYTES: &[u8] = b"\"\\{}[],: \n\t0123456789-+.eEutrfaln\x01\x1f\x7fx/";
    let mut b = s.as_bytes().to_vec();
    for _ in 0..1 + rng.below(3) {
        if b.is_empty() {
            break;
        }
        let at = rng.below(b.len());
        match rng.below(5) {
            0 => b[at] = *rng.pick(BYTES),
            1 => {
                b.remove(at);
            }
            2 => b.insert(at, *rng.pick(BYTES)),
            3 => {
                // Duplicate a short span (repeats keys, values, brackets).
                let end = (at + 1 + rng.below(40)).min(b.len());
                let span = b[at..end].to_vec();
                b.splice(end..end, span);
            }
            _ => {
                // Truncate.
                b.truncate(at);
            }
        }
    }
    String::from_utf8(b).ok()
}

#[test]
fn fast_path_mutations_agree_with_serde() {
    let mut seeds: Vec<String> = edge_cases().into_iter().take(60).collect();
    let files =
        generate(&SynthOptions { events: 300, events_per_file: 300, ..SynthOptions::default() });
    let t = std::str::from_utf8(&files[0].bytes).unwrap();
    let mut i = "{\"Records\":[".len();
    while let Some((_, e, _)) = fast::parse(t, i) {
        seeds.push(t[i..e].to_string());
        i = e + 1;
    }
    let mut rng = Rng::new(7);
    let (mut accepted, mut total) = (0, 0);
    for round in 0..40 {
        for s in &seeds {
            if let Some(m) = mutate(&mut rng, s) {
                total += 1;
                if agrees(&m, 0) {
                    accepted += 1;
                }
                if round % 8 == 0 {
                    agrees_everywhere(&m);
                }
            }
        }
    }
    eprintln!("mutations: fast path took {accepted} of {total}");
    // Most single edits break a record; many (inside skipped strings…) do not.
    assert!(accepted > 1000 && accepted < total, "{accepted} of {total}");
}

// ---------------------------------------------------------------------------------------------
// Store level

fn store_of(inputs: &[(String, Vec<u8>)], fast_path: bool) -> Store {
    let mut s = Store::new();
    s.set_fast_path(fast_path);
    for (name, bytes) in inputs {
        s.ingest(name, bytes);
    }
    s
}

fn assert_same_store(a: &Store, b: &Store) {
    assert_eq!(a.files().len(), b.files().len());
    for (fa, fb) in a.files().iter().zip(b.files()) {
        assert_eq!(fa, fb);
    }
    assert_eq!(a.totals(), b.totals());
    assert_eq!(a.len(), b.len());
    assert_eq!(a.times(), b.times());
    for c in Column::ALL {
        assert_eq!(a.column(c), b.column(c), "{c:?}");
        assert_eq!(a.dictionary(c), b.dictionary(c), "{c:?}");
    }
    for row in 0..a.len() {
        assert_eq!(a.raw(row), b.raw(row), "row {row}");
        for c in Column::ALL {
            assert_eq!(a.absent(row, c), b.absent(row, c), "row {row} {c:?}");
        }
        assert_eq!(a.identity_is_text(row), b.identity_is_text(row), "row {row}");
        assert_eq!(a.file_of(row), b.file_of(row), "row {row}");
    }
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn store_same_with_and_without_fast_path_corpus() {
    let inputs = corpus_files();
    let a = store_of(&inputs, true);
    let b = store_of(&inputs, false);
    assert!(a.len() > 1000, "{}", a.len());
    assert_same_store(&a, &b);
}

#[test]
fn store_same_with_and_without_fast_path_synthetic_and_edge_cases() {
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for f in
        generate(&SynthOptions { events: 5000, events_per_file: 1000, ..SynthOptions::default() })
    {
        let text = String::from_utf8(f.bytes.clone()).unwrap();
        // Pretty and `": "` copies dedupe with the compact ones on both paths.
        let spaced = text.replace(",\"", ",\n  \"").replace("\":", "\" : ");
        inputs.push((format!("{}.gz", f.path), gz(&f.bytes)));
        inputs.push((format!("{}.spaced", f.path), spaced.into_bytes()));
        // Truncated copies.
        let cut = text.len() * 2 / 3;
        let cut = (cut..text.len()).find(|&i| text.is_char_boundary(i)).unwrap();
        inputs.push((format!("{}.cut", f.path), text.as_bytes()[..cut].to_vec()));
        inputs.push((f.path, f.bytes));
    }
    // The same events as NDJSON, as a JSON array, as pretty concatenated JSON and one alone.
    let first = generate(&SynthOptions {
        events: 400,
        events_per_file: 400,
        seed: 5,
        ..SynthOptions::default()
    });
    let t = std::str::from_utf8(&first[0].bytes).unwrap();
    let mut recs = Vec::new();
    let mut stack = Vec::new();
    let mut it = crate::scan::ArrayIter::new("{\"Records\":".len());
    while let Some((s, e, _)) = it.next(t.as_bytes(), &mut stack).unwrap() {
        recs.push(&t[s..e]);
    }
    inputs.push(("lines.ndjson".into(), recs.join("\n").into_bytes()));
    inputs.push(("array.json".into(), format!("[{}]", recs.join(",")).into_bytes()));
    let pretty: Vec<String> = recs.iter().map(|r| r.replace(",\"", ",\n  \"")).collect();
    inputs.push(("concat.json".into(), pretty.join("\n").into_bytes()));
    inputs.push(("one.json".into(), recs[0].as_bytes().to_vec()));
    let edge = edge_cases();
    inputs.push((
        "edge.ndjson".into(),
        edge.iter()
            .filter(|r| !r.contains('\n'))
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
    ));
    let refs: Vec<&str> = edge.iter().map(|s| s.as_str()).collect();
    inputs.push(("edge.json".into(), format!("{{\"Records\":[{}]}}", refs.join(",")).into_bytes()));
    inputs.push(("edge-array.json".into(), format!("[{}]", refs.join(",\n")).into_bytes()));
    // Each edge case alone in a Records file (a truncated one ends its file).
    for (k, r) in edge.iter().enumerate() {
        inputs.push((format!("edge{k}.json"), format!("{{\"Records\":[{r},{EV}]}}").into_bytes()));
    }
    // Invalid UTF-8 in a file: the fast path is not used for it at all.
    let mut bad = format!("{{\"Records\":[{EV}]}}").into_bytes();
    let at = bad.len() - 10;
    bad[at] = 0xff;
    inputs.push(("bad-utf8.json".into(), bad));
    // Mutated Records files.
    let mut rng = Rng::new(11);
    for k in 0..300 {
        let a = rng.pick(&refs).to_string();
        if let Some(m) = mutate(&mut rng, &a) {
            inputs.push((
                format!("mut{k}.json"),
                format!("{{\"Records\":[{EV},{m},{a}]}}").into_bytes(),
            ));
        }
    }
    let a = store_of(&inputs, true);
    let b = store_of(&inputs, false);
    assert!(a.len() > 4000, "{}", a.len());
    assert_same_store(&a, &b);
}
