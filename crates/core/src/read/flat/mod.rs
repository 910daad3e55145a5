//! Exports that arrive *flattened* by another tool (issue 15): Athena and CloudTrail Lake CSV
//! results, the console's Event history CSV, Microsoft Sentinel's `AWSCloudTrail` rows (CSV or
//! JSON), and Elastic ECS documents that do not keep `event.original` (JSON, NDJSON or a Kibana
//! CSV). Each row or document is put back into CloudTrail's own record shape, so every column,
//! query and facet works, and is then read as the record it was (`read/mapped.rs`).
//!
//! One mapping for every source: a table of [`Rule`]s per [`Source`] (`rules.rs`) says which
//! column (or dotted ECS path) becomes which CloudTrail field and how its text is read back
//! ([`How`]); [`map`] applies a table through an accessor (a CSV row, a JSON document), so CSV
//! rows and JSON documents share the code. Struct and JSON texts are parsed back by
//! `lake::column_value` (Trino's `{k=v, …}` text is the same in Athena, Lake and Sentinel
//! exports). What the table does not name is not understood and is left out: the file's line
//! says how many such columns there were, and that the source was lossy.
//!
//! A mapped row is an event only under `lake::lists_event`'s rule (it names the call and has
//! its time or id): an aggregate query's row or a summary line is skipped and counted, never
//! made into an event.

use serde_json::{Map, Value};

use crate::report::Format;

use super::lake::column_value;

pub(super) mod ecs;
mod rules;
mod time;

/// The flattened source a header or document was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Source {
    /// CloudTrail Lake results downloaded as CSV: the event's own (camelCase) names.
    Lake,
    /// Athena query results over the standard CloudTrail table: lower-case names.
    Athena,
    /// Microsoft Sentinel's `AWSCloudTrail` table.
    Sentinel,
    /// The CloudTrail console's Event history download.
    EventHistory,
    /// Elastic Common Schema (Elastic's AWS integration, Kibana's CSV export).
    Ecs,
}

impl Source {
    /// Header recognition tries them in this order; a tie goes to the first.
    pub(super) const ALL: [Source; 5] =
        [Source::Lake, Source::Athena, Source::Sentinel, Source::EventHistory, Source::Ecs];

    /// The name used in the file's note.
    pub(super) fn name(self) -> &'static str {
        match self {
            Source::Lake => "CloudTrail Lake CSV",
            Source::Athena => "Athena CSV",
            Source::Sentinel => "Sentinel AWSCloudTrail",
            Source::EventHistory => "Event history CSV",
            Source::Ecs => "ECS",
        }
    }

    /// The file's format when the source came as CSV.
    pub(super) fn csv_format(self) -> Format {
        match self {
            Source::Lake => Format::LakeCsv,
            Source::Athena => Format::AthenaCsv,
            Source::Sentinel => Format::SentinelCsv,
            Source::EventHistory => Format::EventHistoryCsv,
            Source::Ecs => Format::KibanaCsv,
        }
    }

    /// The file's format when every event of a JSON file came from this source.
    pub(super) fn json_format(self) -> Format {
        match self {
            Source::Sentinel => Format::Sentinel,
            Source::Ecs => Format::Ecs,
            other => other.csv_format(),
        }
    }

    /// What the source loses, said in the file's note.
    pub(super) fn lossy(self) -> &'static str {
        match self {
            Source::Lake | Source::Athena => {
                "every value was text; struct and JSON columns were parsed back, numbers stay text"
            }
            Source::Sentinel => {
                "the identity was flattened into columns; only its type, ARN, ids, user name, \
                 session issuer, MFA and creation date came back"
            }
            Source::EventHistory => {
                "the download is a summary: no request parameters, response, ARN or session"
            }
            Source::Ecs => {
                "ECS fields were mapped back to CloudTrail's names; what ECS has no place for is \
                 not in the document"
            }
        }
    }

    /// The source's mapping table.
    pub(super) fn rules(self) -> &'static [Rule] {
        match self {
            Source::Lake | Source::Athena => rules::CLOUDTRAIL,
            Source::Sentinel => rules::SENTINEL,
            Source::EventHistory => rules::EVENT_HISTORY,
            Source::Ecs => rules::ECS,
        }
    }

    /// Whether a column or key `name` is the rule's: exact for Lake (the event's names), ASCII
    /// case-insensitive for the others (Athena lower-cases, consoles capitalise), after dropping
    /// a trailing ` [UTC]` (Log Analytics' CSV export writes `TimeGenerated [UTC]`).
    pub(super) fn matches(self, rule: &Rule, name: &str) -> bool {
        let name = name.trim();
        let name = name.strip_suffix(" [UTC]").unwrap_or(name);
        match self {
            Source::Lake => rule.from == name,
            _ => rule.from.eq_ignore_ascii_case(name),
        }
    }
}

