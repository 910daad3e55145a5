//! What the Detections view, the swimlane, the "Worth a look" list and the event detail show of
//! the engine's detections ([`Detection`]: one per rule that matched, over everything loaded,
//! most severe first). The engine decides what matched; this module only arranges it:
//!
//! * here: levels as classes and words (colour is never the only sign of a level), the query
//!   clauses a click applies, a rule's link made safe to put in an `href`, the tally by level and
//!   the empty-state sentence;
//! * [`matrix`]: the ATT&CK matrix (tactics as columns in ATT&CK order, the techniques hit);
//! * [`swimlane`]: the lanes under the time histogram, in the histogram's own buckets;
//! * [`rule_files`]: which dropped files are rules, the size cap, and their stored form.
//!
//! Plain functions of the protocol's values, so they are tested natively.

pub mod matrix;
pub mod rule_files;
pub mod swimlane;

use trailglass_core::engine::{Detection, Level, RuleOrigin};

use crate::model::clauses::{field_clause, quote_value};
use crate::model::format::{format_count, format_offset, format_time, plural, range_label};

/// The levels, most severe first.
pub const LEVELS: [Level; 5] =
    [Level::Critical, Level::High, Level::Medium, Level::Low, Level::Informational];

/// The CSS class of a level (`lvl-high`), which sets `--lvl` (style/detections.css).
pub fn level_class(level: Level) -> &'static str {
    match level {
        Level::Critical => "lvl-critical",
        Level::High => "lvl-high",
        Level::Medium => "lvl-medium",
        Level::Low => "lvl-low",
        Level::Informational => "lvl-info",
    }
}

/// A level as a word for the badge beside a detection.
pub fn level_label(level: Level) -> &'static str {
    match level {
        Level::Critical => "Critical",
        Level::High => "High",
        Level::Medium => "Medium",
        Level::Low => "Low",
        Level::Informational => "Info",
    }
}

/// Where a rule comes from, as the list says it.
pub fn origin_label(origin: RuleOrigin) -> &'static str {
    match origin {
        RuleOrigin::Sigmahq => "SigmaHQ",
        RuleOrigin::Trailglass => "Trailglass",
        RuleOrigin::User => "your rule",
    }
}

/// The query clause that selects a rule's events (`rule:<id>`).
pub fn rule_clause(rule: &str) -> String {
    format!("rule:{}", quote_value(rule))
}

/// The query clause that selects the events of the detections of a technique.
pub fn technique_clause(technique: &str) -> String {
    format!("technique:{}", quote_value(technique))
}

/// A rule's events narrowed to one value of a field (a top identity or source IP).
pub fn rule_and_clause(rule: &str, field: &str, value: &str) -> String {
    format!("{} {}", rule_clause(rule), field_clause(field, value, false))
}

/// A rule's link, if it is one a page may open: `https://` or `http://` only, so a user's rule
/// cannot put a `javascript:` (or any other scheme) into an `href`.
pub fn safe_link(link: Option<&str>) -> Option<&str> {
    let l = link?.trim();
    let lower = l.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"))?;
    let clean = !l.chars().any(|c| c.is_whitespace() || c.is_control());
    (!rest.is_empty() && !rest.starts_with('/') && clean).then_some(l)
}

