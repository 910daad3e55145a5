//! The ATT&CK matrix of the detections: one column per tactic, in ATT&CK's order (the engine's
//! [`TACTICS`], which has the newer `stealth` and `defense-impairment` beside
//! `defense-evasion`), holding the techniques hit under it, each with its count and the highest
//! level of the rules that hit it.
//!
//! A Sigma rule tags tactics and techniques separately, without saying which technique belongs
//! to which tactic, so a technique is placed under every tactic its rules name (as Sigma's own
//! ATT&CK heatmaps do); techniques of rules that name no tactic gather in a last "Other" column.
//! A technique's count is its distinct events, as the engine counts them (`Answer.techniques`:
//! an event two of its rules matched counts once, as in the Navigator layer); the tooltip lists
//! its rules with their own counts. Without the engine's count it adds up its rules' counts. Every tactic is a column, hit or not, so the kill chain
//! reads left to right; columns without hits are drawn narrow.

use std::collections::BTreeMap;

use trailglass_core::detect::meta::TACTICS;
use trailglass_core::engine::{Detection, Level};

/// The id of the column of techniques whose rules name no tactic.
pub const OTHER: &str = "other";

/// One technique under one tactic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TechniqueCell {
    /// `T1685.002`.
    pub id: String,
    /// The distinct events its rules matched.
    pub count: u64,
    /// The highest level among its rules.
    pub level: Level,
    /// Its rules as `(level, title, count)`, most severe first.
    pub rules: Vec<(Level, String, u64)>,
}

/// One tactic's column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TacticColumn {
    /// The ATT&CK shortname (`defense-impairment`), or [`OTHER`].
    pub id: String,
    /// For people: `Defense Impairment`.
    pub name: String,
    /// Most severe first, then most matches, then by id.
    pub techniques: Vec<TechniqueCell>,
}