/// How a column's value is read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum How {
    /// As it is (text stays text).
    Text,
    /// JSON text or a Trino struct text parsed back; other text as it is.
    Parsed,
    /// `true` / `false` (any case) as a boolean; other text as it is.
    Bool,
    /// A time: the forms CloudTrail's reader takes stay; Kibana's and Log Analytics' display
    /// forms are rewritten as ISO 8601 (`time.rs`).
    Time,
}

/// One column of a source and the CloudTrail field it becomes: `to` is a dotted path
/// (`userIdentity.sessionContext.sessionIssuer.arn`); a `[]` segment is a list of one
/// (`resources[].type`). Rules are applied in order and the first value for a field wins, so a
/// table lists the better column first.
#[derive(Debug)]
pub(super) struct Rule {
    pub(super) from: &'static str,
    pub(super) to: &'static str,
    pub(super) how: How,
}

/// The columns that may hold the original event as JSON text: when a row's cell there is an
/// event, that event is read as it is (not lossy) instead of the row's mapped columns.
pub(super) const ORIGINAL_COLUMNS: [&str; 5] =
    ["event.original", "CloudTrail event", "CloudTrailEvent", "_raw", "message"];

/// A value as the rule reads it back; `None` for nothing (absent, null or empty text).
fn read_back(how: How, v: Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(match how {
            How::Text => Value::String(s),
            How::Parsed => column_value(Value::String(s)),
            How::Bool if s.trim().eq_ignore_ascii_case("true") => Value::Bool(true),
            How::Bool if s.trim().eq_ignore_ascii_case("false") => Value::Bool(false),
            How::Bool => Value::String(s),
            How::Time => Value::String(time::iso(&s).unwrap_or(s)),
        }),
        other => Some(other),
    }
}

/// Puts `v` at the dotted path `to` in `m`, unless a value is there already (first wins).
fn put(m: &mut Map<String, Value>, to: &str, v: Value) {
    let (head, rest) = match to.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (to, None),
    };
    let (key, list) = match head.strip_suffix("[]") {
        Some(k) => (k, true),
        None => (head, false),
    };
    let Some(rest) = rest else {
        m.entry(key.to_string()).or_insert(v);
        return;
    };
    let slot = m.entry(key.to_string()).or_insert_with(|| {
        if list {
            Value::Array(Vec::new())
        } else {
            Value::Object(Map::new())
        }
    });
    let inner = match slot {
        Value::Object(inner) if !list => inner,
        Value::Array(items) if list => {
            if items.is_empty() {
                items.push(Value::Object(Map::new()));
            }
            match items.first_mut() {
                Some(Value::Object(inner)) => inner,
                _ => return,
            }
        }
        // A value already there that is not an object (a struct column and a flattened one
        // both given): the first stays.
        _ => return,
    };
    put(inner, rest, v);
}

/// A row or document put back into CloudTrail's shape.
#[derive(Debug, Default)]
pub(super) struct Mapped {
    pub(super) record: Map<String, Value>,
    /// The rules (by index in the source's table) that gave a value.
    pub(super) used: Vec<usize>,
}

/// Applies `rules` through `get` (the value a rule's column has, by the rule's index).
pub(super) fn map(rules: &[Rule], mut get: impl FnMut(usize) -> Option<Value>) -> Mapped {
    let mut out = Mapped::default();
    for (i, rule) in rules.iter().enumerate() {
        if let Some(v) = get(i).and_then(|v| read_back(rule.how, v)) {
            put(&mut out.record, rule.to, v);
            out.used.push(i);
        }
    }
    out
}

/// The fields a header must give for a source to be recognised: one of each group. Every source
/// needs what makes an event (`lake::lists_event`); the Event history download always has its
/// name, time and source columns, and asking for all three keeps other tools' CSVs that share a
/// column name or two ("Event Name", "Event ID") from being taken for it.
fn needs(source: Source) -> &'static [&'static [&'static str]] {
    match source {
        Source::EventHistory => &[&["eventName"], &["eventTime"], &["eventSource"]],
        _ => &[&["eventName", "eventSource"], &["eventTime", "eventID"]],
    }
}

