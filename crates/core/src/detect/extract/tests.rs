//! The path extraction against the reference (`naive::lookup`), and the lexer pass against the
//! serde pass on real, synthetic, hand-made and mutated records.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;

fn check(raw: &str, paths: &[&str]) {
    let paths: Vec<String> = paths.iter().map(|s| s.to_string()).collect();
    let got = Trie::new(&paths).extract(raw);
    let v: Value = serde_json::from_str(raw).unwrap_or(Value::Object(Default::default()));
    for (i, p) in paths.iter().enumerate() {
        let want: Vec<Val> = lookup(&v, p).into_iter().map(val).collect();
        assert_eq!(got[i], want, "{p} in {raw}");
    }
}

#[test]
fn same_values_as_the_reference() {
    let raw = r#"{"a":{"b":[{"c":"x"},{"c":null},{"c":[1,2.50,true]},{"c":{"z":1,"y":[]}}],"n":-3,"o":{"k":"v","j":{"q":1}}},"d.e":"dotted","d":{"e":"plain"},"f":{"g.h":1,"g":{"h":2}},"arr":[[{"x":1}],{"x":"2"}],"s":"q"}"#;
    check(
        raw,
        &[
            "a.b.c", "a.n", "a.o", "a.o.k", "a.o.j.q", "d.e", "f.g.h", "arr.x", "s", "s.t",
            "missing", "a", "a.b", "", "a..b", "a.",
        ],
    );
    check(r#"{"k":1,"k":2}"#, &["k"]);
    check(r#"{"k":{"a":1},"k":{"a":2}}"#, &["k.a"]);
    check("not json", &["k"]);
    check(r#"{"k":1} trailing"#, &["k"]);
    check(r#"[{"k":1},{"k":2}]"#, &["k"]);
    check(r#"{"k":"\u00e9\"x"}"#, &["k"]);
    check(r#"{"big":123456789012345678901234567890,"f":1e400}"#, &["big", "f"]);
}

/// Every path the built-in rules read, and paths reaching objects, arrays and odd keys.
fn paths() -> Vec<String> {
    let mut p = super::super::run::paths(crate::detect::RuleSet::builtin().compiled());
    for extra in [
        "requestParameters",
        "userIdentity.sessionContext",
        "resources.ARN",
        "responseElements.credentials.accessKeyId",
        "tlsDetails.tlsVersion",
        "readOnly",
        "additionalEventData.MFAUsed",
        "requestParameters.ipPermissions.items.ipRanges.items.cidrIp",
    ] {
        p.push(extra.to_string());
    }
    p.sort();
    p.dedup();
    p
}

/// Where the lexer pass answers, the serde pass gives the same; returns whether it answered.
fn passes_agree(trie: &Trie, raw: &str) -> bool {
    match trie.scan(raw) {
        Some(got) => {
            assert_eq!(got, trie.extract_serde(raw), "{raw}");
            true
        }
        None => false,
    }
}

#[test]
fn lexer_pass_agrees_with_serde_on_real_records() {
    let trie = Trie::new(&paths());
    let mut store = crate::store::Store::new();
    for (name, bytes) in crate::record::fast_tests::corpus_files() {
        store.ingest(&name, &bytes);
    }
    let files = trailglass_sample::generate(&trailglass_sample::SynthOptions {
        events: 3000,
        ..trailglass_sample::SynthOptions::default()
    });
    for f in &files {
        store.ingest(&f.path, &f.bytes);
    }
    let mut raws = store.raw_reader();
    let answered = (0..store.len()).filter(|&r| passes_agree(&trie, raws.get(r))).count();
    for r in 0..store.len() {
        let raw = raws.get(r);
        assert_eq!(trie.extract_record(raw), trie.extract_serde(raw));
    }
    // Each first segment alone, as the path index groups them (the early stop then applies).
    for p in paths() {
        let one = Trie::new(std::slice::from_ref(&p));
        for r in 0..store.len() {
            let raw = raws.get(r);
            assert_eq!(one.extract_record(raw), one.extract_serde(raw), "{p} in {raw}");
        }
    }
    eprintln!("lexer pass answered {answered} of {} records", store.len());
    assert!(store.len() > 4000 && answered * 100 >= store.len() * 95, "{answered}");
}

#[test]
fn lexer_pass_agrees_with_serde_on_edge_cases_and_mutations() {
    let trie = Trie::new(&paths());
    let mut seeds = crate::record::fast_tests::edge_cases();
    seeds.push(r#"{"requestParameters":{"bucketName":"a","bucketName":"b"}}"#.into());
    seeds.push(r#"{"requestParameters.bucketName":"x","requestParameters":{}}"#.into());
    seeds.push(r#"{"readOnly":1.50e2,"tlsDetails":{"tlsVersion":-0}}"#.into());
    let mut store = crate::store::Store::new();
    for f in trailglass_sample::generate(&trailglass_sample::SynthOptions {
        events: 300,
        ..trailglass_sample::SynthOptions::default()
    }) {
        store.ingest(&f.path, &f.bytes);
    }
    seeds.extend((0..store.len()).map(|r| store.raw(r).to_string()));
    seeds.push(r#" {"resources":[{"ARN":"a"},{"ARN":["b",{"c":1}]},[{"ARN":null}]]} "#.into());
    let (mut answered, mut total) = (0, 0);
    for s in &seeds {
        total += 1;
        answered += usize::from(passes_agree(&trie, s));
    }
    let mut rng = trailglass_sample::Rng::new(11);
    for _ in 0..30 {
        for s in &seeds {
            if let Some(m) = crate::record::fast_tests::mutate(&mut rng, s) {
                total += 1;
                answered += usize::from(passes_agree(&trie, &m));
            }
        }
    }
    eprintln!("lexer pass answered {answered} of {total}");
    assert!(answered > 2000 && answered < total, "{answered} of {total}");
}

#[test]
fn a_record_read_in_part_gives_the_whole_answer() {
    let cases = [
        r#"{"userIdentity":{"type":"a"},"x":1,"userIdentity":{"type":"b"}}"#,
        r#"{"userIdentity":{"type":"a"},"userIdentity.type":"dotted"}"#,
        r#"{"userIdentity":{"type":"a"},"user\u0049dentity":{"type":"escaped"}}"#,
        r#"{"userIdentity":{"type":"a"},"n":{"userIdentity":{"type":"nested"}}}"#,
        r#"{"userIdentity":{"type":"a"},"s":"\"userIdentity\" in a string"}"#,
        r#"{"x":{"userIdentity":1},"userIdentity":{"type":"a"},"y":[1,2]}"#,
        r#"{"userIdentity":{"type":["a",{"b":1}]}}"#,
    ];
    for raw in cases {
        for p in [vec!["userIdentity.type"], vec!["userIdentity.type", "userIdentity"]] {
            let paths: Vec<String> = p.iter().map(|s| s.to_string()).collect();
            let t = Trie::new(&paths);
            assert_eq!(t.extract_record(raw), t.extract_serde(raw), "{p:?} in {raw}");
        }
    }
    let t = Trie::new(&["userIdentity.type".to_string()]);
    let got = t.extract_record(cases[0]);
    assert_eq!(got, vec![vec![Val::Text("b".into())]]);
}
