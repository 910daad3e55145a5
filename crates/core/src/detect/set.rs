//! The loaded rules: the built-in ones plus the user's files, with what the page and the CLI show
//! about each ([`RuleMeta`]) and every rule that could not be used ([`RuleProblem`]), and
//! [`RuleSet::run`], which runs them all over a [`Store`] into [`Hits`].
//!
//! One rule per YAML document; a file's bad document is a problem and never stops the others. A
//! correlation rule that refers to a rule missing from the whole set is a problem too (found again
//! whenever a file is added or removed, since a user file may refer to another).
//!
//! Reporting (Sigma's `generate`): a rule referred to by a correlation whose `generate` is false
//! (the default) is in [`RuleSet::rules`] with `reported: false`: its rows are in the [`Hits`]
//! (the correlation is built from them) but it is not a detection on its own. Every other rule,
//! correlation rules included, has `reported: true`.

use serde::{Deserialize, Serialize};

use super::builtin::{FILES, SIGMAHQ_COMMIT};
use super::error::RuleError;
use super::hits::Hits;
use super::index::DetectCache;
use super::meta::Level;
use super::rule::{check_references, parse_rules_named, Rule, RuleBody};
use super::shared::CorrPart;
use crate::role::Role;
use crate::store::Store;

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleOrigin {
    /// Vendored from SigmaHQ (DRL 1.1: the author is shown with every detection).
    Sigmahq,
    /// Trailglass's own: the findings and the correlation rewrites.
    Trailglass,
    /// Added by the user.
    User,
}

/// What is shown about a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleMeta {
    /// The rule's `id`, else its `name`, else `<file>#<document number>`.
    pub id: String,
    pub name: Option<String>,
    pub title: String,
    /// `informational` when the rule has no `level`.
    pub level: Level,
    /// "" when the rule names none.
    pub author: String,
    pub origin: RuleOrigin,
    /// Where the rule is published (SigmaHQ rules: the file at the vendored commit).
    pub link: Option<String>,
    /// ATT&CK technique ids (`T1562.008`).
    pub techniques: Vec<String>,
    /// ATT&CK tactics (`defense-evasion`).
    pub tactics: Vec<String>,
    /// The file it was read from (built-in: the path under `crates/core/rules/`).
    pub file: String,
    /// Whether its matches are a detection of their own (see the module docs).
    pub reported: bool,
    /// Whether it is a correlation rule (its rows are the events of the windows that fired).
    pub correlation: bool,
}

/// A rule that could not be read, compiled or resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleProblem {
    pub file: String,
    /// The rule's id or title when it got that far.
    pub rule: Option<String>,
    /// 1-based, in the file's text.
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// The construct concerned (e.g. "modifier `base64`").
    pub construct: String,
}

#[derive(Debug, Clone)]
struct File {
    name: String,
    origin: RuleOrigin,
    /// The rules read, each with its document number (1-based).
    rules: Vec<(usize, Rule)>,
    problems: Vec<RuleProblem>,
}

/// The rules in use. Cheap to clone (rules are plain data).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    files: Vec<File>,
    /// The rules in use, flattened from `files` (unresolvable correlations left out).
    rules: Vec<Rule>,
    meta: Vec<RuleMeta>,
    /// Correlations whose references do not resolve.
    unresolved: Vec<RuleProblem>,
}

fn problem(file: &str, rule: Option<String>, e: &RuleError) -> RuleProblem {
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    RuleProblem {
        file: file.to_string(),
        rule,
        line: n(e.line),
        column: n(e.column),
        message: e.message.clone(),
        construct: e.construct.clone(),
    }
}

fn read_file(name: &str, text: &str, origin: RuleOrigin) -> File {
    let mut rules = Vec::new();
    let mut problems = Vec::new();
    for (i, (rule_name, r)) in parse_rules_named(text).into_iter().enumerate() {
        match r {
            Ok(rule) => rules.push((i + 1, rule)),
            Err(e) => problems.push(problem(name, rule_name, &e)),
        }
    }
    File { name: name.to_string(), origin, rules, problems }
}

fn meta_of(file: &File, doc: usize, rule: &Rule) -> RuleMeta {
    let link = match file.origin {
        RuleOrigin::Sigmahq => {
            let base = file.name.rsplit('/').next().unwrap_or(&file.name);
            Some(format!(
                "https://github.com/SigmaHQ/sigma/blob/{SIGMAHQ_COMMIT}/rules/cloud/aws/cloudtrail/{base}"
            ))
        }
        _ => None,
    };
    RuleMeta {
        id: rule.id.clone().or_else(|| rule.name.clone()).unwrap_or(format!("{}#{doc}", file.name)),
        name: rule.name.clone(),
        title: rule.title.clone(),
        level: rule.level.unwrap_or(Level::Informational),
        author: rule.author.clone().unwrap_or_default(),
        origin: file.origin,
        link,
        techniques: rule.techniques().into_iter().map(str::to_string).collect(),
        tactics: rule.tactics().into_iter().map(str::to_string).collect(),
        file: file.name.clone(),
        reported: true,
        correlation: matches!(rule.body, RuleBody::Correlation(_)),
    }
}

impl RuleSet {
    /// The built-in rules (`crates/core/rules/`, embedded at build time).
    pub fn builtin() -> RuleSet {
        let mut set = RuleSet::default();
        for (path, text) in FILES {
            let origin = if path.starts_with("sigmahq/") {
                RuleOrigin::Sigmahq
            } else {
                RuleOrigin::Trailglass
            };
            set.files.push(read_file(path, text, origin));
        }
        set.rebuild();
        set
    }

