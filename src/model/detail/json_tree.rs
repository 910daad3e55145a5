//! The JSON tree model: [`tree_rows`] walks a record and returns only the visible rows (given
//! the set of paths the user toggled), so the tree component renders a flat keyed list and holds
//! no logic. Paths are JSON pointers (`/userIdentity/arn`, `/resources/0/ARN`); a repeated key
//! gets `~2n` appended (never produced by pointer escaping), so every row's path is unique.
//! Strings that hold JSON (a policy document) can be expanded as a tree of their own.

use std::collections::HashSet;

use crate::model::detail::json::{parse_json, Json};

/// The type of a tree node, which is also its CSS class suffix (`jt-string`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl Kind {
    pub fn class(self) -> &'static str {
        match self {
            Kind::Object => "jt-object",
            Kind::Array => "jt-array",
            Kind::String => "jt-string",
            Kind::Number => "jt-number",
            Kind::Bool => "jt-bool",
            Kind::Null => "jt-null",
        }
    }
}

/// One visible row of the JSON tree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TreeRow {
    /// Object key, or the index for array elements.
    pub key: String,
    pub is_index: bool,
    /// Unique JSON-pointer-like path; the collapse/expand state is keyed by it.
    pub path: String,
    pub depth: usize,
    pub kind: Kind,
    /// Scalars: the value (strings without quotes). Containers: `{5}` / `[3]`.
    pub text: String,
    pub children: usize,
    /// Containers: shown open. Strings holding JSON: shown expanded as a tree below.
    pub open: bool,
    /// A string whose content is a JSON object or array (can be expanded).
    pub nested_json: bool,
}

/// Containers with more children than this start collapsed.
pub const COLLAPSE_OVER: usize = 25;
/// At most this many rows are produced; collapse something to see the rest.
pub const MAX_ROWS: usize = 3000;

/// The visible rows, and whether [`MAX_ROWS`] cut the list short.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeView {
    pub rows: Vec<TreeRow>,
    pub truncated: bool,
}

fn escape_segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A string that holds a JSON object or array, parsed.
fn nested(s: &str) -> Option<Json> {
    let t = s.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    parse_json(s).ok().filter(|j| matches!(j, Json::Obj(_) | Json::Arr(_)))
}

/// Child entries of a container with their path segments (repeated keys get `~2n`).
fn entries(v: &Json) -> Vec<(String, bool, String, &Json)> {
    match v {
        Json::Obj(m) => {
            let mut seen: HashSet<&str> = HashSet::new();
            m.iter()
                .enumerate()
                .map(|(i, (k, x))| {
                    let seg = if seen.insert(k) {
                        escape_segment(k)
                    } else {
                        format!("{}~2{i}", escape_segment(k))
                    };
                    (k.clone(), false, seg, x)
                })
                .collect()
        }
        Json::Arr(a) => {
            a.iter().enumerate().map(|(i, x)| (i.to_string(), true, i.to_string(), x)).collect()
        }
        _ => Vec::new(),
    }
}

/// The visible rows of `root`'s tree. `toggled` holds the paths the user clicked: a container
/// in it flips its default (open unless it has more than [`COLLAPSE_OVER`] children); a string
/// holding JSON in it is shown expanded.
pub fn tree_rows(root: &Json, toggled: &HashSet<String>) -> TreeView {
    let mut view = TreeView::default();
    walk(root, "", 0, toggled, &mut view);
    view
}

fn walk(v: &Json, path: &str, depth: usize, toggled: &HashSet<String>, view: &mut TreeView) {
    for (key, is_index, seg, x) in entries(v) {
        if view.rows.len() >= MAX_ROWS {
            view.truncated = true;
            return;
        }
        let path = format!("{path}/{seg}");
        let flipped = toggled.contains(&path);
        let (kind, text, children, open, nested_json, inner) = match x {
            Json::Obj(m) => (
                Kind::Object,
                format!("{{{}}}", m.len()),
                m.len(),
                (m.len() <= COLLAPSE_OVER) != flipped,
                false,
                None,
            ),
            Json::Arr(a) => (
                Kind::Array,
                format!("[{}]", a.len()),
                a.len(),
                (a.len() <= COLLAPSE_OVER) != flipped,
                false,
                None,
            ),
            Json::Str(s) => {
                let inner = if flipped { nested(s) } else { None };
                let is_nested = flipped || nested(s).is_some();
                let n = inner.as_ref().map_or(0, |j| entries(j).len());
                (Kind::String, s.clone(), n, inner.is_some(), is_nested, inner)
            }
            Json::Num(n) => (Kind::Number, n.to_string(), 0, false, false, None),
            Json::Bool(b) => (Kind::Bool, b.to_string(), 0, false, false, None),
            Json::Null => (Kind::Null, "null".into(), 0, false, false, None),
        };
        view.rows.push(TreeRow {
            key,
            is_index,
            path: path.clone(),
            depth,
            kind,
            text,
            children,
            open,
            nested_json,
        });
        if open {
            walk(inner.as_ref().unwrap_or(x), &path, depth + 1, toggled, view);
        }
    }
}

