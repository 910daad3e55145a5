//! YAML documents as a small tree whose every node knows its line and column.
//!
//! The crate is `saphyr-parser`, the event parser of the maintained `saphyr` project (YAML 1.2,
//! spans on every event). `serde_yaml` is archived and unmaintained, and a serde mapping loses the
//! positions a rule error must show. Its event stream is used rather than `saphyr`'s own tree so
//! that hostile input is bounded here: aliases are refused (Sigma rules have no use for them, and
//! expanding them is the "billion laughs" blow-up), nesting stops at [`MAX_DEPTH`], a document at
//! [`MAX_NODES`] nodes and a text at [`MAX_BYTES`], and the tree is never deeper than what a
//! recursive walk can take.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::error::RuleError;

/// The deepest nesting of maps and lists accepted.
pub const MAX_DEPTH: usize = 32;
/// The most nodes (scalars, maps, lists) one document may have.
pub const MAX_NODES: usize = 100_000;
/// The longest rule file accepted, in bytes.
pub const MAX_BYTES: usize = 4 << 20;

/// One YAML node and where it starts (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub line: usize,
    pub column: usize,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A scalar's text; `plain` when it was written without quotes or block markers (only plain
    /// scalars can be null, booleans or numbers).
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    pub fn error(&self, construct: impl Into<String>, message: impl Into<String>) -> RuleError {
        RuleError::new(self.line, self.column, construct, message)
    }

    /// The scalar's text, whatever it denotes.
    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A plain `null`, `~` or nothing at all.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, plain: true }
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A plain boolean (YAML 1.2 core schema).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Scalar { text, plain: true } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// A plain number.
    pub fn as_number(&self) -> Option<f64> {
        match &self.kind {
            Kind::Scalar { text, plain: true } => {
                text.parse::<f64>().ok().filter(|n| n.is_finite())
            }
            _ => None,
        }
    }

    /// A map's entries.
    pub fn entries(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value under the scalar key `key`, when this is a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?.iter().find(|(k, _)| k.scalar() == Some(key)).map(|(_, v)| v)
    }

    /// What kind of node this is, for messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            Kind::Scalar { .. } if self.is_null() => "null",
            Kind::Scalar { .. } => "a scalar",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a map",
        }
    }
}

fn at(span: &Span, construct: &str, message: impl Into<String>) -> RuleError {
    RuleError::new(span.start.line(), span.start.col() + 1, construct, message)
}

/// A node being built: its position and what it has collected so far.
enum Open {
    Seq(usize, usize, Vec<Node>),
    Map(usize, usize, Vec<(Node, Node)>, Option<Node>),
}

/// Where the current document is: building, or skipping to its end after an error.
struct Doc {
    stack: Vec<Open>,
    root: Option<Node>,
    nodes: usize,
    failed: Option<RuleError>,
    depth: usize,
}

impl Doc {
    fn new() -> Doc {
        Doc { stack: Vec::new(), root: None, nodes: 0, failed: None, depth: 0 }
    }

    fn fail(&mut self, e: RuleError) {
        if self.failed.is_none() {
            self.failed = Some(e);
        }
        self.stack.clear();
    }

    /// Adds a finished node to its parent (or makes it the root).
    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            Some(Open::Seq(_, _, items)) => items.push(node),
            Some(Open::Map(_, _, entries, key)) => match key.take() {
                Some(k) => {
                    if entries.iter().any(|(e, _)| e.kind == k.kind) {
                        let e = k.error("duplicate key", "this key appears twice in its map");
                        self.fail(e);
                    } else {
                        entries.push((k, node));
                    }
                }
                None => *key = Some(node),
            },
            None => self.root = Some(node),
        }
    }

    fn event(&mut self, event: Event<'_>, span: &Span) {
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                self.depth += 1;
                self.nodes += 1;
                if self.failed.is_some() {
                    return;
                }
                if self.depth > MAX_DEPTH {
                    let m = format!("maps and lists nest deeper than {MAX_DEPTH} levels");
                    return self.fail(at(span, "nesting depth", m));
                }
                if self.nodes > MAX_NODES {
                    let m = format!("the document has more than {MAX_NODES} nodes");
                    return self.fail(at(span, "document size", m));
                }
                let (line, col) = (span.start.line(), span.start.col() + 1);
                self.stack.push(match event {
                    Event::SequenceStart(..) => Open::Seq(line, col, Vec::new()),
                    _ => Open::Map(line, col, Vec::new(), None),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.depth = self.depth.saturating_sub(1);
                if self.failed.is_some() {
                    return;
                }
                let node = match self.stack.pop() {
                    Some(Open::Seq(line, column, items)) => {
                        Node { line, column, kind: Kind::Seq(items) }
                    }
                    Some(Open::Map(line, column, entries, _)) => {
                        Node { line, column, kind: Kind::Map(entries) }
                    }
                    None => return,
                };
                self.push(node);
            }
            Event::Scalar(text, style, ..) => {
                self.nodes += 1;
                if self.failed.is_some() {
                    return;
                }
                if self.nodes > MAX_NODES {
                    let m = format!("the document has more than {MAX_NODES} nodes");
                    return self.fail(at(span, "document size", m));
                }
                let plain = style == ScalarStyle::Plain;
                let (line, column) = (span.start.line(), span.start.col() + 1);
                self.push(Node {
                    line,
                    column,
                    kind: Kind::Scalar { text: text.into_owned(), plain },
                });
            }
            Event::Alias(_) => {
                let m = "YAML aliases (`*name`) are not accepted in rules";
                self.fail(at(span, "YAML alias", m));
            }
            _ => {}
        }
    }

    fn finish(self, span: &Span) -> Result<Node, RuleError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        self.root.ok_or_else(|| at(span, "empty document", "the YAML document is empty"))
    }
}

/// Parses every document of `text` (separated by `---`). A syntax error ends the stream: the
/// documents before it are returned, then the error.
pub(crate) fn documents(text: &str) -> Vec<Result<Node, RuleError>> {
    if text.len() > MAX_BYTES {
        let m = format!("the file is {} bytes, more than the {MAX_BYTES} accepted", text.len());
        return vec![Err(RuleError::new(1, 1, "file size", m))];
    }
    let mut out = Vec::new();
    let mut doc: Option<Doc> = None;
    for item in Parser::new_from_str(text) {
        let (event, span) = match item {
            Ok(pair) => pair,
            Err(e) => {
                let m = e.marker();
                // The parser's own guard against deep flow nesting is our depth limit too.
                let construct = if e.info().contains("recursion limit") {
                    "nesting depth"
                } else {
                    "YAML syntax"
                };
                let msg = format!("malformed YAML: {}", e.info());
                out.push(Err(RuleError::new(m.line(), m.col() + 1, construct, msg)));
                return out;
            }
        };
        match event {
            Event::DocumentStart(_) => doc = Some(Doc::new()),
            Event::DocumentEnd => {
                if let Some(d) = doc.take() {
                    out.push(d.finish(&span));
                }
            }
            Event::StreamEnd => break,
            other => {
                if let Some(d) = doc.as_mut() {
                    d.event(other, &span);
                }
            }
        }
    }
    out
}
