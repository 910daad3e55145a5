//! The identity terms of the language: `origin:`, `session:` and `chain:`, which select events
//! by who is behind them ([`crate::identity`]). Like the detection terms, they are cheap
//! leaves: the glob is tested once per origin or session, then one pass over the rows' session
//! ids sets the bits. Evaluated without the resolution (a store nobody resolved), they select
//! nothing.

use super::bits::Bits;
use super::pattern::Glob;
use crate::identity::{hop_name, role_session, Identities, OriginKind};
use crate::store::Store;

/// The identity field a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WhoField {
    Origin,
    Session,
    Chain,
}

/// What an identity term selects.
#[derive(Clone, Debug)]
pub(crate) struct WhoTerm {
    pub(crate) field: WhoField,
    /// `None`: has a value (`origin:*`).
    pub(crate) glob: Option<Glob>,
}

impl WhoTerm {
    pub(crate) fn new(field: WhoField, chars: &[(char, bool)], quoted: bool) -> WhoTerm {
        let exists = !quoted && !chars.is_empty() && chars.iter().all(|&c| c == ('*', false));
        WhoTerm { field, glob: (!exists).then(|| Glob::new(chars, !quoted)) }
    }

    fn test(&self, v: &str) -> bool {
        match &self.glob {
            None => !v.is_empty(),
            Some(g) => g.matches(v),
        }
    }

    /// Whether an origin (its text or short name, or for an IAM user its name) matches; the
    /// unknown origin is the empty value.
    fn origin_matches(&self, ids: &Identities, o: Option<u32>) -> bool {
        match o.and_then(|o| ids.origins().get(o as usize)) {
            Some(o) => {
                self.test(&o.text)
                    || self.test(&o.name)
                    || (o.kind == OriginKind::Root && self.test("root"))
            }
            None => self.test(""),
        }
    }

    /// The rows it selects over `n` rows of `store`.
    pub(crate) fn bits(&self, store: &Store, ids: Option<&Identities>, n: usize) -> Bits {
        let mut out = Bits::empty(n);
        let Some(ids) = ids else { return out };
        let sessions = ids.sessions();
        let own: Vec<bool> = (0..sessions as u32)
            .map(|s| match self.field {
                WhoField::Origin => self.origin_matches(ids, ids.session_origin(s)),
                WhoField::Session => self.test(&ids.session_label(store, s)),
                WhoField::Chain => {
                    let id = ids.identity(store, s);
                    self.test(&id) || hop_names(&id).any(|p| self.test(p))
                }
            })
            .collect();
        let ok: Vec<bool> = match self.field {
            WhoField::Chain => (0..sessions as u32)
                .map(|s| {
                    self.origin_matches(ids, ids.session_origin(s))
                        && ids.session_origin(s).is_some()
                        || ids
                            .path(s)
                            .iter()
                            .any(|&x| own.get(x as usize).copied().unwrap_or(false))
                })
                .collect(),
            _ => own,
        };
        for (r, &s) in ids.session_column().iter().enumerate().take(n) {
            if ok.get(s as usize).copied().unwrap_or(false) {
                out.set(r);
            }
        }
        out
    }
}

/// The names a hop's identity can be found by: a role session ARN's role and session names, a
/// user ARN's user name.
fn hop_names(identity: &str) -> impl Iterator<Item = &str> {
    let (role, session) = role_session(identity).unzip();
    let last = (role.is_none() && identity.starts_with("arn:")).then(|| hop_name(identity));
    role.into_iter().chain(session).chain(last)
}