/// The node at a tree path (strings holding JSON are entered), e.g. for "copy value".
pub fn node_at(root: &Json, path: &str) -> Option<Json> {
    let mut cur = root.clone();
    for seg in path.split('/').skip(1) {
        if let Json::Str(s) = &cur {
            cur = nested(s)?;
        }
        let next = entries(&cur)
            .into_iter()
            .find(|(_, _, sg, _)| sg == seg)
            .map(|(_, _, _, x)| x.clone())?;
        cur = next;
    }
    Some(cur)
}

/// What "copy value" puts on the clipboard: a string's text, a scalar's JSON, a container's
/// indented JSON.
pub fn copy_text(root: &Json, path: &str) -> Option<String> {
    Some(match node_at(root, path)? {
        Json::Str(s) => s,
        other => other.pretty(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::detail::fixtures::{ev, BUCKET_POLICY};

    #[test]
    fn tree_keeps_order_and_collapses() {
        let root = ev(BUCKET_POLICY);
        let view = tree_rows(&root, &HashSet::new());
        let keys: Vec<&str> =
            view.rows.iter().filter(|r| r.depth == 0).map(|r| r.key.as_str()).collect();
        assert_eq!(keys.first(), Some(&"eventVersion"));
        assert_eq!(keys.get(1), Some(&"userIdentity"));
        let ui = view.rows.iter().find(|r| r.path == "/userIdentity").expect("row");
        assert_eq!(
            (ui.kind, ui.children, ui.open, ui.text.as_str()),
            (Kind::Object, 6, true, "{6}")
        );
        let arn = view.rows.iter().find(|r| r.path == "/userIdentity/arn").expect("row");
        assert_eq!(
            (arn.depth, arn.kind, arn.text.as_str()),
            (1, Kind::String, "arn:aws:iam::123456789012:user/alice")
        );
        // Collapsing hides the children.
        let toggled: HashSet<String> = ["/userIdentity".to_string()].into();
        let collapsed = tree_rows(&root, &toggled);
        assert_eq!(collapsed.rows.len(), view.rows.len() - 6);
        assert!(!collapsed.rows.iter().any(|r| r.path.starts_with("/userIdentity/")));
        // The policy string holds JSON: marked, and expandable.
        let policy = view.rows.iter().find(|r| r.path == "/requestParameters/policy").expect("row");
        assert!(policy.nested_json && !policy.open);
        let expanded = tree_rows(&root, &["/requestParameters/policy".to_string()].into());
        let inner = expanded
            .rows
            .iter()
            .find(|r| r.path == "/requestParameters/policy/Version")
            .expect("inner row");
        assert_eq!((inner.depth, inner.text.as_str()), (2, "2012-10-17"));
        assert_eq!(
            copy_text(&root, "/requestParameters/policy/Version").as_deref(),
            Some("2012-10-17")
        );
    }

    #[test]
    fn tree_kinds_paths_and_copy() {
        let root = ev(
            r#"{"a":1.5,"b":true,"c":null,"d":[{"x":"y"}],"a/b~":"s","d":"dup","big":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]}"#,
        );
        let view = tree_rows(&root, &HashSet::new());
        let kinds: Vec<Kind> = view.rows.iter().filter(|r| r.depth == 0).map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Number,
                Kind::Bool,
                Kind::Null,
                Kind::Array,
                Kind::String,
                Kind::String,
                Kind::Array
            ]
        );
        let paths: HashSet<&str> = view.rows.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths.len(), view.rows.len(), "paths are unique");
        assert!(paths.contains("/a~1b~0") && paths.contains("/d~25") && paths.contains("/d/0/x"));
        let big = view.rows.iter().find(|r| r.path == "/big").expect("row");
        assert!(!big.open, "large arrays start collapsed");
        assert_eq!(copy_text(&root, "/d/0/x").as_deref(), Some("y"));
        assert_eq!(copy_text(&root, "/d~25").as_deref(), Some("dup"));
        assert_eq!(copy_text(&root, "/a").as_deref(), Some("1.5"));
        assert_eq!(copy_text(&root, "/d").as_deref(), Some("[\n  {\n    \"x\": \"y\"\n  }\n]"));
        assert_eq!(copy_text(&root, "/nope"), None);
        // Pretty printing keeps document order.
        assert!(root.pretty().starts_with("{\n  \"a\": 1.5,\n  \"b\": true"));
    }

    #[test]
    fn tree_is_capped() {
        let many: Vec<String> = (0..MAX_ROWS + 10).map(|i| format!("\"k{i}\":{i}")).collect();
        let root = ev(&format!("{{{}}}", many.join(",")));
        let view = tree_rows(&root, &HashSet::new());
        assert_eq!(view.rows.len(), MAX_ROWS);
        assert!(view.truncated);
    }
}
