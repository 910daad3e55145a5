//! Property test: random queries over a generated store, evaluated by the engine (with and without
//! the text index) and by a slow, obviously-correct reference written here (each record parsed
//! into a `serde_json::Value`, the query's own AST walked directly, no prefilters, no bitsets).
//! They must agree exactly. A hand-rolled PRNG keeps it deterministic and dependency-free.
//! The detection terms (`rule:`, `level:`, `tactic:`, `technique:`) are checked the same way over
//! the built-in rules' hits on the generated store, combined with every other term.

use std::net::IpAddr;

use serde_json::Value;
use trailglass_core::detect::RuleSet;
use trailglass_core::query::{self, RuleRows, TextIndex, LEVELS};
use trailglass_core::{Column, Store};
use trailglass_sample::{generate, SynthOptions};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }
}

/// The reference AST.
#[derive(Clone, Debug)]
enum R {
    Text(String),
    /// Column, alias to write, pattern chars (with wildcards when `wild`), wild.
    Col(Column, &'static str, String, bool),
    ColExists(Column, &'static str),
    Cidr(String),
    Path(String, String, bool),
    PathExists(String),
    /// lo, hi as [lo, hi) and its text.
    Time(i64, i64, String),
    Last(i64, String),
    And(Vec<R>),
    Or(Vec<R>),
    Not(Box<R>),
    /// A detection term: `rule`, `tactic` or `technique`, pattern, wild.
    Rule(&'static str, String, bool),
    /// `level` with an operator (`:`, `>`, `>=`, `<`, `<=`) and a level name as written.
    Level(&'static str, String),
}

const ALIASES: &[(Column, &[&str])] = &[
    (Column::User, &["user", "username"]),
    (Column::Service, &["service", "source", "eventSource"]),
    (Column::Action, &["action", "name", "eventName"]),
    (Column::Region, &["region", "awsRegion"]),
    (Column::SourceIp, &["ip", "sourceIPAddress"]),
    (Column::ErrorCode, &["error", "errorCode"]),
    (Column::AccessKey, &["key", "userIdentity.accessKeyId"]),
    (Column::Account, &["account"]),
    (Column::IdentityType, &["type", "userIdentity.type"]),
    (Column::Category, &["category"]),
    (Column::UserAgent, &["agent", "userAgent"]),
    (Column::ReadOnly, &["readonly"]),
    (Column::Arn, &["arn", "userIdentity.arn"]),
    (Column::EventType, &["eventtype"]),
];

const PATHS: &[&str] = &[
    "requestParameters.bucketName",
    "userIdentity.sessionContext.sessionIssuer.userName",
    "userIdentity.sessionContext.attributes.mfaAuthenticated",
    "requestParameters.roleArn",
    "resources.ARN",
    "resources.type",
    "tlsDetails.tlsVersion",
    "errorMessage",
    "eventID",
    "requestParameters.key",
    "responseElements.credentials.accessKeyId",
    "additionalEventData.bytesTransferredIn",
    "requestParameters.instancesSet.items.instanceId",
    "userIdentity.principalId",
    "requestParameters.userName",
    "eventVersion",
    "managementEvent",
    "vpcEndpointId",
    "insightDetails.state",
];

fn ref_glob(pat: &[char], v: &[char]) -> bool {
    // Plain recursive definition with memo-free backtracking on short strings.
    match pat.split_first() {
        None => v.is_empty(),
        Some(('*', rest)) => (0..=v.len()).any(|i| ref_glob(rest, v.get(i..).unwrap_or(&[]))),
        Some(('?', rest)) => !v.is_empty() && ref_glob(rest, v.get(1..).unwrap_or(&[])),
        Some((c, rest)) => {
            v.first().is_some_and(|x| x.eq_ignore_ascii_case(c))
                && ref_glob(rest, v.get(1..).unwrap_or(&[]))
        }
    }
}

fn glob_ok(pat: &str, wild: bool, v: &str) -> bool {
    let v: Vec<char> = v.chars().collect();
    if !wild {
        let p: Vec<char> = pat.chars().collect();
        return p.len() == v.len() && p.iter().zip(&v).all(|(a, b)| a.eq_ignore_ascii_case(b));
    }
    let p: Vec<char> = pat.chars().collect();
    ref_glob(&p, &v)
}

fn leaves(v: &Value, path: &[String], out: &mut Vec<Value>) {
    match (v, path.split_first()) {
        (Value::Array(a), _) => a.iter().for_each(|e| leaves(e, path, out)),
        (Value::Object(m), Some((seg, rest))) => {
            for (k, val) in m {
                if k.eq_ignore_ascii_case(seg) {
                    leaves(val, rest, out);
                }
            }
        }
        (Value::Null, _) | (_, Some(_)) => {}
        (x, None) => out.push(x.clone()),
    }
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => f.to_string(),
            _ => n.to_string(),
        }),
        _ => None,
    }
}

fn segs(p: &str) -> Vec<String> {
    p.split('.').map(|s| s.to_string()).collect()
}

fn ip_of(s: &str) -> Option<IpAddr> {
    let ip: IpAddr = s.trim().parse().ok()?;
    Some(match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        x => x,
    })
}

