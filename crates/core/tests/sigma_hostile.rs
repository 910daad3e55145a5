//! Hostile and broken rules: each is one clear `RuleError` with its line, column and the construct
//! named, and nothing panics (the reader is also fed every prefix of the real rules).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use trailglass_core::detect::{parse_rule, parse_rules, RuleError, MAX_VALUES};

fn err(text: &str) -> RuleError {
    match parse_rule(text) {
        Ok(r) => panic!("accepted: {r:?}"),
        Err(e) => e,
    }
}

fn with_detection(d: &str) -> String {
    format!("title: t\ndetection:\n{d}\n")
}

#[test]
fn malformed_yaml() {
    let e = err("title: t\ndetection:\n  sel: {a: [1, 2}\n  condition: sel\n");
    assert_eq!((e.line, e.construct.as_str()), (3, "YAML syntax"), "{e}");
    assert!(e.message.starts_with("malformed YAML"), "{e}");
    let e = err("title: t\n\tdetection: x\n");
    assert_eq!(e.construct, "YAML syntax", "{e}");
    let e = err("- just\n- a list\n");
    assert_eq!((e.line, e.column, e.construct.as_str()), (1, 1, "rule"), "{e}");
    let e = err("title: t\ntitle: u\ndetection: {s: {a: 1}, condition: s}\n");
    assert_eq!((e.line, e.construct.as_str()), (2, "duplicate key"), "{e}");
    assert_eq!(err("").construct, "empty document");
}

#[test]
fn missing_parts_and_wrong_shapes() {
    assert_eq!(err("detection: {s: {a: 1}, condition: s}\n").construct, "`title`");
    assert_eq!(err("title: t\n").construct, "`detection`");
    assert_eq!(err(&with_detection("  s: {a: 1}")).construct, "`condition`");
    let e = err("title: t\nlevel: severe\ndetection: {s: {a: 1}, condition: s}\n");
    assert_eq!((e.line, e.column, e.construct.as_str()), (2, 8, "`level`"), "{e}");
    let e = err(&with_detection("  s: {a: {b: 1}}\n  condition: s"));
    assert_eq!((e.line, e.column, e.construct.as_str()), (3, 10, "map value"), "{e}");
    let e = err(&with_detection("  s: {a: []}\n  condition: s"));
    assert_eq!(e.construct, "empty list", "{e}");
    let e = err(&with_detection("  s: {a|contains: null}\n  condition: s"));
    assert_eq!(e.construct, "null value", "{e}");
    let e = err(&with_detection("  s: {a|exists: maybe}\n  condition: s"));
    assert_eq!(e.construct, "exists value", "{e}");
    let e = err(&with_detection("  s: {a|cidr: 10.0.0.0/99}\n  condition: s"));
    assert_eq!((e.line, e.construct.as_str()), (3, "cidr value"), "{e}");
    let e = err(&with_detection("  s: {a|gt: ten}\n  condition: s"));
    assert_eq!(e.construct, "numeric value", "{e}");
}

#[test]
fn unknown_and_unsupported_modifiers() {
    let e = err(&with_detection("  sel:\n    eventName|contain: x\n  condition: sel"));
    assert_eq!((e.line, e.column), (4, 5), "{e}");
    assert_eq!(e.construct, "modifier `contain`");
    assert!(e.message.contains("unknown modifier"), "{e}");
    let e =
        err(&with_detection("  sel:\n    eventName|base64offset|contains: x\n  condition: sel"));
    assert_eq!(e.construct, "modifier `base64offset`");
    assert!(e.message.contains("not supported yet"), "{e}");
    let e = err(&with_detection("  sel:\n    a|contains|startswith: x\n  condition: sel"));
    assert_eq!(e.construct, "modifier `startswith`", "{e}");
    let e = err(&with_detection("  sel:\n    a|re|contains: x\n  condition: sel"));
    assert!(e.message.contains("cannot be combined"), "{e}");
    let e = err(&with_detection("  sel:\n    a|i: x\n  condition: sel"));
    assert_eq!(e.construct, "modifier `i`", "{e}");
    let e = err(&with_detection("  sel:\n    a||contains: x\n  condition: sel"));
    assert_eq!(e.construct, "modifier", "{e}");
}

#[test]
fn conditions_with_their_position() {
    let e = err(&with_detection("  selection: {a: 1}\n  condition: selection and not filter"));
    assert_eq!((e.line, e.column), (4, 32), "{e}");
    assert_eq!(e.construct, "selection `filter`");
    let e = err(&with_detection("  selection: {a: 1}\n  condition: 'selection and not filter'"));
    assert_eq!((e.line, e.column), (4, 33), "quoted: one column later: {e}");
    for (cond, construct) in [
        ("sel and", "condition"),
        ("sel sel", "`sel`"),
        ("(sel", "`(`"),
        ("sel)", "`)`"),
        ("2 of sel*", "`2 of`"),
        ("1 of nothing*", "selection `nothing*`"),
        ("1 of", "`1 of`"),
        ("sel & sel", "`&`"),
        ("sel | count() > 5", "aggregation `|`"),
        ("sel | near other", "aggregation `|`"),
        ("not", "condition"),
    ] {
        let e = err(&with_detection(&format!("  sel: {{a: 1}}\n  condition: '{cond}'")));
        assert_eq!(e.construct, construct, "{cond}: {e}");
        assert_eq!(e.line, 4, "{cond}: {e}");
    }
}

