//! CloudTrail Lake query results (`aws cloudtrail get-query-results`): `QueryResultRows`, each
//! row a list of one-column maps whose values are all text (a struct column printed as
//! `{type=IAMUser, arn=…, sessioncontext={…}}`). A row that lists an event (it names the call
//! and has its time or id) is put back into CloudTrail's shape, struct and JSON texts parsed
//! back, and read as a record; a row of an aggregate query (`count(*)`) is no event. Lossy: the
//! file's line says so.
//!
//! The struct text is written by hand: it is Trino's rendering of a ROW, not JSON, and no crate
//! reads it. Where it is ambiguous (a value holding `, ` followed by `word=`) the split is at
//! that comma; such values are rare in CloudTrail's structs (identities, ids, times).

use serde_json::{Map, Value};

/// CloudTrail's names of the struct fields Lake may print in lower case.
const NAMES: [&str; 27] = [
    "type",
    "principalId",
    "arn",
    "accountId",
    "accessKeyId",
    "userName",
    "sessionContext",
    "sessionIssuer",
    "attributes",
    "creationDate",
    "mfaAuthenticated",
    "webIdFederationData",
    "federatedProvider",
    "sourceIdentity",
    "ec2RoleDelivery",
    "invokedBy",
    "identityProvider",
    "credentialId",
    "onBehalfOf",
    "userId",
    "identityStoreArn",
    "inScopeOf",
    "issuerType",
    "credentialsIssuedTo",
    "tlsVersion",
    "cipherSuite",
    "clientProvidedHostHeader",
];

fn name_of(key: &str) -> String {
    NAMES
        .iter()
        .find(|n| n.eq_ignore_ascii_case(key))
        .map_or_else(|| key.to_string(), |n| (*n).to_string())
}

/// Parses Trino's text of a ROW or MAP (`{k=v, k2={…}, k3=[a, b]}`) at `s[i..]`; returns the
/// value and where it ends. Values are text (`null` is null).
fn struct_at(s: &[u8], mut i: usize, depth: u32) -> Option<(Value, usize)> {
    if depth > 32 || s.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let mut m = Map::new();
    if s.get(i) == Some(&b'}') {
        return Some((Value::Object(m), i + 1));
    }
    loop {
        let eq = i + s.get(i..)?.iter().position(|&c| c == b'=')?;
        let key = std::str::from_utf8(s.get(i..eq)?).ok()?.trim();
        if key.is_empty() || key.contains([',', '{', '}']) {
            return None;
        }
        let (v, end) = value_at(s, eq + 1, depth)?;
        m.insert(name_of(key), v);
        match s.get(end) {
            Some(b'}') => return Some((Value::Object(m), end + 1)),
            Some(b',') => i = end + 1 + usize::from(s.get(end + 1) == Some(&b' ')),
            _ => return None,
        }
    }
}

/// A value inside a struct text at `s[i..]`: a struct, a list, or text up to the `, key=` or
/// the `}` that ends it.
fn value_at(s: &[u8], i: usize, depth: u32) -> Option<(Value, usize)> {
    match s.get(i) {
        Some(b'{') => struct_at(s, i, depth + 1),
        Some(b'[') => {
            let mut items = Vec::new();
            let mut j = i + 1;
            if s.get(j) == Some(&b']') {
                return Some((Value::Array(items), j + 1));
            }
            loop {
                let (v, end) = match s.get(j) {
                    Some(b'{') => struct_at(s, j, depth + 1)?,
                    _ => {
                        let end = j + s.get(j..)?.iter().position(|&c| c == b',' || c == b']')?;
                        (text(s.get(j..end)?)?, end)
                    }
                };
                items.push(v);
                match s.get(end) {
                    Some(b']') => return Some((Value::Array(items), end + 1)),
                    Some(b',') => j = end + 1 + usize::from(s.get(end + 1) == Some(&b' ')),
                    _ => return None,
                }
            }
        }
        _ => {
            let mut j = i;
            loop {
                match s.get(j)? {
                    b'}' => break,
                    b',' if starts_key(s, j + 1) => break,
                    _ => j += 1,
                }
            }
            Some((text(s.get(i..j)?)?, j))
        }
    }
}

/// Whether `s[i..]` is ` key=` (a space, a word, `=`).
fn starts_key(s: &[u8], i: usize) -> bool {
    let rest = s.get(i..).unwrap_or_default();
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let n = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
    n > 0 && rest.get(n) == Some(&b'=')
}

fn text(b: &[u8]) -> Option<Value> {
    let t = std::str::from_utf8(b).ok()?;
    Some(if t == "null" { Value::Null } else { Value::String(t.to_string()) })
}

