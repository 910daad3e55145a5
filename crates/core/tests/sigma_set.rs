//! The rule set's API: the built-in rules load without a problem, each with its metadata; user
//! files add, replace and remove rules; every built-in rule, run through [`RuleSet::run`] over
//! its fixture in `tests/sigma/`, matches exactly the fixture's `match-*` events.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use trailglass_core::detect::{Level, RuleOrigin, RuleSet};
use trailglass_core::Store;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn event_id(store: &Store, row: usize) -> String {
    let v: serde_json::Value = serde_json::from_str(&store.raw(row)).unwrap();
    v["eventID"].as_str().unwrap_or("").to_string()
}

#[test]
fn builtin_rules_load_with_metadata() {
    let set = RuleSet::builtin();
    assert_eq!(set.problems(), vec![]);
    let mut on_disk = BTreeSet::new();
    for dir in ["sigmahq", "trailglass/correlation", "trailglass/findings"] {
        for e in std::fs::read_dir(root().join("crates/core/rules").join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yml") {
                on_disk.insert(format!("{dir}/{}", p.file_name().unwrap().to_str().unwrap()));
            }
        }
    }
    let listed: BTreeSet<String> = set.rules().iter().map(|m| m.file.clone()).collect();
    assert_eq!(listed, on_disk, "builtin.rs lists every rule file");
    let m = set.rules().iter().find(|m| m.file.ends_with("aws_cloudtrail_disable_logging.yml"));
    let m = m.unwrap();
    assert_eq!(m.origin, RuleOrigin::Sigmahq);
    assert!(m.link.as_deref().unwrap().ends_with(
        "8eaafff1f2845a696050e05e72ba1140ee190698/rules/cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml"
    ));
    assert!(!m.author.is_empty() && m.reported && !m.techniques.is_empty());
    // 57 + 12 single rules, 8 correlations over 10 base rules.
    assert_eq!(set.rules().len(), 57 + 12 + 8 + 10);
    assert_eq!(set.rules().iter().filter(|m| !m.reported).count(), 10);
    assert_eq!(set.rules().iter().filter(|m| m.correlation).count(), 8);
    assert!(set
        .rules()
        .iter()
        .all(|m| m.reported != m.name.as_deref().is_some_and(|n| n.ends_with("_base"))));
    assert!(set.files().is_empty());
    let json = serde_json::to_value(m).unwrap();
    assert_eq!(json["origin"], "sigmahq");
    assert!(["low", "medium", "high", "critical", "informational"]
        .contains(&json["level"].as_str().unwrap()));
}

const USER: &str = "title: Mine\nid: my-1\nlevel: high\ndetection:\n  sel:\n    eventName: X\n  condition: sel\n---\ntitle: Broken\ndetection:\n  sel:\n    eventName|base64: X\n  condition: sel\n";

#[test]
fn user_files_add_replace_remove() {
    let mut set = RuleSet::builtin();
    let n = set.rules().len();
    let problems = set.add_file("mine.yml", USER);
    assert_eq!(problems.len(), 1);
    assert_eq!((problems[0].line, problems[0].file.as_str()), (12, "mine.yml"));
    assert!(problems[0].construct.contains("base64"), "{problems:?}");
    assert_eq!(problems[0].rule.as_deref(), Some("Broken"), "a broken rule is named by its title");
    // Named by its id without a title; not named when its YAML cannot be read.
    let p = RuleSet::builtin().add_file(
        "x.yml",
        "id: only-an-id
detection: 3
",
    );
    assert_eq!(p[0].rule.as_deref(), Some("only-an-id"), "{p:?}");
    let p = RuleSet::builtin().add_file(
        "x.yml",
        "title: [unclosed
",
    );
    assert_eq!(p[0].rule, None, "{p:?}");
    assert_eq!(set.rules().len(), n + 1);
    let mine = set.rules().last().unwrap();
    assert_eq!(
        (mine.id.as_str(), mine.level, mine.origin),
        ("my-1", Level::High, RuleOrigin::User)
    );
    assert_eq!(set.files(), vec![("mine.yml".to_string(), 1, 1)]);
    assert!(set
        .add_file("mine.yml", "title: Two\ndetection:\n  s:\n    eventName: Y\n  condition: s\n")
        .is_empty());
    assert_eq!(set.rules().len(), n + 1);
    assert_eq!(set.rules().last().unwrap().id, "mine.yml#1");
    // A correlation referring to a rule of another file resolves only while that file is there.
    let corr = "title: C\ncorrelation:\n  type: event_count\n  rules: [mine.yml-rule]\n  timespan: 5m\n  condition:\n    gte: 2\n";
    assert_eq!(set.add_file("corr.yml", corr).len(), 1);
    set.add_file(
        "base.yml",
        "title: B\nname: mine.yml-rule\ndetection:\n  s:\n    eventName: Y\n  condition: s\n",
    );
    assert!(set.problems().is_empty(), "{:?}", set.problems());
    assert!(!set.rules().iter().find(|m| m.file == "base.yml").unwrap().reported);
    assert!(set.remove_file("base.yml") && !set.remove_file("base.yml"));
    assert_eq!(set.problems().len(), 1);
    assert!(set.remove_file("mine.yml") && set.remove_file("corr.yml"));
    assert_eq!(set.rules().len(), n);
}

#[test]
fn every_builtin_rule_matches_its_fixture() {
    let set = RuleSet::builtin();
    let mut checked = 0;
    for e in std::fs::read_dir(root().join("tests/sigma")).unwrap() {
        let path = e.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        if path.extension().is_none_or(|x| x != "json") || stem.starts_with("reference") {
            continue;
        }
        let mut store = Store::new();
        store.ingest(&path.to_string_lossy(), &std::fs::read(&path).unwrap());
        let hits = set.run(&store);
        let (i, _) = set
            .rules()
            .iter()
            .enumerate()
            .find(|(_, m)| m.reported && m.file.ends_with(&format!("/{stem}.yml")))
            .unwrap_or_else(|| panic!("no rule for fixture {stem}"));
        let got: BTreeSet<String> =
            hits.rows(i).iter().map(|&r| event_id(&store, r as usize)).collect();
        let want: BTreeSet<String> = (0..store.len())
            .map(|r| event_id(&store, r))
            .filter(|id| id.starts_with("match-"))
            .collect();
        assert_eq!(got, want, "{stem}");
        for &r in hits.rows(i) {
            assert!(hits.rules_of(r).contains(&i));
        }
        checked += 1;
    }
    assert_eq!(checked, 77);
}