fn in_cidr(cidr: &str, v: &str) -> bool {
    let Some((a, p)) = cidr.split_once('/') else { return false };
    let (Some(net), Ok(p)) = (ip_of(a), p.parse::<u32>()) else { return false };
    let Some(ip) = ip_of(v) else { return false };
    let bits = |x: IpAddr| -> Vec<bool> {
        let bytes: Vec<u8> = match x {
            IpAddr::V4(a) => a.octets().to_vec(),
            IpAddr::V6(a) => a.octets().to_vec(),
        };
        bytes.iter().flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1)).collect()
    };
    let (nb, ib) = (bits(net), bits(ip));
    nb.len() == ib.len() && nb.iter().take(p as usize).eq(ib.iter().take(p as usize))
}

struct Data {
    store: Store,
    values: Vec<Value>,
    raws_lower: Vec<String>,
    max_time: Option<i64>,
    /// The rules and their hits, for the detection terms (empty unless asked for).
    rules: Vec<Rule>,
}

/// One rule as the query language sees it, owned.
struct Rule {
    id: String,
    name: Option<String>,
    title: String,
    level: usize,
    tactics: Vec<String>,
    techniques: Vec<String>,
    rows: Vec<u32>,
}

fn json_escape_lower(s: &str) -> String {
    let q = serde_json::to_string(s).unwrap_or_default();
    q.get(1..q.len() - 1).unwrap_or("").to_ascii_lowercase()
}

fn eval(d: &Data, r: &R, row: usize) -> bool {
    let s = &d.store;
    match r {
        R::Text(t) => d.raws_lower.get(row).is_some_and(|raw| raw.contains(&json_escape_lower(t))),
        R::Col(c, _, pat, wild) => {
            let v = s.get(row, *c);
            if *c == Column::SourceIp && !*wild {
                if let Some(ip) = ip_of(pat) {
                    return ip_of(v) == Some(ip) || v.eq_ignore_ascii_case(&ip.to_string());
                }
            }
            glob_ok(pat, *wild, v)
                || (*c == Column::Service
                    && v.strip_suffix(".amazonaws.com").is_some_and(|x| glob_ok(pat, *wild, x)))
        }
        R::ColExists(c, _) => !s.get(row, *c).is_empty(),
        R::Cidr(c) => in_cidr(c, s.get(row, Column::SourceIp)),
        R::Path(p, pat, wild) => {
            let mut out = Vec::new();
            leaves(d.values.get(row).unwrap_or(&Value::Null), &segs(p), &mut out);
            if pat.is_empty() && !wild {
                return !out.iter().any(|v| !matches!(v, Value::String(s) if s.is_empty()));
            }
            out.iter().filter_map(text_of).any(|v| glob_ok(pat, *wild, &v))
        }
        R::PathExists(p) => {
            let mut out = Vec::new();
            leaves(d.values.get(row).unwrap_or(&Value::Null), &segs(p), &mut out);
            out.iter().any(|v| !matches!(v, Value::String(s) if s.is_empty()))
        }
        R::Time(lo, hi, _) => s.time_ms(row).is_some_and(|t| *lo <= t && t < *hi),
        R::Last(ms, _) => match (s.time_ms(row), d.max_time) {
            (Some(t), Some(m)) => t >= m - ms,
            _ => false,
        },
        R::And(v) => v.iter().all(|x| eval(d, x, row)),
        R::Or(v) => v.iter().any(|x| eval(d, x, row)),
        R::Not(x) => !eval(d, x, row),
        R::Rule(field, pat, wild) => d.rules.iter().any(|r| {
            let hit = |v: &str| glob_ok(pat, *wild, v);
            r.rows.binary_search(&(row as u32)).is_ok()
                && match *field {
                    "rule" => hit(&r.id) || r.name.as_deref().is_some_and(hit) || hit(&r.title),
                    "tactic" => r.tactics.iter().any(|t| hit(t)),
                    _ => r.techniques.iter().any(|t| hit(t)),
                }
        }),
        R::Level(op, name) => {
            let Some(want) = LEVELS.iter().position(|l| l.eq_ignore_ascii_case(name)) else {
                return false;
            };
            d.rules.iter().any(|r| {
                let at = match *op {
                    ">" => r.level > want,
                    ">=" => r.level >= want,
                    "<" => r.level < want,
                    "<=" => r.level <= want,
                    _ => r.level == want,
                };
                at && r.rows.binary_search(&(row as u32)).is_ok()
            })
        }
    }
}

