//! The field names of the language: the aliases of the indexed columns and the time, the
//! CloudTrail top-level keys a nested path may start with, their help texts, the closest-name
//! suggestion for a typo, and [`field_text`], a field's text for one row. The parser and
//! everything that shows a field's value (table cells, the CSV export, the command line) resolve
//! names here, so a name means the same in a query and in a column.

use super::path::path_values;
use super::rules::RuleField;
use super::who::WhoField;
use crate::store::{Column, RawReader, Store};
use crate::time::format_ms;

/// What a field name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Alias {
    Column(Column),
    Time,
    Last,
    /// A detection term (`rule:`, `level:`, `tactic:`, `technique:`).
    Rule(RuleField),
    /// An identity term (`origin:`, `session:`, `chain:`).
    Who(WhoField),
}

const ALIASES: &[(&str, Alias)] = &[
    ("user", Alias::Column(Column::User)),
    ("username", Alias::Column(Column::User)),
    ("service", Alias::Column(Column::Service)),
    ("source", Alias::Column(Column::Service)),
    ("eventsource", Alias::Column(Column::Service)),
    ("action", Alias::Column(Column::Action)),
    ("name", Alias::Column(Column::Action)),
    ("eventname", Alias::Column(Column::Action)),
    ("region", Alias::Column(Column::Region)),
    ("awsregion", Alias::Column(Column::Region)),
    ("ip", Alias::Column(Column::SourceIp)),
    ("sourceip", Alias::Column(Column::SourceIp)),
    ("sourceipaddress", Alias::Column(Column::SourceIp)),
    ("error", Alias::Column(Column::ErrorCode)),
    ("errorcode", Alias::Column(Column::ErrorCode)),
    ("key", Alias::Column(Column::AccessKey)),
    ("accesskey", Alias::Column(Column::AccessKey)),
    ("accesskeyid", Alias::Column(Column::AccessKey)),
    ("useridentity.accesskeyid", Alias::Column(Column::AccessKey)),
    ("account", Alias::Column(Column::Account)),
    ("type", Alias::Column(Column::IdentityType)),
    ("identitytype", Alias::Column(Column::IdentityType)),
    ("useridentity.type", Alias::Column(Column::IdentityType)),
    ("category", Alias::Column(Column::Category)),
    ("agent", Alias::Column(Column::UserAgent)),
    ("useragent", Alias::Column(Column::UserAgent)),
    ("readonly", Alias::Column(Column::ReadOnly)),
    ("arn", Alias::Column(Column::Arn)),
    ("useridentity.arn", Alias::Column(Column::Arn)),
    ("eventtype", Alias::Column(Column::EventType)),
    ("time", Alias::Time),
    ("eventtime", Alias::Time),
    ("last", Alias::Last),
    ("rule", Alias::Rule(RuleField::Rule)),
    ("level", Alias::Rule(RuleField::Level)),
    ("tactic", Alias::Rule(RuleField::Tactic)),
    ("technique", Alias::Rule(RuleField::Technique)),
    ("origin", Alias::Who(WhoField::Origin)),
    ("session", Alias::Who(WhoField::Session)),
    ("chain", Alias::Who(WhoField::Chain)),
];