#[test]
fn bad_and_huge_regexes() {
    let e = err(&with_detection("  sel:\n    a|re: '(unclosed'\n  condition: sel"));
    assert_eq!((e.line, e.column, e.construct.as_str()), (4, 11, "regex value"), "{e}");
    assert!(e.message.starts_with("bad regex"), "{e}");
    // Within the length limit but far past the compiled size limit: an error, quickly.
    let e = err(&with_detection("  sel:\n    a|re: '((a{100}){100}){100}'\n  condition: sel"));
    assert_eq!(e.construct, "regex value", "{e}");
    let long = "a".repeat(20_000);
    let e = err(&with_detection(&format!("  sel:\n    a|re: '{long}'\n  condition: sel")));
    assert!(e.message.contains("bytes"), "{e}");
}

#[test]
fn ten_thousand_values() {
    let values: String = (0..10_000).map(|i| format!("      - v{i}\n")).collect();
    let e = err(&with_detection(&format!("  sel:\n    a:\n{values}  condition: sel")));
    assert_eq!(e.construct, "value count", "{e}");
    // The value that crossed the limit: the list starts on line 5.
    assert_eq!((e.line, e.column), (5 + MAX_VALUES, 9), "{e}");
    // Exactly the limit is accepted.
    let values: String = (0..MAX_VALUES).map(|i| format!("      - v{i}\n")).collect();
    assert!(
        parse_rule(&with_detection(&format!("  sel:\n    a:\n{values}  condition: sel"))).is_ok()
    );
    // Keywords count too.
    let values: String = (0..MAX_VALUES + 1).map(|i| format!("    - k{i}\n")).collect();
    assert_eq!(
        err(&with_detection(&format!("  kw:\n{values}  condition: kw"))).construct,
        "value count"
    );
}

#[test]
fn deep_nesting() {
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = err(&format!("title: t\ndetection:\n  sel: {{a: {deep}}}\n  condition: sel\n"));
    assert_eq!((e.line, e.construct.as_str()), (3, "nesting depth"), "{e}");
    let deep = format!("{}x{}", "{a: ".repeat(50_000), "}".repeat(50_000));
    assert_eq!(err(&format!("title: t\nx: {deep}\n")).construct, "nesting depth");
    let block: String = (0..200).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    let e = err(&format!("title: t\nx:\n{block}"));
    assert_eq!(e.construct, "nesting depth", "{e}");
    let cond = format!("{}sel{}", "(".repeat(100_000), ")".repeat(100_000));
    let e = err(&with_detection(&format!("  sel: {{a: 1}}\n  condition: '{cond}'")));
    assert_eq!(e.construct, "condition length", "{e}");
    let cond = format!("{}sel{}", "(".repeat(1_000), ")".repeat(1_000));
    let e = err(&with_detection(&format!("  sel: {{a: 1}}\n  condition: '{cond}'")));
    assert_eq!(e.construct, "condition nesting", "{e}");
    let cond = format!("{}sel", "not ".repeat(1_000));
    assert_eq!(
        err(&with_detection(&format!("  sel: {{a: 1}}\n  condition: {cond}"))).construct,
        "condition nesting"
    );
}

#[test]
fn one_megabyte_title_and_large_files() {
    let title = "A".repeat(1 << 20);
    let e = err(&format!("title: {title}\ndetection: {{s: {{a: 1}}, condition: s}}\n"));
    assert_eq!((e.line, e.column, e.construct.as_str()), (1, 8, "`title`"), "{e}");
    let desc = "d".repeat(100_000);
    let e =
        err(&format!("title: t\ndescription: {desc}\ndetection: {{s: {{a: 1}}, condition: s}}\n"));
    assert_eq!((e.line, e.construct.as_str()), (2, "`description`"), "{e}");
    let big = format!("title: t\n#{}\n", "x".repeat(5 << 20));
    assert_eq!(err(&big).construct, "file size");
}

#[test]
fn aliases_are_refused() {
    let laughs =
        "title: t\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n\
                  c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\ndetection: {s: {a: 1}, condition: s}\n";
    let e = err(laughs);
    assert_eq!((e.line, e.column, e.construct.as_str()), (3, 8, "YAML alias"), "{e}");
}

#[test]
fn correlation_errors() {
    let c = |body: &str| err(&format!("title: c\ncorrelation:\n{body}\n"));
    assert_eq!(
        c("  type: value_sum\n  rules: [a]\n  timespan: 1h\n  condition: {gt: 1}").construct,
        "correlation type `value_sum`"
    );
    assert_eq!(
        c("  type: event_count\n  rules: [a]\n  timespan: soon\n  condition: {gt: 1}").construct,
        "correlation `timespan`"
    );
    assert_eq!(
        c("  type: event_count\n  rules: [a]\n  timespan: 1h").construct,
        "correlation `condition`"
    );
    assert_eq!(
        c("  type: value_count\n  rules: [a]\n  timespan: 1h\n  condition: {gt: 1}").construct,
        "correlation `field`"
    );
    assert_eq!(
        c("  type: event_count\n  timespan: 1h\n  condition: {gt: 1}").construct,
        "correlation `rules`"
    );
    assert_eq!(
        c("  type: event_count\n  rules: [a]\n  timespan: 1h\n  condition: {over: 1}").construct,
        "correlation condition `over`"
    );
    let e = err("title: c\ndetection: {s: {a: 1}, condition: s}\ncorrelation: {type: temporal}\n");
    assert_eq!(e.construct, "`correlation`");
}

#[test]
fn prefixes_of_every_real_rule_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/sigma/rules");
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for cut in (0..text.len()).step_by(7).filter(|&c| text.is_char_boundary(c)) {
            let _ = parse_rules(&text[..cut]);
            let mut flipped = text.clone().into_bytes();
            flipped[cut] = b"|:-[{*&!'\"\n"[cut % 11];
            if let Ok(s) = String::from_utf8(flipped) {
                let _ = parse_rules(&s);
            }
        }
    }
}