fn needs_quotes(v: &str) -> bool {
    v.is_empty()
        || v.chars().any(|c| c.is_whitespace() || "()\"\\[]{}*?:<>".contains(c))
        || v.starts_with('-')
}

fn quote(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

fn render(r: &R) -> String {
    let group = |x: &R| match x {
        R::And(_) | R::Or(_) => format!("({})", render(x)),
        _ => render(x),
    };
    match r {
        R::Text(t) => {
            let bare = !t.is_empty()
                && t.chars().all(|c| c.is_alphanumeric() || "-_./@".contains(c))
                && !t.starts_with('-')
                && !["AND", "OR", "NOT"].contains(&t.as_str());
            if bare {
                t.clone()
            } else {
                quote(t)
            }
        }
        R::Col(_, alias, pat, wild) => {
            format!("{alias}:{}", if *wild { pat.clone() } else { quote(pat) })
        }
        R::ColExists(_, alias) => format!("{alias}:*"),
        R::Cidr(c) => format!("ip:{c}"),
        R::Path(p, pat, wild) => format!("{p}:{}", if *wild { pat.clone() } else { quote(pat) }),
        R::PathExists(p) => format!("{p}:*"),
        R::Time(_, _, t) | R::Last(_, t) => t.clone(),
        R::And(v) => v.iter().map(group).collect::<Vec<_>>().join(if v.len() % 2 == 0 {
            " AND "
        } else {
            " "
        }),
        R::Or(v) => v.iter().map(group).collect::<Vec<_>>().join(" OR "),
        R::Not(x) => match **x {
            R::And(_) | R::Or(_) => format!("-({})", render(x)),
            _ => format!("NOT {}", render(x)),
        },
        R::Rule(field, pat, wild) => {
            format!("{field}:{}", if *wild { pat.clone() } else { quote(pat) })
        }
        R::Level(op, name) => format!("level{op}{name}"),
    }
}

/// A glob derived from a real value: exact, prefix*, *infix*, a ? in place of a char, case flipped.
fn mutate(rng: &mut Rng, v: &str) -> (String, bool) {
    let chars: Vec<char> = v.chars().collect();
    if needs_quotes(v) || chars.is_empty() {
        return (v.to_string(), false);
    }
    let flip = |s: String| {
        if s.len().is_multiple_of(2) {
            s.to_ascii_uppercase()
        } else {
            s.to_ascii_lowercase()
        }
    };
    let n = chars.len();
    let cut = |a: usize, b: usize| {
        chars.get(a..b).map(|x| x.iter().collect::<String>()).unwrap_or_default()
    };
    match rng.below(6) {
        0 => (v.to_string(), false),
        1 => (format!("{}*", cut(0, rng.below(n) + 1)), true),
        2 => {
            let a = rng.below(n);
            let b = a + rng.below(n - a) + 1;
            (format!("*{}*", cut(a, b)), true)
        }
        3 => {
            let i = rng.below(n);
            (format!("{}?{}", cut(0, i), cut(i + 1, n)), true)
        }
        4 => (flip(v.to_string()), true),
        _ => (format!("*{}", cut(rng.below(n), n)), true),
    }
}

fn fmt_time(ms: i64, prec: usize) -> String {
    let full = trailglass_core::time::format_ms(ms); // YYYY-MM-DDTHH:MM:SS.mmmZ
    match prec {
        0 => full.get(..10).unwrap_or("").to_string(),
        1 => full.get(..13).unwrap_or("").to_string(),
        2 => full.get(..16).unwrap_or("").to_string(),
        3 => format!("{}Z", full.get(..19).unwrap_or("")),
        _ => full,
    }
}

fn period(ms: i64, prec: usize) -> (i64, i64) {
    let step = [86_400_000, 3_600_000, 60_000, 1000, 1][prec.min(4)];
    let start = ms.div_euclid(step) * step;
    (start, start + step)
}

fn leaf(rng: &mut Rng, d: &Data) -> R {
    let s = &d.store;
    let row = rng.below(s.len());
    match rng.below(10) {
        0 | 1 => {
            let raw = s.raw(row);
            let chars: Vec<char> = raw.chars().collect();
            let len = 1 + rng.below(12);
            let a = rng.below(chars.len().saturating_sub(len).max(1));
            let mut t: String = chars.iter().skip(a).take(len).collect();
            if rng.chance(30) {
                t = t.to_ascii_uppercase();
            }
            if rng.chance(5) {
                t = "zzqx-no-such-text".into();
            }
            R::Text(t)
        }
        2..=4 => {
            let (c, aliases) = ALIASES[rng.below(ALIASES.len())];
            let alias = aliases[rng.below(aliases.len())];
            if rng.chance(10) {
                return R::ColExists(c, alias);
            }
            let v = s.get(row, c).to_string();
            if c == Column::Service && rng.chance(30) {
                if let Some(short) = v.strip_suffix(".amazonaws.com") {
                    return R::Col(c, alias, short.to_string(), false);
                }
            }
            let (pat, wild) = mutate(rng, &v);
            if c == Column::SourceIp && wild && ip_of(&pat).is_some() {
                return R::Col(c, alias, pat, false);
            }
            R::Col(c, alias, pat, wild)
        }
        5 => {
            let ip = s.get(row, Column::SourceIp);
            match ip_of(ip) {
                Some(IpAddr::V4(a)) => {
                    let p = [0u32, 8, 16, 24, 32][rng.below(5)];
                    let m = if p == 0 { 0 } else { u32::MAX << (32 - p) };
                    R::Cidr(format!("{}/{p}", std::net::Ipv4Addr::from(u32::from(a) & m)))
                }
                Some(IpAddr::V6(a)) => {
                    let p = [16u32, 32, 48, 64, 128][rng.below(5)];
                    let m = u128::MAX << (128 - p);
                    R::Cidr(format!("{}/{p}", std::net::Ipv6Addr::from(u128::from(a) & m)))
                }
                None => R::Cidr("10.0.0.0/8".into()),
            }
        }
        6 | 7 => {
            let p = PATHS[rng.below(PATHS.len())];
            if rng.chance(25) {
                return R::PathExists(p.to_string());
            }
            let mut out = Vec::new();
            leaves(d.values.get(row).unwrap_or(&Value::Null), &segs(p), &mut out);
            let v = out.iter().filter_map(text_of).next().unwrap_or_default();
            let (pat, wild) = mutate(rng, &v);
            R::Path(p.to_string(), pat, wild)
        }
        _ => {
            let Some(t) = s.time_ms(row) else { return R::Text("eventTime".into()) };
            if rng.chance(15) {
                let (n, unit, ms) = [
                    (1, "h", 3_600_000),
                    (30, "m", 1_800_000),
                    (2, "d", 172_800_000),
                    (90, "s", 90_000),
                ][rng.below(4)];
                return R::Last(ms, format!("last:{n}{unit}"));
            }
            let prec = rng.below(5);
            let (a, b) = period(t, prec);
            let txt = fmt_time(t, prec);
            match rng.below(6) {
                0 => R::Time(a, b, format!("time:{txt}")),
                1 => R::Time(b, i64::MAX, format!("time>{txt}")),
                2 => R::Time(a, i64::MAX, format!("time>={txt}")),
                3 => R::Time(i64::MIN, a, format!("time<{txt}")),
                4 => R::Time(i64::MIN, b, format!("time<={txt}")),
                _ => {
                    let t2 = s.time_ms(rng.below(s.len())).unwrap_or(t);
                    let prec2 = rng.below(5);
                    let (_, b2) = period(t2, prec2);
                    R::Time(a, b2, format!("time:[{txt} TO {}]", fmt_time(t2, prec2)))
                }
            }
        }
    }
}

fn tree(rng: &mut Rng, d: &Data, depth: usize) -> R {
    if depth == 0 || rng.chance(35) {
        return leaf(rng, d);
    }
    match rng.below(3) {
        0 => R::And((0..2 + rng.below(2)).map(|_| tree(rng, d, depth - 1)).collect()),
        1 => R::Or((0..2 + rng.below(2)).map(|_| tree(rng, d, depth - 1)).collect()),
        _ => R::Not(Box::new(tree(rng, d, depth - 1))),
    }
}

fn data(events: usize, seed: u64) -> Data {
    let mut store = Store::new();
    for f in generate(&SynthOptions { events, events_per_file: 500, seed, ..Default::default() }) {
        store.ingest(&f.path, &f.bytes);
    }
    let values = (0..store.len())
        .map(|r| serde_json::from_str(&store.raw(r)).unwrap_or(Value::Null))
        .collect();
    let raws_lower = (0..store.len()).map(|r| store.raw(r).to_ascii_lowercase()).collect();
    let max_time = (0..store.len()).filter_map(|r| store.time_ms(r)).max();
    Data { store, values, raws_lower, max_time, rules: Vec::new() }
}

fn check(d: &Data, ix: &TextIndex, rng: &mut Rng, cases: usize) -> usize {
    let mut nonempty = 0;
    for case in 0..cases {
        let r = tree(rng, d, 3);
        let text = render(&r);
        let q = match query::parse(&text) {
            Ok(q) => q,
            Err(e) => panic!("case {case}: generated query did not parse: {text}\n{e}"),
        };
        let got = q.run(&d.store);
        let want: Vec<u32> =
            (0..d.store.len()).filter(|&row| eval(d, &r, row)).map(|r| r as u32).collect();
        if got != want {
            let extra: Vec<_> = got.iter().filter(|x| !want.contains(x)).take(3).collect();
            let missing: Vec<_> = want.iter().filter(|x| !got.contains(x)).take(3).collect();
            panic!("case {case}: {text}\n{r:?}\nengine {} rows, reference {} rows; extra {extra:?} missing {missing:?}", got.len(), want.len());
        }
        assert_eq!(q.run_indexed(&d.store, ix), got, "indexed run differs: {text}");
        if !got.is_empty() && got.len() < d.store.len() {
            nonempty += 1;
        }
    }
    nonempty
}

/// Cases per test; `QUERY_PROPS_SCALE=10` runs ten times as many (use a release build).
fn cases(n: usize) -> usize {
    n * std::env::var("QUERY_PROPS_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1)
}

#[test]
fn engine_agrees_with_reference() {
    let d = data(1500, 7);
    let ix = TextIndex::build(&d.store);
    let mut rng = Rng(42);
    let n = cases(300);
    let informative = check(&d, &ix, &mut rng, n);
    // The generator must produce queries that select something and not everything.
    assert!(informative > n / 4, "only {informative} informative queries of {n}");
}

#[test]
fn engine_agrees_with_reference_partial_index() {
    // An index built before more rows arrived: the new rows are scanned.
    let d = data(1000, 99);
    let mut small = Store::new();
    for f in generate(&SynthOptions {
        events: 1000,
        events_per_file: 500,
        seed: 99,
        ..Default::default()
    })
    .iter()
    .take(1)
    {
        small.ingest(&f.path, &f.bytes);
    }
    let ix = TextIndex::build(&small);
    assert!(ix.rows() < d.store.len());
    let mut rng = Rng(4242);
    check(&d, &ix, &mut rng, cases(100));
}

/// A detection term naming one of the rules (or, sometimes, none).
fn rule_leaf(rng: &mut Rng, d: &Data) -> R {
    let r = &d.rules[rng.below(d.rules.len())];
    let pick = |rng: &mut Rng, v: &[String]| v.get(rng.below(v.len().max(1))).cloned();
    match rng.below(4) {
        0 => {
            let v = match rng.below(4) {
                0 => r.title.clone(),
                1 => r.name.clone().unwrap_or_else(|| r.id.clone()),
                2 if rng.chance(20) => "no-such-rule".to_string(),
                _ => r.id.clone(),
            };
            let (pat, wild) = mutate(rng, &v);
            R::Rule("rule", pat, wild)
        }
        1 => {
            let op = [":", ">", ">=", "<", "<="][rng.below(5)];
            let name = LEVELS[rng.below(LEVELS.len())];
            R::Level(op, if rng.chance(20) { name.to_ascii_uppercase() } else { name.to_string() })
        }
        2 => {
            let v = pick(rng, &r.tactics).unwrap_or_else(|| "persistence".into());
            let (pat, wild) = mutate(rng, &v);
            R::Rule("tactic", pat, wild)
        }
        _ => {
            let v = pick(rng, &r.techniques).unwrap_or_else(|| "T1078".into());
            let (pat, wild) = if rng.chance(30) {
                (format!("{}*", v.split('.').next().unwrap_or("")), true)
            } else {
                mutate(rng, &v)
            };
            R::Rule("technique", pat, wild)
        }
    }
}

fn rule_tree(rng: &mut Rng, d: &Data, depth: usize) -> R {
    if depth == 0 || rng.chance(35) {
        return if rng.chance(50) { rule_leaf(rng, d) } else { leaf(rng, d) };
    }
    match rng.below(3) {
        0 => R::And((0..2 + rng.below(2)).map(|_| rule_tree(rng, d, depth - 1)).collect()),
        1 => R::Or((0..2 + rng.below(2)).map(|_| rule_tree(rng, d, depth - 1)).collect()),
        _ => R::Not(Box::new(rule_tree(rng, d, depth - 1))),
    }
}

#[test]
fn detection_terms_agree_with_reference() {
    let mut d = data(1500, 11);
    let set = RuleSet::builtin();
    let hits = set.run(&d.store);
    d.rules = set
        .rules()
        .iter()
        .enumerate()
        .map(|(i, m)| Rule {
            id: m.id.clone(),
            name: m.name.clone(),
            title: m.title.clone(),
            level: LEVELS
                .iter()
                .position(|l| *l == m.level.as_str())
                .unwrap_or_else(|| panic!("{}", m.level)),
            tactics: m.tactics.clone(),
            techniques: m.techniques.clone(),
            rows: hits.rows(i).to_vec(),
        })
        .collect();
    assert!(d.rules.iter().filter(|r| !r.rows.is_empty()).count() >= 5, "the sample trips rules");
    let context: Vec<RuleRows<'_>> = d
        .rules
        .iter()
        .map(|r| RuleRows {
            id: &r.id,
            name: r.name.as_deref(),
            title: &r.title,
            level: r.level,
            tactics: &r.tactics,
            techniques: &r.techniques,
            rows: &r.rows,
        })
        .collect();
    let ix = TextIndex::build(&d.store);
    let mut rng = Rng(1212);
    let n = cases(300);
    let mut informative = 0;
    for case in 0..n {
        let r = rule_tree(&mut rng, &d, 3);
        let text = render(&r);
        let q = match query::parse(&text) {
            Ok(q) => q,
            Err(e) => panic!("case {case}: generated query did not parse: {text}\n{e}"),
        };
        let got = q.run_with(&d.store, None, &context);
        let want: Vec<u32> =
            (0..d.store.len()).filter(|&row| eval(&d, &r, row)).map(|r| r as u32).collect();
        assert_eq!(got, want, "case {case}: {text}\n{r:?}");
        assert_eq!(q.run_with(&d.store, Some(&ix), &context), got, "indexed run differs: {text}");
        informative += usize::from(!got.is_empty() && got.len() < d.store.len());
    }
    assert!(informative > n / 4, "only {informative} informative queries of {n}");
}
