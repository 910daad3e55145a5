//! Building query text from clicks: a facet value, a pivot, a legend entry each become a clause of
//! the query language (`trailglass_core::query`), appended to what the user typed. Plain string
//! functions, tested against the engine's own parser.

/// A value as the query language reads it literally: bare when it is a plain token, otherwise
/// in double quotes with `"` and `\` escaped (inside quotes `*` and `?` are literal).
pub fn quote_value(value: &str) -> String {
    let plain = !value.is_empty()
        && value.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '@' | '+' | '=' | ':')
        })
        && !value.starts_with('-');
    if plain {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `field:value`, or `-field:value` when `exclude`. An empty value means "missing": `-field:*`
/// (or `field:*` when excluding the missing value).
pub fn field_clause(field: &str, value: &str, exclude: bool) -> String {
    match (value.is_empty(), exclude) {
        (true, false) => format!("-{field}:*"),
        (true, true) => format!("{field}:*"),
        (false, false) => format!("{field}:{}", quote_value(value)),
        (false, true) => format!("-{field}:{}", quote_value(value)),
    }
}

/// Appends `clause` to `query` (an implicit AND). A query with a top-level OR is wrapped in
/// parentheses first, so the new clause narrows all of it. A clause already present is not added
/// twice.
pub fn add_clause(query: &str, clause: &str) -> String {
    let q = query.trim();
    if q.is_empty() {
        return clause.to_string();
    }
    if q.split_whitespace().any(|w| w == clause) {
        return q.to_string();
    }
    if q.split_whitespace().any(|w| w == "OR") {
        format!("({q}) {clause}")
    } else {
        format!("{q} {clause}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trailglass_core::query::parse;
    use trailglass_core::Store;

    const EV: &str = r#"{"Records":[
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:05Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.5","userIdentity":{"type":"IAMUser","userName":"alice smith \"the\" \\admin","arn":"arn:aws:iam::123456789012:user/alice"},"eventID":"a1"},
      {"eventVersion":"1.08","eventTime":"2024-03-01T10:00:06Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","errorCode":"AccessDenied","userIdentity":{"type":"IAMUser","userName":"b*b"},"eventID":"b2"}
    ]}"#;

    fn run(q: &str) -> Vec<u32> {
        let mut store = Store::new();
        store.ingest("t.json", EV.as_bytes());
        parse(q).unwrap_or_else(|e| panic!("{q}: {e}")).run(&store)
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_value("s3.amazonaws.com"), "s3.amazonaws.com");
        assert_eq!(quote_value("a b"), "\"a b\"");
        assert_eq!(quote_value("x\"y\\z"), "\"x\\\"y\\\\z\"");
        assert_eq!(quote_value("-dash"), "\"-dash\"");
        assert_eq!(quote_value("b*b"), "\"b*b\"");
        assert_eq!(quote_value(""), "\"\"");
    }

    #[test]
    fn clauses_parse_and_match_exactly_their_event() {
        assert_eq!(run(&field_clause("user", "alice smith \"the\" \\admin", false)), vec![0]);
        assert_eq!(run(&field_clause("user", "b*b", false)), vec![1], "the * is literal");
        assert_eq!(run(&field_clause("service", "iam.amazonaws.com", true)), vec![0]);
        assert_eq!(run(&field_clause("error", "", false)), vec![0], "missing error");
        assert_eq!(run(&field_clause("error", "", true)), vec![1], "has an error");
        assert_eq!(
            run(&field_clause("arn", "arn:aws:iam::123456789012:user/alice", false)),
            vec![0]
        );
    }

    #[test]
    fn appending() {
        assert_eq!(add_clause("", "user:x"), "user:x");
        assert_eq!(add_clause("  error:* ", "user:x"), "error:* user:x");
        assert_eq!(add_clause("error:* user:x", "user:x"), "error:* user:x");
        assert_eq!(add_clause("a OR b", "user:x"), "(a OR b) user:x");
        assert_eq!(run(&add_clause("GetObject OR CreateUser", "region:us-east-1")), vec![1]);
    }
}
