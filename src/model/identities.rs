//! The Identities view's logic: the order of its lines, the layout of an origin's chain graph
//! (origin → role → role, laid out in columns by hop), the clause that shows an origin's events,
//! and the words of "Behind this call". Plain functions, tested natively.

use trailglass_core::answer::{ChainNode, IdentityLine};
use trailglass_core::identity::{Behind, OriginKind};

use crate::model::clauses::field_clause;

/// How the Identities view is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IdentitySort {
    /// Most events first.
    #[default]
    Activity,
    /// Most errors first.
    Errors,
    /// Most recently seen first.
    Recency,
}

impl IdentitySort {
    pub const ALL: [IdentitySort; 3] =
        [IdentitySort::Activity, IdentitySort::Errors, IdentitySort::Recency];

    pub fn label(self) -> &'static str {
        match self {
            IdentitySort::Activity => "Activity",
            IdentitySort::Errors => "Errors",
            IdentitySort::Recency => "Recency",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            IdentitySort::Activity => "activity",
            IdentitySort::Errors => "errors",
            IdentitySort::Recency => "recency",
        }
    }
}

/// The lines in the chosen order (ties by events, then name), the unknown origin last unless
/// sorting puts it earlier by its own numbers.
pub fn sorted_lines(lines: &[IdentityLine], by: IdentitySort) -> Vec<IdentityLine> {
    let mut v = lines.to_vec();
    let name =
        |l: &IdentityLine| l.origin.as_ref().map_or(String::new(), |o| o.name.to_lowercase());
    v.sort_by(|a, b| {
        let primary = match by {
            IdentitySort::Activity => b.events.cmp(&a.events),
            IdentitySort::Errors => b.errors.cmp(&a.errors),
            IdentitySort::Recency => b.last_ms.cmp(&a.last_ms),
        };
        primary.then(b.events.cmp(&a.events)).then_with(|| name(a).cmp(&name(b)))
    });
    v
}

/// The clause that selects an origin's events (`origin:"…"`; `-origin:*` for the calls whose
/// credentials were issued outside the loaded logs).
pub fn origin_clause(line: &IdentityLine) -> String {
    field_clause("origin", line.origin.as_ref().map_or("", |o| o.text.as_str()), false)
}

/// A word for an origin's kind (the unknown one included).
pub fn kind_label(kind: Option<OriginKind>) -> &'static str {
    kind.map_or("unknown", OriginKind::label)
}

/// One node placed in the graph's box.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedNode {
    pub x: f64,
    pub y: f64,
    pub label: String,
    pub account: Option<String>,
    pub origin: bool,
}

/// The graph laid out: nodes, edges as (x1, y1, x2, y2, sessions), and the box size.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct GraphLayout {
    pub nodes: Vec<PlacedNode>,
    pub edges: Vec<(f64, f64, f64, f64, u64)>,
    pub width: f64,
    pub height: f64,
}

pub const NODE_W: f64 = 150.0;
pub const NODE_H: f64 = 34.0;
const COL_GAP: f64 = 36.0;
const ROW_GAP: f64 = 10.0;

/// Columns by hop count from the origin (a node's column is its shortest distance from node
/// 0; nodes not reached from it go after the deepest), rows in order of first appearance.
pub fn layout(nodes: &[ChainNode], edges: &[(u32, u32, u64)]) -> GraphLayout {
    let n = nodes.len();
    if n == 0 {
        return GraphLayout::default();
    }
    let mut depth = vec![usize::MAX; n];
    depth[0] = 0;
    // Relax along edges; the graph is small (a dozen nodes), so n rounds are plenty.
    for _ in 0..n {
        for &(a, b, _) in edges {
            let (a, b) = (a as usize, b as usize);
            if a < n && b < n && depth[a] != usize::MAX && depth[a] + 1 < depth[b] {
                depth[b] = depth[a] + 1;
            }
        }
    }
    let deepest = depth.iter().filter(|&&d| d != usize::MAX).max().copied().unwrap_or(0);
    for d in depth.iter_mut().filter(|d| **d == usize::MAX) {
        *d = deepest + 1;
    }
    let columns = depth.iter().max().copied().unwrap_or(0) + 1;
    let mut rows_in = vec![0usize; columns];
    let mut placed = Vec::with_capacity(n);
    for (i, node) in nodes.iter().enumerate() {
        let col = depth[i];
        let row = rows_in[col];
        rows_in[col] += 1;
        placed.push(PlacedNode {
            x: col as f64 * (NODE_W + COL_GAP),
            y: row as f64 * (NODE_H + ROW_GAP),
            label: node.name.clone(),
            account: node.account.clone(),
            origin: i == 0,
        });
    }
    let tallest = rows_in.iter().max().copied().unwrap_or(1);
    let edges = edges
        .iter()
        .filter_map(|&(a, b, c)| {
            let (p, q) = (placed.get(a as usize)?, placed.get(b as usize)?);
            Some((p.x + NODE_W, p.y + NODE_H / 2.0, q.x, q.y + NODE_H / 2.0, c))
        })
        .collect();
    GraphLayout {
        nodes: placed,
        edges,
        width: columns as f64 * (NODE_W + COL_GAP) - COL_GAP,
        height: tallest as f64 * (NODE_H + ROW_GAP) - ROW_GAP,
    }
}