    /// Adds (or replaces, by name) a file of user rules; returns its problems. A problem in a
    /// correlation rule of another file that this file resolves (or breaks) changes too: see
    /// [`RuleSet::problems`].
    pub fn add_file(&mut self, name: &str, text: &str) -> Vec<RuleProblem> {
        let file = read_file(name, text, RuleOrigin::User);
        let own = file.problems.clone();
        match self.files.iter_mut().find(|f| f.origin == RuleOrigin::User && f.name == name) {
            Some(slot) => *slot = file,
            None => self.files.push(file),
        }
        self.rebuild();
        let mut out = own;
        out.extend(self.unresolved.iter().filter(|p| p.file == name).cloned());
        out
    }

    /// Removes a user file; false when there is none of that name.
    pub fn remove_file(&mut self, name: &str) -> bool {
        let before = self.files.len();
        self.files.retain(|f| !(f.origin == RuleOrigin::User && f.name == name));
        let removed = self.files.len() != before;
        if removed {
            self.rebuild();
        }
        removed
    }

    /// The rules in use, in file order (built-in first, then user files as added).
    pub fn rules(&self) -> &[RuleMeta] {
        &self.meta
    }

    /// The rules themselves, indexed like [`RuleSet::rules`].
    pub fn compiled(&self) -> &[Rule] {
        &self.rules
    }

    /// Every problem of every file, then the correlations whose references do not resolve.
    pub fn problems(&self) -> Vec<RuleProblem> {
        let mut out: Vec<RuleProblem> =
            self.files.iter().flat_map(|f| f.problems.iter().cloned()).collect();
        out.extend(self.unresolved.iter().cloned());
        out
    }

    /// The user's files: (name, rules in use, problems).
    pub fn files(&self) -> Vec<(String, u32, u32)> {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        self.files
            .iter()
            .filter(|f| f.origin == RuleOrigin::User)
            .map(|f| {
                let used = self.meta.iter().filter(|m| m.file == f.name).count();
                let bad =
                    f.problems.len() + self.unresolved.iter().filter(|p| p.file == f.name).count();
                (f.name.clone(), n(used), n(bad))
            })
            .collect()
    }

    /// Every rule over every row of `store`, with a path index of its own (read afresh).
    pub fn run(&self, store: &Store) -> Hits {
        self.run_cached(store, &mut DetectCache::new())
    }

    /// [`RuleSet::run`] with a path index kept by the caller between runs over a store that only
    /// grows; give it a new [`DetectCache`] (or [`DetectCache::reset`] it) when the store is
    /// replaced. Any rule set may use the same cache: paths new to it are added.
    pub fn run_cached(&self, store: &Store, cache: &mut DetectCache) -> Hits {
        super::run::run(&self.rules, store, cache)
    }

    /// [`RuleSet::run_cached`] over a store that grew since `earlier`, this set's hits over its
    /// first `rows` rows with the same cache: only the new rows are evaluated (the correlations
    /// are built again over all). The same answer as a run over everything; when the cache
    /// finds the store replaced, or `earlier` is not of this set, it is one.
    pub fn run_more(
        &self,
        store: &Store,
        cache: &mut DetectCache,
        earlier: &Hits,
        rows: usize,
    ) -> Hits {
        super::run::run_from(&self.rules, store, cache, Some((earlier, rows)))
    }

    /// Every correlation rule with this store's matches of the rules it refers to (`hits`: this
    /// set's hits over `store`), their rows numbered in the tab by `role` (`super::shared`).
    pub fn correlation_parts(
        &self,
        store: &Store,
        cache: &mut DetectCache,
        hits: &Hits,
        role: Role,
    ) -> Vec<CorrPart> {
        let ids: Vec<&str> = self.meta.iter().map(|m| m.id.as_str()).collect();
        super::shared::parts(&self.rules, &ids, store, cache, hits, role)
    }

    /// Puts `rows` (ascending) as the rows of correlation `id` in `hits` (the windows over
    /// several workers' matches); false when this set has no correlation of that id.
    pub fn set_correlation_rows(&self, hits: &mut Hits, id: &str, rows: Vec<u32>) -> bool {
        let at = self.meta.iter().position(|m| m.correlation && m.id == id);
        at.is_some_and(|i| hits.set(i, rows))
    }

    fn rebuild(&mut self) {
        let all: Vec<(&File, usize, &Rule)> =
            self.files.iter().flat_map(|f| f.rules.iter().map(move |(d, r)| (f, *d, r))).collect();
        let plain: Vec<Rule> = all.iter().map(|(_, _, r)| (*r).clone()).collect();
        let bad = check_references(&plain);
        self.unresolved = bad
            .iter()
            .filter_map(|(i, e)| {
                let (f, _, r) = all.get(*i)?;
                Some(problem(&f.name, Some(r.id.clone().unwrap_or(r.title.clone())), e))
            })
            .collect();
        let keep: Vec<bool> = (0..all.len()).map(|i| !bad.iter().any(|(b, _)| *b == i)).collect();
        self.rules =
            plain.into_iter().zip(&keep).filter_map(|(r, k)| k.then_some(r)).collect::<Vec<_>>();
        self.meta = all
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|((f, d, r), _)| meta_of(f, *d, r))
            .collect();
        let quiet: Vec<&str> = self
            .rules
            .iter()
            .filter_map(|r| match &r.body {
                RuleBody::Correlation(c) if !c.generate => Some(c.rules.iter()),
                _ => None,
            })
            .flatten()
            .map(|x| x.name.as_str())
            .collect();
        for (m, r) in self.meta.iter_mut().zip(&self.rules) {
            let referred = [&r.id, &r.name].into_iter().flatten().any(|k| quiet.contains(&&**k));
            m.reported = !referred;
        }
    }
}