/// A struct text (or a list of them, as Athena prints `resources`) as JSON, when the whole of
/// `s` is one.
pub(super) fn struct_text(s: &str) -> Option<Value> {
    let (v, end) = match s.as_bytes().first() {
        Some(b'[') => value_at(s.as_bytes(), 0, 0)?,
        _ => struct_at(s.as_bytes(), 0, 0)?,
    };
    (end == s.len()).then_some(v)
}

/// A column's text as it was in the event: JSON text parsed, a struct text parsed, else text.
/// Shared with the flattened exports (`flat/`), whose struct and JSON columns are the same text.
pub(super) fn column_value(v: Value) -> Value {
    let Value::String(s) = &v else { return v };
    let t = s.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        if let Ok(j) = serde_json::from_str::<Value>(s) {
            return j;
        }
        if let Some(j) = struct_text(s) {
            return j;
        }
    }
    v
}

/// One result row (a list of one-column maps) as a CloudTrail record's text, when it lists an
/// event: it names the call (`eventName` or `eventSource`) and has its `eventTime` or
/// `eventID`. `None` otherwise (an aggregate query's row, or not a row).
pub(super) fn lake_row(row: Value) -> Option<String> {
    let Value::Array(cols) = row else { return None };
    let mut m = Map::new();
    for col in cols {
        let Value::Object(col) = col else { return None };
        for (k, v) in col {
            m.insert(k, column_value(v));
        }
    }
    lists_event(&m).then(|| Value::Object(m).to_string())
}

/// Whether a record put back together from columns is an event: it names the call (`eventName`
/// or `eventSource`) and has its `eventTime` or `eventID`. The one rule for every flattened
/// source (Lake rows here, CSV rows and mapped documents in `flat/`): anything less (an
/// aggregate query's row, a summary) is no event, and none is invented.
pub(super) fn lists_event(m: &Map<String, Value>) -> bool {
    let has = |k: &str| m.get(k).is_some_and(|v| !v.is_null() && v != "");
    (has("eventName") || has("eventSource")) && (has("eventTime") || has("eventID"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn struct_texts_are_read_back_into_cloudtrails_names() {
        let s = "{type=AssumedRole, principalid=AROA1:bob, arn=arn:aws:sts::1:assumed-role/Admin/bob, \
                 accountid=1, accesskeyid=ASIA1, username=null, sessioncontext={attributes={creationdate=2024-01-02 03:04:05.000, mfaauthenticated=false}, \
                 sessionissuer={type=Role, principalid=AROA1, arn=arn:aws:iam::1:role/Admin, accountid=1, username=Admin}}, invokedby=null}";
        let v = struct_text(s).unwrap();
        assert_eq!(v["type"], "AssumedRole");
        assert_eq!(v["principalId"], "AROA1:bob");
        assert_eq!(v["userName"], Value::Null);
        assert_eq!(v["sessionContext"]["sessionIssuer"]["userName"], "Admin");
        assert_eq!(v["sessionContext"]["attributes"]["creationDate"], "2024-01-02 03:04:05.000");
        assert_eq!(v["invokedBy"], Value::Null);
        // Lists, empty structs; not a struct text: none.
        let v = struct_text("{a=[x, y], b={}, c=[]}").unwrap();
        assert_eq!(v, serde_json::json!({"a": ["x", "y"], "b": {}, "c": []}));
        // A list of structs, as Athena prints `resources`.
        let v = struct_text("[{arn=arn:aws:s3:::b, accountid=1, type=AWS::S3::Bucket}]").unwrap();
        assert_eq!(v[0]["accountId"], "1");
        assert_eq!(v[0]["type"], "AWS::S3::Bucket");
        for bad in ["", "{", "{a}", "{a=1", "{a=1}x", "plain", "{=1}", "[", "[a"] {
            assert_eq!(struct_text(bad), None, "{bad}");
        }
        // A comma inside a value that is not followed by a key stays in the value.
        assert_eq!(struct_text("{ua=a, b c, d=1}").unwrap()["ua"], "a, b c");
    }

    #[test]
    fn rows_that_list_events_and_rows_that_do_not() {
        let row = serde_json::json!([
            {"eventID": "e1"}, {"eventTime": "2024-01-02 03:04:05.000"},
            {"eventName": "GetObject"}, {"eventSource": "s3.amazonaws.com"},
            {"userIdentity": "{type=IAMUser, arn=arn:aws:iam::1:user/alice, username=alice}"},
            {"requestParameters": "{\"bucketName\":\"b\"}"}
        ]);
        let v: Value = serde_json::from_str(&lake_row(row).unwrap()).unwrap();
        assert_eq!(v["userIdentity"]["userName"], "alice");
        assert_eq!(v["requestParameters"]["bucketName"], "b");
        let count = serde_json::json!([{"eventSource": "s3.amazonaws.com"}, {"_col1": "42"}]);
        assert_eq!(lake_row(count), None);
        assert_eq!(lake_row(serde_json::json!({"eventName": "x"})), None);
    }
}