/// A label cut to `max` characters with an ellipsis (for the graph's fixed-width boxes).
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The headline of "Behind this call": who the origin is, or why it is not known.
pub fn behind_headline(b: &Behind) -> String {
    match (&b.origin, &b.note) {
        (Some(o), _) => format!("{} {}", o.kind.label(), o.name),
        (None, Some(n)) => n.clone(),
        (None, None) => "no identity in this record".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trailglass_core::identity::Origin;

    fn line(name: &str, events: u64, errors: u64, last: i64) -> IdentityLine {
        IdentityLine {
            origin: Some(Origin {
                kind: OriginKind::IamUser,
                text: format!("arn:aws:iam::1:user/{name}"),
                name: name.into(),
            }),
            events,
            errors,
            first_ms: Some(0),
            last_ms: Some(last),
            sessions: 1,
            nodes: vec![],
            edges: vec![],
            accounts: vec![],
            ips: vec![],
            agents: vec![],
            regions: vec![],
            services: 1,
            firsts: vec![],
        }
    }

    #[test]
    fn sorts_by_activity_errors_and_recency() {
        let lines = vec![line("a", 10, 0, 5), line("b", 3, 7, 9), line("c", 10, 1, 1)];
        let names = |v: Vec<IdentityLine>| -> Vec<String> {
            v.into_iter().map(|l| l.origin.map(|o| o.name).unwrap_or_default()).collect()
        };
        assert_eq!(names(sorted_lines(&lines, IdentitySort::Activity)), ["a", "c", "b"]);
        assert_eq!(names(sorted_lines(&lines, IdentitySort::Errors)), ["b", "c", "a"]);
        assert_eq!(names(sorted_lines(&lines, IdentitySort::Recency)), ["b", "a", "c"]);
    }

    #[test]
    fn an_origins_clause_selects_it_and_the_unknown_one_is_the_missing_value() {
        let l = line("alice", 1, 0, 0);
        assert_eq!(origin_clause(&l), "origin:arn:aws:iam::1:user/alice");
        let mut u = l;
        u.origin = None;
        assert_eq!(origin_clause(&u), "-origin:*");
    }

    #[test]
    fn the_graph_is_laid_out_in_columns_by_hop() {
        let node = |n: &str| ChainNode { name: n.into(), account: Some("1".into()) };
        let nodes = vec![node("alice"), node("Admin"), node("Deploy"), node("ReadOnly")];
        // alice → Admin → Deploy, alice → ReadOnly
        let edges = vec![(0, 1, 2), (1, 2, 1), (0, 3, 1)];
        let g = layout(&nodes, &edges);
        let cols: Vec<f64> = g.nodes.iter().map(|n| n.x).collect();
        let step = NODE_W + COL_GAP;
        assert_eq!(cols, vec![0.0, step, 2.0 * step, step]);
        assert_eq!(g.nodes[3].y, NODE_H + ROW_GAP, "second node of its column");
        assert_eq!(g.width, 3.0 * step - COL_GAP);
        assert_eq!(g.height, 2.0 * (NODE_H + ROW_GAP) - ROW_GAP);
        assert_eq!(g.edges[0], (NODE_W, NODE_H / 2.0, step, NODE_H / 2.0, 2));
        assert!(g.nodes[0].origin && !g.nodes[1].origin);
        // A node no edge reaches goes after the deepest column; a bad edge is ignored.
        let g = layout(&[node("o"), node("x")], &[(0, 9, 1)]);
        assert_eq!(g.nodes[1].x, step);
        assert!(g.edges.is_empty());
        assert_eq!(layout(&[], &[]), GraphLayout::default());
    }

    #[test]
    fn labels_are_clipped_and_the_headline_says_who_or_why_not() {
        assert_eq!(clip("OrganizationAccountAccessRole", 12), "Organizatio…");
        assert_eq!(clip("Admin", 12), "Admin");
        let mut b = Behind::default();
        assert_eq!(behind_headline(&b), "no identity in this record");
        b.note = Some("credentials issued outside the loaded logs".into());
        assert_eq!(behind_headline(&b), "credentials issued outside the loaded logs");
        b.origin =
            Some(Origin { kind: OriginKind::SsoUser, text: "sso:a".into(), name: "a".into() });
        assert_eq!(behind_headline(&b), "SSO user a");
    }
}