/// `command-and-control` → `Command and Control`.
pub fn tactic_name(shortname: &str) -> String {
    if shortname == OTHER {
        return "Other".to_owned();
    }
    shortname
        .split('-')
        .enumerate()
        .map(|(i, w)| {
            let mut c = w.chars();
            match c.next() {
                Some(f) if i == 0 || w != "and" => f.to_uppercase().chain(c).collect(),
                _ => w.to_owned(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// The matrix of `detections`: every ATT&CK tactic in order, then [`OTHER`] when some rule with
/// techniques names no tactic. A tactic the engine does not know (it passes only known ones) is
/// put before [`OTHER`] rather than lost. `events` is each technique's distinct events.
pub fn matrix(detections: &[Detection], events: &[(String, u64)]) -> Vec<TacticColumn> {
    // tactic -> technique -> rules
    let mut hits: BTreeMap<&str, BTreeMap<&str, Vec<&Detection>>> = BTreeMap::new();
    for d in detections {
        let tactics: Vec<&str> = if d.tactics.is_empty() {
            vec![OTHER]
        } else {
            d.tactics.iter().map(String::as_str).collect()
        };
        for t in tactics {
            for tech in &d.techniques {
                hits.entry(t).or_default().entry(tech.as_str()).or_default().push(d);
            }
        }
    }
    let mut order: Vec<&str> = TACTICS.to_vec();
    order.extend(hits.keys().copied().filter(|t| *t != OTHER && !TACTICS.contains(t)));
    if hits.contains_key(OTHER) {
        order.push(OTHER);
    }
    order
        .into_iter()
        .map(|t| TacticColumn {
            id: t.to_owned(),
            name: tactic_name(t),
            techniques: hits.get(t).map(|h| cells(h, events)).unwrap_or_default(),
        })
        .collect()
}

fn cells(
    techniques: &BTreeMap<&str, Vec<&Detection>>,
    events: &[(String, u64)],
) -> Vec<TechniqueCell> {
    let mut out: Vec<TechniqueCell> = techniques
        .iter()
        .map(|(id, rules)| {
            let mut rules: Vec<(Level, String, u64)> =
                rules.iter().map(|d| (d.level, d.title.clone(), d.count)).collect();
            rules.sort_by(|a, b| b.0.cmp(&a.0).then(b.2.cmp(&a.2)));
            TechniqueCell {
                id: (*id).to_owned(),
                count: events
                    .iter()
                    .find(|(t, _)| t == id)
                    .map_or_else(|| rules.iter().map(|r| r.2).sum(), |&(_, n)| n),
                level: rules.iter().map(|r| r.0).max().unwrap_or(Level::Informational),
                rules,
            }
        })
        .collect();
    out.sort_by(|a, b| b.level.cmp(&a.level).then(b.count.cmp(&a.count)).then(a.id.cmp(&b.id)));
    out
}

/// The CSS grid columns of the matrix (set through the CSSOM): a column with hits takes a share
/// of the width, an empty one only room for its name written upwards.
pub fn grid_template(columns: &[TacticColumn]) -> String {
    columns
        .iter()
        .map(|c| if c.techniques.is_empty() { "1.6rem" } else { "minmax(5.75rem, 1fr)" })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How many distinct techniques the matrix shows.
pub fn techniques_hit(columns: &[TacticColumn]) -> usize {
    let mut ids: Vec<&str> =
        columns.iter().flat_map(|c| c.techniques.iter().map(|t| t.id.as_str())).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::detections::fixtures::detection;

    fn tagged(rule: &str, level: Level, count: u64, tactics: &[&str], techs: &[&str]) -> Detection {
        let mut d = detection(rule, level, count);
        d.tactics = tactics.iter().map(|s| (*s).to_owned()).collect();
        d.techniques = techs.iter().map(|s| (*s).to_owned()).collect();
        d
    }

    #[test]
    fn tactic_names() {
        assert_eq!(tactic_name("command-and-control"), "Command and Control");
        assert_eq!(tactic_name("defense-impairment"), "Defense Impairment");
        assert_eq!(tactic_name("impact"), "Impact");
        assert_eq!(tactic_name(OTHER), "Other");
    }

    #[test]
    fn every_tactic_in_attack_order() {
        let m = matrix(&[], &[]);
        let ids: Vec<&str> = m.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.first(), Some(&"reconnaissance"));
        assert_eq!(ids.last(), Some(&"impact"));
        let pos = |t: &str| ids.iter().position(|i| *i == t);
        assert!(pos("privilege-escalation") < pos("defense-evasion"));
        assert!(pos("defense-evasion") < pos("stealth"));
        assert!(pos("stealth") < pos("defense-impairment"));
        assert!(pos("defense-impairment") < pos("credential-access"));
        assert!(m.iter().all(|c| c.techniques.is_empty()));
        assert_eq!(pos(OTHER), None, "no Other column without techniques lacking a tactic");
    }

    #[test]
    fn techniques_grouped_under_their_tactics() {
        let ds = vec![
            tagged("trail", Level::Medium, 4, &["defense-impairment"], &["T1685.002"]),
            tagged("logging", Level::High, 2, &["defense-impairment"], &["T1685.002", "T1685"]),
            tagged("root", Level::Medium, 7, &["persistence", "stealth"], &["T1078.004"]),
            tagged("mine", Level::Low, 1, &[], &["T1110"]),
            tagged("untagged", Level::Critical, 50, &["impact"], &[]),
        ];
        let m = matrix(&ds, &[]);
        let col = |t: &str| m.iter().find(|c| c.id == t).map(|c| &c.techniques);
        let di = col("defense-impairment").map(Vec::as_slice).unwrap_or_default();
        assert_eq!(di.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["T1685.002", "T1685"]);
        let logs = &di[0];
        assert_eq!((logs.count, logs.level), (6, Level::High));
        assert_eq!(logs.rules[0], (Level::High, "Rule logging".to_owned(), 2));
        assert_eq!(logs.rules.len(), 2);
        assert_eq!(col("persistence").map(Vec::len), Some(1));
        assert_eq!(col("stealth").map(|t| t[0].count), Some(7));
        assert!(col("impact").is_some_and(Vec::is_empty), "a rule without techniques adds none");
        assert_eq!(m.last().map(|c| c.id.as_str()), Some(OTHER));
        assert_eq!(col(OTHER).map(|t| t[0].id.as_str()), Some("T1110"));
        assert_eq!(techniques_hit(&m), 4);
        let template = grid_template(&m);
        assert_eq!(template.matches("minmax").count(), 4, "{template}");
        assert_eq!(template.split(' ').filter(|c| *c == "1.6rem").count(), m.len() - 4);
    }

    #[test]
    fn within_a_column_most_severe_first() {
        let ds = vec![
            tagged("a", Level::Low, 100, &["discovery"], &["T1087"]),
            tagged("b", Level::High, 1, &["discovery"], &["T1580"]),
            tagged("c", Level::Low, 100, &["discovery"], &["T1016"]),
        ];
        let m = matrix(&ds, &[]);
        let disc = m.iter().find(|c| c.id == "discovery").map(|c| &c.techniques);
        let ids: Vec<_> = disc.into_iter().flatten().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["T1580", "T1016", "T1087"]);
    }

    #[test]
    fn a_technique_counts_its_distinct_events() {
        let ds = vec![
            tagged("trail", Level::Medium, 4, &["defense-impairment"], &["T1685.002"]),
            tagged("logging", Level::High, 2, &["defense-impairment"], &["T1685.002"]),
        ];
        let m = matrix(&ds, &[("T1685.002".into(), 5)]);
        let cell = m.iter().find(|c| c.id == "defense-impairment").map(|c| &c.techniques[0]);
        assert_eq!(cell.map(|c| c.count), Some(5), "4 + 2 matches, one event matched by both");
        assert_eq!(cell.map(|c| c.rules.len()), Some(2));
    }
}
