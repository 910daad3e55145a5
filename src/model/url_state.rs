//! The view's state in the URL fragment, so a link (or a reload) restores the view on the same
//! files, and back/forward step through searches. Only view settings go in — the query, time
//! range, sort, columns, time zone, panel and the selected eventID — never event data.
//!
//! Format: `#q=<query>&from=<ms>&to=<ms>&sort=<column>.<asc|desc>&cols=<id>,<id>&tz=local&view=<services|detections>&ev=<eventID>`,
//! each value percent-encoded. Unknown keys are ignored; missing keys take their defaults.

/// What the fragment holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlState {
    pub query: String,
    pub range: Option<(i64, i64)>,
    /// Column id and descending.
    pub sort: Option<(String, bool)>,
    /// Column ids, in order; None = the default columns.
    pub columns: Option<Vec<String>>,
    pub local_time: bool,
    /// `Some("services")` for the per-service panel, `Some("detections")` for the detections;
    /// None for the table.
    pub view: Option<String>,
    /// The selected event's eventID.
    pub event: Option<String>,
}

/// Percent-encodes everything but the unreserved characters (RFC 3986).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space); invalid escapes are kept as they are and invalid
/// UTF-8 is replaced, so no input can fail.
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'%') => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            Some(b'+') => out.push(b' '),
            Some(&b) => out.push(b),
            None => {}
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl UrlState {
    /// The fragment, starting with `#` (or empty when everything is default).
    pub fn encode(&self) -> String {
        let mut parts = Vec::new();
        if !self.query.is_empty() {
            parts.push(format!("q={}", encode_component(&self.query)));
        }
        if let Some((from, to)) = self.range {
            parts.push(format!("from={from}&to={to}"));
        }
        if let Some((col, desc)) = &self.sort {
            parts.push(format!(
                "sort={}.{}",
                encode_component(col),
                if *desc { "desc" } else { "asc" }
            ));
        }
        if let Some(cols) = &self.columns {
            let ids: Vec<String> = cols.iter().map(|c| encode_component(c)).collect();
            parts.push(format!("cols={}", ids.join(",")));
        }
        if self.local_time {
            parts.push("tz=local".to_string());
        }
        if let Some(v) = &self.view {
            parts.push(format!("view={}", encode_component(v)));
        }
        if let Some(ev) = &self.event {
            parts.push(format!("ev={}", encode_component(ev)));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("#{}", parts.join("&"))
        }
    }

    /// Reads a fragment (with or without the leading `#`). Never fails: what it cannot read it
    /// leaves at the default.
    pub fn decode(fragment: &str) -> UrlState {
        let mut st = UrlState::default();
        let (mut from, mut to) = (None, None);
        for pair in fragment.trim_start_matches('#').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "q" => st.query = decode_component(v),
                "from" => from = v.parse::<i64>().ok(),
                "to" => to = v.parse::<i64>().ok(),
                "sort" => {
                    let v = decode_component(v);
                    st.sort = match v.rsplit_once('.') {
                        Some((col, "desc")) => Some((col.to_string(), true)),
                        Some((col, "asc")) => Some((col.to_string(), false)),
                        _ => None,
                    };
                }
                "cols" => {
                    let cols: Vec<String> = v
                        .split(',')
                        .map(decode_component)
                        .filter(|c| !c.trim().is_empty())
                        .collect();
                    st.columns = if cols.is_empty() { None } else { Some(cols) };
                }
                "tz" => st.local_time = v == "local",
                "view" if !v.is_empty() => st.view = Some(decode_component(v)),
                "ev" if !v.is_empty() => st.event = Some(decode_component(v)),
                _ => {}
            }
        }
        if let (Some(a), Some(b)) = (from, to) {
            if a < b {
                st.range = Some((a, b));
            }
        }
        st
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let st = UrlState {
            query: "user:\"alice smith\" error:* & #x=1 é 日本".to_string(),
            range: Some((1_709_287_200_000, 1_709_290_800_000)),
            sort: Some(("service".to_string(), true)),
            columns: Some(vec!["time".into(), "requestParameters.bucketName".into(), "a,b".into()]),
            local_time: true,
            view: Some("services".into()),
            event: Some("3b5c-&=#".into()),
        };
        let enc = st.encode();
        assert!(enc.starts_with("#q="));
        assert!(!enc[1..].contains('#'));
        assert_eq!(UrlState::decode(&enc), st);
    }

    #[test]
    fn defaults_and_garbage() {
        assert_eq!(UrlState::default().encode(), "");
        assert_eq!(UrlState::decode(""), UrlState::default());
        assert_eq!(UrlState::decode("#&&=&q"), UrlState::default());
        // a range must be ordered, a sort must name a direction, escapes may be broken
        let st = UrlState::decode("#from=5&to=1&sort=time&q=%zz%4");
        assert_eq!(st.range, None);
        assert_eq!(st.sort, None);
        assert_eq!(st.query, "%zz%4");
        assert_eq!(UrlState::decode("q=a+b").query, "a b");
        assert_eq!(decode_component("%E6%97%A5"), "日");
        assert_eq!(decode_component("%FF"), "\u{FFFD}");
    }
}
