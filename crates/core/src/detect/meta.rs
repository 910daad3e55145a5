//! A rule's descriptive fields that need reading beyond text: its [`Level`] and its tags, whose
//! `attack.` namespace names MITRE ATT&CK tactics and techniques ([`Tag`]).

use std::fmt;

/// Sigma's severity levels, ordered from least to most severe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "informational" => Level::Informational,
            "low" => Level::Low,
            "medium" => Level::Medium,
            "high" => Level::High,
            "critical" => Level::Critical,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Informational => "informational",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The ATT&CK tactics, as Sigma writes them after `attack.` (with `-`; `_` is read as `-`).
/// `stealth` and `defense-impairment` are the two tactics ATT&CK split defense evasion into.
pub const TACTICS: &[&str] = &[
    "reconnaissance",
    "resource-development",
    "initial-access",
    "execution",
    "persistence",
    "privilege-escalation",
    "defense-evasion",
    "stealth",
    "defense-impairment",
    "credential-access",
    "discovery",
    "lateral-movement",
    "collection",
    "command-and-control",
    "exfiltration",
    "impact",
];

/// What a tag says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagKind {
    /// `attack.t1562.008` → `T1562.008`.
    Technique(String),
    /// `attack.defense-evasion` → `defense-evasion`.
    Tactic(String),
    /// Anything else (`attack.g0016`, `cve.2021-44228`, `detection.threat-hunting`, …).
    Other,
}

/// One tag as written and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub raw: String,
    pub kind: TagKind,
}

impl Tag {
    pub fn parse(raw: &str) -> Tag {
        let lower = raw.trim().to_ascii_lowercase();
        let kind = match lower.strip_prefix("attack.") {
            Some(rest) if is_technique(rest) => TagKind::Technique(rest.to_ascii_uppercase()),
            Some(rest) => {
                let t = rest.replace('_', "-");
                if TACTICS.contains(&t.as_str()) {
                    TagKind::Tactic(t)
                } else {
                    TagKind::Other
                }
            }
            None => TagKind::Other,
        };
        Tag { raw: raw.to_string(), kind }
    }
}

/// `t` and four digits, optionally `.` and three digits.
fn is_technique(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('t') else { return false };
    let (main, sub) = match rest.split_once('.') {
        Some((m, s)) => (m, Some(s)),
        None => (rest, None),
    };
    let digits = |x: &str, n: usize| x.len() == n && x.bytes().all(|b| b.is_ascii_digit());
    digits(main, 4) && sub.is_none_or(|s| digits(s, 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attack_tags() {
        assert_eq!(Tag::parse("attack.t1562.008").kind, TagKind::Technique("T1562.008".into()));
        assert_eq!(Tag::parse("attack.t1078").kind, TagKind::Technique("T1078".into()));
        assert_eq!(
            Tag::parse("attack.defense-evasion").kind,
            TagKind::Tactic("defense-evasion".into())
        );
        assert_eq!(
            Tag::parse("attack.privilege_escalation").kind,
            TagKind::Tactic("privilege-escalation".into())
        );
        assert_eq!(Tag::parse("attack.stealth").kind, TagKind::Tactic("stealth".into()));
        assert_eq!(Tag::parse("attack.g0016").kind, TagKind::Other);
        assert_eq!(Tag::parse("attack.t15").kind, TagKind::Other);
        assert_eq!(Tag::parse("cve.2021-44228").kind, TagKind::Other);
        assert!(Level::High > Level::Medium && Level::parse("severe").is_none());
    }
}