/// How many detections there are of each level (most severe first), levels without any left
/// out.
pub fn tally(detections: &[Detection]) -> Vec<(Level, usize)> {
    LEVELS
        .iter()
        .map(|&l| (l, detections.iter().filter(|d| d.level == l).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The detections most worth a look first: most severe, then most events (the engine's order,
/// made sure of here, since the lists and lanes rely on it).
pub fn by_severity(detections: &[Detection]) -> Vec<&Detection> {
    let mut v: Vec<&Detection> = detections.iter().collect();
    v.sort_by(|a, b| b.level.cmp(&a.level).then(b.count.cmp(&a.count)));
    v
}

/// The detection a rule id names, for the event detail's "Matched rules".
pub fn find<'a>(detections: &'a [Detection], rule: &str) -> Option<&'a Detection> {
    detections.iter().find(|d| d.rule == rule)
}

/// What the view says when no rule matched: how many rules ran (when the engine says) over how
/// many events.
pub fn empty_message(rules: Option<u64>, events: u64) -> String {
    let over = plural(events, "event", "events");
    match rules {
        Some(n) => format!("No detections: {} ran over {over}.", plural(n, "rule", "rules")),
        None if events == 1 => "No detections: no rule matched the 1 event loaded.".to_owned(),
        None => format!("No detections: no rule matched any of the {over} loaded."),
    }
}

/// When a detection's events happened, in the zone `offset_minutes` east of UTC (the offset at
/// its first event): `2024-03-01 10:00:00 – 10:05:00 UTC`, one time when first and last are the
/// same, `None` when its events have no time.
pub fn seen_label(first: Option<i64>, last: Option<i64>, offset_minutes: i32) -> Option<String> {
    let zone = format_offset(offset_minutes);
    match (first, last) {
        (Some(a), Some(b)) if a != b => {
            Some(format!("{} {zone}", range_label(a, b, offset_minutes)))
        }
        (Some(t), _) | (None, Some(t)) => {
            Some(format!("{} {zone}", format_time(t, offset_minutes)))
        }
        (None, None) => None,
    }
}

/// `"3 critical · 5 high"`: the tally as one line.
pub fn tally_line(detections: &[Detection]) -> String {
    tally(detections)
        .into_iter()
        .map(|(l, n)| format!("{} {}", format_count(n as u64), l.as_str()))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A detection to test with.
#[cfg(test)]
pub(crate) mod fixtures {
    use trailglass_core::engine::{Detection, Level, RuleOrigin};

    pub fn detection(rule: &str, level: Level, count: u64) -> Detection {
        Detection {
            rule: rule.to_owned(),
            title: format!("Rule {rule}"),
            level,
            author: "someone".to_owned(),
            origin: RuleOrigin::Sigmahq,
            link: None,
            techniques: Vec::new(),
            tactics: Vec::new(),
            count,
            first_ms: None,
            last_ms: None,
            top_users: Vec::new(),
            top_ips: Vec::new(),
            buckets: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::detection;
    use super::*;
    use trailglass_core::query::parse;

    #[test]
    fn levels_have_a_class_and_a_word() {
        let classes: Vec<_> = LEVELS.iter().map(|&l| level_class(l)).collect();
        assert_eq!(classes, ["lvl-critical", "lvl-high", "lvl-medium", "lvl-low", "lvl-info"]);
        assert_eq!(level_label(Level::Informational), "Info");
        assert!(LEVELS.windows(2).all(|w| w[0] > w[1]), "most severe first");
    }

    #[test]
    fn clauses_parse() {
        let id = "4db60cc0-36fb-42b7-9b58-a5b53019fb74";
        assert_eq!(rule_clause(id), format!("rule:{id}"));
        assert_eq!(rule_clause("My own rule"), "rule:\"My own rule\"");
        assert_eq!(technique_clause("T1685.002"), "technique:T1685.002");
        assert_eq!(rule_and_clause(id, "ip", "10.0.0.1"), format!("rule:{id} ip:10.0.0.1"));
        for q in [rule_clause(id), rule_clause("a \"b\""), technique_clause("T1078.004")] {
            assert!(parse(&q).is_ok(), "{q}");
        }
    }

    #[test]
    fn only_web_links_are_links() {
        let gh = "https://github.com/SigmaHQ/sigma/blob/abc/rules/x.yml";
        assert_eq!(safe_link(Some(gh)), Some(gh));
        assert_eq!(safe_link(Some("HTTP://example.com/r")), Some("HTTP://example.com/r"));
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,x",
            "https://",
            "//evil.example",
            "https://a b",
            "file:///etc/passwd",
            "",
        ] {
            assert_eq!(safe_link(Some(bad)), None, "{bad}");
        }
        assert_eq!(safe_link(None), None);
    }

    #[test]
    fn tallies_orders_and_lookups() {
        let ds = vec![
            detection("a", Level::Medium, 5),
            detection("b", Level::High, 1),
            detection("c", Level::Medium, 9),
            detection("d", Level::Informational, 100),
        ];
        assert_eq!(
            tally(&ds),
            vec![(Level::High, 1), (Level::Medium, 2), (Level::Informational, 1)]
        );
        assert_eq!(tally_line(&ds), "1 high · 2 medium · 1 informational");
        let order: Vec<_> = by_severity(&ds).iter().map(|d| d.rule.as_str()).collect();
        assert_eq!(order, ["b", "c", "a", "d"]);
        assert_eq!(find(&ds, "c").map(|d| d.count), Some(9));
        assert!(find(&ds, "zz").is_none());
        assert_eq!(tally_line(&[]), "");
    }

    #[test]
    fn first_and_last_seen() {
        let t0 = 1_709_287_200_000; // 2024-03-01T10:00:00Z
        assert_eq!(
            seen_label(Some(t0), Some(t0 + 300_000), 0).as_deref(),
            Some("2024-03-01 10:00:00 – 10:05:00 UTC")
        );
        assert_eq!(
            seen_label(Some(t0), Some(t0), 120).as_deref(),
            Some("2024-03-01 12:00:00 UTC+02:00")
        );
        assert_eq!(seen_label(None, None, 0), None);
    }

    #[test]
    fn the_empty_sentence() {
        assert_eq!(empty_message(Some(69), 1234), "No detections: 69 rules ran over 1,234 events.");
        assert_eq!(empty_message(Some(1), 1), "No detections: 1 rule ran over 1 event.");
        assert_eq!(
            empty_message(None, 2000),
            "No detections: no rule matched any of the 2,000 events loaded."
        );
        assert_eq!(empty_message(None, 1), "No detections: no rule matched the 1 event loaded.");
    }
}
