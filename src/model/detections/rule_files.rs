//! The user's own rule files on the page's side: which dropped or picked files are rules
//! (`.yml`, `.yaml`) rather than logs, the size a rule file may have (read as text on the page,
//! so it is capped: rules are small), and the form they are remembered in (local storage, a JSON
//! list of `[name, text]` in the order added), so they are sent to the engine again at start.
//! The engine compiles them and says what it made of them (`Answer.rule_files`,
//! `Answer.rule_problems`).

use crate::model::format::format_count;

/// The largest rule file read: 1 MiB (the message in [`check_size`] says so).
pub const MAX_RULE_FILE_BYTES: u64 = 1024 * 1024;

/// Whether a file (by its name or path) is a rule file: `.yml` or `.yaml`, any case.
pub fn is_rule_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yml") || lower.ends_with(".yaml")
}

/// Splits files into rule files and the rest (logs), each in its order.
pub fn split_rule_files<T>(files: Vec<T>, name: impl Fn(&T) -> &str) -> (Vec<T>, Vec<T>) {
    files.into_iter().partition(|f| is_rule_file(name(f)))
}

/// `Err` with what to tell the user when a rule file is too big to read.
pub fn check_size(name: &str, bytes: u64) -> Result<(), String> {
    if bytes <= MAX_RULE_FILE_BYTES {
        return Ok(());
    }
    Err(format!(
        "{name} was not read: it has {} bytes, and rule files are read up to 1 MiB ({} bytes) \
         each.",
        format_count(bytes),
        format_count(MAX_RULE_FILE_BYTES)
    ))
}

/// The remembered rule files, `(name, text)` in the order they were added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredRules(pub Vec<(String, String)>);

impl StoredRules {
    /// Reads the stored form; anything unreadable is an empty list (never an error: local
    /// storage is the user's, and may hold anything).
    pub fn decode(json: &str) -> StoredRules {
        StoredRules(serde_json::from_str(json).unwrap_or_default())
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".to_owned())
    }

    /// Adds a file, replacing one of the same name (where it was in the list).
    pub fn put(&mut self, name: &str, text: &str) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = text.to_owned(),
            None => self.0.push((name.to_owned(), text.to_owned())),
        }
    }

    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| n != name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_files_are_rules() {
        assert!(is_rule_file("my_rule.yml"));
        assert!(is_rule_file("rules/Burst.YAML"));
        assert!(!is_rule_file("trail.json"));
        assert!(!is_rule_file("yml"));
        assert!(!is_rule_file("x.yml.gz"));
        let (rules, logs) = split_rule_files(vec!["a.json", "b.yml", "c.json.gz", "d.yaml"], |f| f);
        assert_eq!(rules, ["b.yml", "d.yaml"]);
        assert_eq!(logs, ["a.json", "c.json.gz"]);
    }

    #[test]
    fn the_cap() {
        assert!(check_size("r.yml", 0).is_ok());
        assert!(check_size("r.yml", MAX_RULE_FILE_BYTES).is_ok());
        let e = check_size("big.yml", MAX_RULE_FILE_BYTES + 1).err().unwrap_or_default();
        assert!(e.starts_with("big.yml was not read"), "{e}");
        assert!(e.contains("1,048,577 bytes") && e.contains("1 MiB (1,048,576 bytes)"), "{e}");
    }

    #[test]
    fn remembered_in_order_replaced_by_name() {
        let mut s = StoredRules::default();
        s.put("a.yml", "title: a");
        s.put("b.yml", "title: b");
        s.put("a.yml", "title: a2");
        assert_eq!(
            s.0,
            [("a.yml".into(), "title: a2".into()), ("b.yml".into(), "title: b".into())]
        );
        let back = StoredRules::decode(&s.encode());
        assert_eq!(back, s);
        s.remove("a.yml");
        assert_eq!(s.0.len(), 1);
        for junk in ["", "{", "{\"a\":1}", "[[1,2]]", "null"] {
            assert_eq!(StoredRules::decode(junk), StoredRules::default(), "{junk}");
        }
    }
}