/// Which of `names` (a CSV header) a source understands: for each rule, the first column that
/// is its. `None` when the header does not have what the source needs ([`needs`]).
pub(super) fn columns_of(source: Source, names: &[&str]) -> Option<Vec<Option<usize>>> {
    let rules = source.rules();
    let cols: Vec<Option<usize>> =
        rules.iter().map(|r| names.iter().position(|n| source.matches(r, n))).collect();
    let has = |fields: &[&str]| {
        rules.iter().zip(&cols).any(|(r, c)| c.is_some() && fields.contains(&r.to))
    };
    needs(source).iter().all(|group| has(group)).then_some(cols)
}

/// The source a CSV header is from: the one that understands most of its columns (and can list
/// events). ECS needs a column of an AWS field too (`aws.…` or `cloud.…`), so a Kibana export of
/// other logs is not taken for CloudTrail.
pub(super) fn recognise(names: &[&str]) -> Option<(Source, Vec<Option<usize>>)> {
    let mut best: Option<(Source, Vec<Option<usize>>, usize)> = None;
    for source in Source::ALL {
        if source == Source::Ecs
            && !names.iter().any(|n| n.starts_with("aws.") || n.starts_with("cloud."))
        {
            continue;
        }
        let Some(cols) = columns_of(source, names) else { continue };
        let mut seen: Vec<usize> = cols.iter().flatten().copied().collect();
        seen.sort_unstable();
        seen.dedup();
        let n = seen.len();
        if best.as_ref().is_none_or(|b| n > b.2) {
            best = Some((source, cols, n));
        }
    }
    best.map(|(s, c, _)| (s, c))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn paths_lists_and_first_wins() {
        let mut m = Map::new();
        put(&mut m, "userIdentity.sessionContext.sessionIssuer.arn", "a".into());
        put(&mut m, "userIdentity.type", "Role".into());
        put(&mut m, "userIdentity.type", "IAMUser".into());
        put(&mut m, "resources[].type", "AWS::S3::Bucket".into());
        put(&mut m, "resources[].ARN", "arn:aws:s3:::b".into());
        assert_eq!(
            Value::Object(m),
            serde_json::json!({
                "userIdentity": {"type": "Role", "sessionContext": {"sessionIssuer": {"arn": "a"}}},
                "resources": [{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::b"}]
            })
        );
        // A struct given whole, then a flattened part of it: the whole stays.
        let mut m = Map::new();
        put(&mut m, "userIdentity", "text".into());
        put(&mut m, "userIdentity.type", "Role".into());
        assert_eq!(m["userIdentity"], "text");
    }

    #[test]
    fn values_read_back() {
        assert_eq!(read_back(How::Bool, "TRUE".into()), Some(Value::Bool(true)));
        assert_eq!(read_back(How::Bool, "maybe".into()), Some("maybe".into()));
        assert_eq!(read_back(How::Text, " ".into()), None);
        assert_eq!(read_back(How::Text, Value::Null), None);
        assert_eq!(read_back(How::Parsed, r#"{"a":1}"#.into()), Some(serde_json::json!({"a": 1})));
        assert_eq!(
            read_back(How::Parsed, "{type=Root, arn=x}".into()),
            Some(serde_json::json!({"type": "Root", "arn": "x"}))
        );
        // Cells starting with = + - @ are data: kept as they are.
        for s in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)"] {
            assert_eq!(read_back(How::Parsed, s.into()), Some(s.into()));
        }
    }

    #[test]
    fn headers_are_recognised_by_their_columns() {
        let athena = ["eventversion", "useridentity", "eventtime", "eventname", "eventsource"];
        assert_eq!(recognise(&athena).unwrap().0, Source::Athena);
        let lake = ["eventVersion", "userIdentity", "eventTime", "eventName", "eventSource"];
        assert_eq!(recognise(&lake).unwrap().0, Source::Lake);
        let sentinel = ["TimeGenerated [UTC]", "EventName", "EventSource", "UserIdentityArn"];
        assert_eq!(recognise(&sentinel).unwrap().0, Source::Sentinel);
        let history = ["Event name", "Event time", "User name", "Event source", "Event ID"];
        assert_eq!(recognise(&history).unwrap().0, Source::EventHistory);
        // Another tool's CSV sharing two of its names (a honey bucket's alert log): not it.
        let other = ["Event Type", "Event Name", "Request ID", "Event ID", "Event DateTime"];
        assert!(recognise(&other).is_none());
        let kibana = ["@timestamp", "event.action", "event.provider", "cloud.region"];
        assert_eq!(recognise(&kibana).unwrap().0, Source::Ecs);
        // Not AWS: a Kibana export of other logs; no time or id; unrelated.
        assert!(recognise(&["@timestamp", "event.action", "host.name"]).is_none());
        assert!(recognise(&["eventname", "eventsource"]).is_none());
        assert!(recognise(&["a", "b", "c"]).is_none());
    }
}