/// Field names and what they mean, for the help text and completion.
pub(crate) const FIELD_DOCS: &[(&str, &str)] = &[
    ("user", "who: userName, else the session issuer, else the ARN's last part (alias username)"),
    ("service", "eventSource; s3 = s3.amazonaws.com (aliases source, eventSource)"),
    ("action", "eventName (aliases name, eventName)"),
    ("region", "awsRegion"),
    ("ip", "sourceIPAddress; takes CIDR blocks (aliases sourceip, sourceIPAddress)"),
    ("error", "errorCode (alias errorCode)"),
    ("key", "userIdentity.accessKeyId (alias accesskey)"),
    ("account", "recipientAccountId, else userIdentity.accountId"),
    ("type", "userIdentity.type, e.g. AssumedRole, IAMUser, Root (alias identitytype)"),
    ("category", "eventCategory (Management when absent)"),
    ("agent", "userAgent"),
    ("readonly", "readOnly: true or false"),
    ("arn", "userIdentity.arn"),
    ("eventtype", "eventType, e.g. AwsApiCall, AwsConsoleSignIn"),
    ("time", "eventTime: time:2024-03-01, time>=…, time:[A TO B]"),
    ("last", "the last period of the data: last:1h, last:7d"),
    ("rule", "events a detection rule matched, by id, name or title: rule:*CloudTrail*"),
    ("level", "events of detections of a level: level:high, level>=medium"),
    ("tactic", "events of detections of an ATT&CK tactic: tactic:persistence"),
    ("technique", "events of detections of an ATT&CK technique: technique:T1562*"),
    ("origin", "who is really behind the call (user, root, SSO user, SAML/web subject, service): origin:alice"),
    ("session", "the session that made the call, by access key: session:ASIA*"),
    ("chain", "any hop from the origin to the caller, e.g. a role name: chain:*Admin*"),
];

/// CloudTrail's top-level keys: the first segment of a nested path must be one of them (or the
/// path must start with `$.`), so a typo is an error rather than an empty answer.
const TOP_KEYS: &[&str] = &[
    "eventVersion",
    "userIdentity",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "requestID",
    "eventID",
    "readOnly",
    "resources",
    "eventType",
    "apiVersion",
    "managementEvent",
    "recipientAccountId",
    "serviceEventDetails",
    "sharedEventID",
    "vpcEndpointId",
    "vpcEndpointAccountId",
    "eventCategory",
    "tlsDetails",
    "sessionCredentialFromConsole",
    "insightDetails",
    "edgeDeviceDetails",
    "addendum",
    "annotation",
];

pub(crate) fn resolve_alias(name: &str) -> Option<Alias> {
    ALIASES.iter().find(|(a, _)| a.eq_ignore_ascii_case(name)).map(|&(_, al)| al)
}

/// Whether `name` is one of CloudTrail's top-level keys (any case).
pub(super) fn is_top_key(name: &str) -> bool {
    TOP_KEYS.iter().any(|k| k.eq_ignore_ascii_case(name))
}

/// The closest known field name to `name`, if one is close.
pub(super) fn suggest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let cands = ALIASES
        .iter()
        .map(|(a, _)| *a)
        .filter(|a| !a.contains('.'))
        .chain(TOP_KEYS.iter().copied());
    let mut best: Option<(usize, &'static str)> = None;
    for c in cands {
        let d = levenshtein(&lower, &c.to_ascii_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let limit = (lower.chars().count() / 3).max(2);
    best.filter(|&(d, _)| d <= limit).map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// The text of a field for one row: a field name of the language (`user`, `service`, `time`…) or
/// a nested path (`requestParameters.bucketName`, `$.anyKey`). Several values (arrays) are joined
/// with ", "; objects are compact JSON. `None` when the field has no value.
pub fn field_text(store: &Store, row: usize, path: &str) -> Option<String> {
    field_text_in(&mut store.raw_reader(), row, path)
}

/// [`field_text`] through a reader (for many rows: it keeps the blocks it opened).
pub fn field_text_in(raws: &mut RawReader<'_>, row: usize, path: &str) -> Option<String> {
    let store = raws.store();
    if row >= store.len() {
        return None;
    }
    match resolve_alias(path) {
        Some(Alias::Column(c)) => {
            let v = store.get(row, c);
            return (!v.is_empty()).then(|| v.to_owned());
        }
        Some(Alias::Time) => return store.time_ms(row).map(format_ms),
        Some(Alias::Last) => return None,
        // Not a value of the event: a key of that name is read from the record.
        Some(Alias::Rule(_) | Alias::Who(_)) | None => {}
    }
    let body = path.strip_prefix("$.").unwrap_or(path);
    let segs: Vec<String> = body.split('.').map(str::to_ascii_lowercase).collect();
    let vals = path_values(raws.get(row), &segs);
    (!vals.is_empty()).then(|| vals.join(", "))
}
