//! One mechanism: each "Worth a look" finding is a Sigma rule of the rule engine
//! (`crates/core/rules/trailglass/findings/`, its `name:` the finding's id), and the rule must
//! select exactly the events of the finding's query, row for row, on the generated sample and on
//! every file of the shared corpus (the stratus-red-team detonations among them).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};

use trailglass_core::answer::{finding_counts, findings, FINDINGS, FINDINGS_RULES};
use trailglass_core::detect::{RuleOrigin, RuleSet};
use trailglass_core::query::parse;
use trailglass_core::Store;
use trailglass_sample::{generate, SynthOptions};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else if p.file_name().is_some_and(|n| n != "README.md" && n != "expected.tsv") {
            out.push(p);
        }
    }
}

fn corpus_store(sub: &str) -> Store {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus").join(sub);
    assert!(root.is_dir(), "the shared corpus is missing: {}", root.display());
    let mut files = Vec::new();
    files_under(&root, &mut files);
    let mut s = Store::new();
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        s.ingest(&f.display().to_string(), &bytes);
    }
    s
}

/// Every finding's rule rows equal its query's rows; returns how many findings matched events.
fn same_rows(store: &Store, what: &str) -> usize {
    let rules = RuleSet::builtin();
    let hits = rules.run(store);
    let mut matched = 0;
    for f in FINDINGS {
        let i = rules
            .rules()
            .iter()
            .position(|m| {
                m.origin == RuleOrigin::Trailglass
                    && m.file.starts_with(FINDINGS_RULES)
                    && m.name.as_deref() == Some(f.id)
            })
            .unwrap_or_else(|| panic!("no rule named {}", f.id));
        let want = parse(f.query).unwrap().run(store);
        assert_eq!(hits.rows(i), want.as_slice(), "{what}: finding {}", f.id);
        matched += usize::from(!want.is_empty());
    }
    let counts = finding_counts(&rules, &hits);
    assert_eq!(counts, findings(store), "{what}: counts from the rules");
    matched
}

#[test]
fn findings_rules_select_the_queries_events_on_the_sample() {
    let mut s = Store::new();
    for f in generate(&SynthOptions { events: 6000, ..SynthOptions::default() }) {
        s.ingest_owned(&f.path, f.bytes);
    }
    let n = same_rows(&s, "sample");
    assert!(n >= 6, "{n} findings matched the sample");
}

#[test]
fn findings_rules_select_the_queries_events_on_the_corpus() {
    let stratus = corpus_store("stratus-red-team");
    assert!(same_rows(&stratus, "stratus-red-team") >= 4);
    let all = corpus_store("");
    assert!(same_rows(&all, "corpus") >= 6);
}
