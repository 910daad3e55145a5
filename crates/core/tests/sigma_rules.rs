//! The SigmaHQ rule set in `../shared/sigma`: all 57 CloudTrail rules read and compile, the eight
//! kept as "unsupported" are refused with the pointer to correlation rules, and the compiled form
//! and metadata of a few are exactly what the rules say.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};

use trailglass_core::detect::{
    parse_rule, parse_rules, Level, Logsource, Match, Op, RuleBody, TagKind,
};

fn dir(rel: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/sigma").join(rel);
    assert!(p.is_dir(), "missing {} (it lives beside the project as ../shared)", p.display());
    p
}

fn texts(rel: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir(rel))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_str().unwrap().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn eq(field: &str, v: &str) -> Match {
    Match::Field { field: field.into(), op: Op::Equals(v.into()), cased: false }
}

#[test]
fn all_57_rules_read_and_compile() {
    let rules = texts("rules");
    assert_eq!(rules.len(), 57);
    for (name, text) in &rules {
        let r = parse_rule(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(r.detection().is_some(), "{name}");
        assert!(r.author.is_some() && r.id.is_some() && r.level.is_some(), "{name}");
        assert_eq!(r.logsource.product.as_deref(), Some("aws"), "{name}");
        assert!(!r.detection().unwrap().fields().is_empty(), "{name}");
    }
}

#[test]
fn the_eight_unsupported_rules_point_to_correlation() {
    let rules = texts("unsupported");
    assert_eq!(rules.len(), 8);
    for (name, text) in &rules {
        let e = parse_rule(text).err().unwrap_or_else(|| panic!("{name} was accepted"));
        assert!(e.construct.starts_with("aggregation"), "{name}: {e}");
        assert!(e.message.contains("correlation rule"), "{name}: {e}");
        assert!(e.line > 1 && e.column > 1, "{name}: {e}");
    }
    // `selection_source | count() > 10`: the `|` is at character 18 of the condition.
    let (_, text) = rules.iter().find(|(n, _)| n == "aws_ec2_download_userdata.yml").unwrap();
    let e = parse_rule(text).unwrap_err();
    let line = text.lines().position(|l| l.contains("condition:")).unwrap() + 1;
    let col = text.lines().nth(line - 1).unwrap().find("|").unwrap() + 1;
    assert_eq!((e.line, e.column), (line, col), "{e}");
    // The SES rule has no `|` but a `timeframe`.
    let (_, text) = rules.iter().find(|(n, _)| n == "aws_ses_messaging_enabled.yml").unwrap();
    assert_eq!(parse_rule(text).unwrap_err().construct, "aggregation `timeframe`");
}

#[test]
fn disable_logging_compiles_to_what_it_says() {
    let text =
        std::fs::read_to_string(dir("rules").join("aws_cloudtrail_disable_logging.yml")).unwrap();
    let r = parse_rule(&text).unwrap();
    assert_eq!(r.title, "AWS CloudTrail Important Change");
    assert_eq!(r.id.as_deref(), Some("4db60cc0-36fb-42b7-9b58-a5b53019fb74"));
    assert_eq!(r.status.as_deref(), Some("test"));
    assert_eq!(r.author.as_deref(), Some("vitaliy0x1"));
    assert_eq!(r.date.as_deref(), Some("2020-01-21"));
    assert_eq!(r.modified.as_deref(), Some("2022-10-09"));
    assert_eq!(r.level, Some(Level::Medium));
    assert_eq!(r.falsepositives, vec!["Valid change in a Trail".to_string()]);
    assert_eq!(r.techniques(), vec!["T1685.002"]);
    assert_eq!(r.tactics(), vec!["defense-impairment"]);
    assert_eq!(
        r.logsource,
        Logsource {
            product: Some("aws".into()),
            service: Some("cloudtrail".into()),
            ..Default::default()
        }
    );
    let want = Match::And(vec![
        eq("eventSource", "cloudtrail.amazonaws.com"),
        Match::Or(vec![
            eq("eventName", "stoplogging"),
            eq("eventName", "updatetrail"),
            eq("eventName", "deletetrail"),
        ]),
    ]);
    assert_eq!(r.body, RuleBody::Detection(want));
}

#[test]
fn not_one_of_filters_and_fieldref() {
    let text = std::fs::read_to_string(dir("rules").join("aws_update_login_profile.yml")).unwrap();
    let r = parse_rule(&text).unwrap();
    let m = r.detection().unwrap();
    let Match::And(parts) = m else { panic!("{m:?}") };
    assert_eq!(parts.len(), 3);
    assert_eq!(
        parts[2],
        Match::Not(Box::new(Match::Field {
            field: "userIdentity.arn".into(),
            op: Op::FieldRef {
                field: "requestParameters.userName".into(),
                kind: trailglass_core::detect::RefKind::Equals
            },
            cased: false,
        }))
    );
    assert_eq!(
        m.fields(),
        vec!["eventSource", "eventName", "userIdentity.arn", "requestParameters.userName"]
    );
}

#[test]
fn a_file_of_several_documents() {
    let text = "title: A\nid: a\ndetection:\n  s: {eventName: X}\n  condition: s\n---\ntitle: B\n\
                detection:\n  s: {eventName: [X, Y}\n  condition: s\n";
    let all = parse_rules(text);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].as_ref().unwrap().title, "A");
    let e = all[1].as_ref().unwrap_err();
    assert_eq!((e.line, e.construct.as_str()), (9, "YAML syntax"), "{e}");
    // One bad rule among good ones: the others are still read.
    let text = "title: A\ndetection:\n  s: {eventName: X}\n  condition: s\n---\ntitle: B\n\
                detection:\n  s: {eventName|base64: X}\n  condition: s\n---\ntitle: C\n\
                detection:\n  s: {eventName: Z}\n  condition: s\n";
    let all = parse_rules(text);
    assert_eq!(all.len(), 3);
    assert!(all[0].is_ok() && all[2].is_ok());
    let e = all[1].as_ref().unwrap_err();
    assert_eq!((e.line, e.column, e.construct.as_str()), (8, 7, "modifier `base64`"), "{e}");
}

#[test]
fn tags_levels_and_statuses_of_the_set() {
    let mut techniques = 0;
    for (name, text) in texts("rules") {
        let r = parse_rule(&text).unwrap();
        for t in &r.tags {
            assert!(t.raw.starts_with("attack."), "{name}: {}", t.raw);
            assert_ne!(t.kind, TagKind::Other, "{name}: {}", t.raw);
            techniques += usize::from(matches!(t.kind, TagKind::Technique(_)));
        }
    }
    assert!(techniques > 57, "{techniques}");
}
