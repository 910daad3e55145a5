//! The facts the resolution links by, in a form that leaves the store: the credentials each
//! successful STS call issued (with every copy's row, as a row of the whole role), the console
//! role switches, the `AWSAccount` copies of cross-account calls, the Identity Center stores.
//!
//! One engine resolves with the table of its own store. Several data workers (each holding some
//! of the files) each send theirs, and every worker resolves with the merge of all
//! ([`IdTable::merge`]): a key issued in one worker's files and used in another's then links,
//! and the copies of one cross-account call in two workers are one issue (`super::remote` does
//! the rest of the exchange).

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::facts::IssueKind;
use super::gather::{caller_of_row, Caller, Gathered};
use crate::role::Role;
use crate::store::{Column, Store};

/// One row of an issue (a cross-account call is logged in both accounts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyRow {
    /// The row in the whole role.
    pub id: u32,
    /// Its caller is an `AWSAccount` stub (the copy in the resource owner's account).
    pub stub: bool,
    pub time_ms: Option<i64>,
    pub ip: String,
}

/// The credentials one successful STS call issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedIssue {
    pub kind: IssueKind,
    /// The call's time (`i64::MIN`: none).
    pub time: i64,
    pub lifetime_ms: i64,
    /// Hash of the access key it issued.
    pub key: u64,
    /// Hash of the session ARN it made (0: none).
    pub session_arn: u64,
    pub sso_user: Option<String>,
    pub federated_origin: Option<String>,
    /// Its first copy's row, then the others'.
    pub rows: Vec<CopyRow>,
}

/// A successful console role switch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedSwitch {
    pub id: u32,
    pub time: i64,
    pub time_ms: Option<i64>,
    pub ip: String,
    /// The session switched into (the sign-in's ARN).
    pub arn: String,
    /// Its `creationDate`, ms.
    pub created_ms: Option<i64>,
    /// `SwitchFrom`: the principal that switched.
    pub from: String,
}

/// The `AWSAccount` copy of a cross-account call: tied to the caller's copy (same time,
/// eventName and sharedEventID).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stub {
    pub id: u32,
    pub time: i64,
    pub action: String,
    pub shared: u64,
}

/// Everything the resolution links by, for one store or for the whole role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdTable {
    pub issues: Vec<SharedIssue>,
    pub switches: Vec<SharedSwitch>,
    /// Only sent between workers (one engine ties its copies itself).
    pub stubs: Vec<Stub>,
    /// Identity Center stores by user name (the later named wins), and every store named.
    pub store_of_user: FxHashMap<String, String>,
    pub stores: Vec<String>,
}

impl IdTable {
    /// The table of one store's gathered facts (its rows named as rows of the role).
    pub(crate) fn of_store(
        store: &Store,
        g: &Gathered,
        role: Role,
        shared: &mut super::resolve::SharedIds,
    ) -> IdTable {
        let stub = |r: u32| {
            g.group_at(caller_of_row(store, r as usize))
                .and_then(|x| g.group(x))
                .is_some_and(|gr| gr.caller == Caller::Account)
        };
        let row = |r: u32| CopyRow {
            id: role.global(r),
            stub: stub(r),
            time_ms: store.time_ms(r as usize),
            ip: store.get(r as usize, Column::SourceIp).to_string(),
        };
        let issues = (0..g.issues.len() as u32)
            .filter_map(|k| {
                let is = g.issue(k)?;
                Some(SharedIssue {
                    kind: is.kind,
                    time: is.time,
                    lifetime_ms: is.lifetime_ms,
                    key: is.key,
                    session_arn: is.session_arn,
                    sso_user: is.sso_user().map(str::to_string),
                    federated_origin: is.federated_origin().map(str::to_string),
                    rows: g.issue_rows(k).map(row).collect(),
                })
            })
            .collect();
        let switches = g
            .sign_ins
            .iter()
            .filter_map(|s| {
                let from = s.facts.switch_from.clone()?;
                let arn = store.get(s.row as usize, Column::Arn);
                (!arn.is_empty()).then(|| SharedSwitch {
                    id: role.global(s.row),
                    time: s.time,
                    time_ms: store.time_ms(s.row as usize),
                    ip: store.get(s.row as usize, Column::SourceIp).to_string(),
                    arn: arn.to_string(),
                    created_ms: s.facts.identity.created_ms,
                    from,
                })
            })
            .collect();
        let stubs = if role.of <= 1 { Vec::new() } else { stubs(store, g, role, shared) };
        let (store_of_user, stores) = sso_stores(g, store);
        IdTable { issues, switches, stubs, store_of_user, stores }
    }

    /// The role's table from every worker's, in worker order: the copies of one call (the same
    /// key issued in the same second) become one issue with all their rows.
    pub fn merge(parts: Vec<IdTable>) -> IdTable {
        let mut out = IdTable::default();
        let mut at: FxHashMap<(u64, i64), usize> = FxHashMap::default();
        for p in parts {
            for is in p.issues {
                match at.get(&(is.key, is.time.div_euclid(1000))) {
                    Some(&i) => {
                        if let Some(first) = out.issues.get_mut(i) {
                            first.rows.extend(is.rows);
                        }
                    }
                    None => {
                        at.insert((is.key, is.time.div_euclid(1000)), out.issues.len());
                        out.issues.push(is);
                    }
                }
            }
            out.switches.extend(p.switches);
            out.stubs.extend(p.stubs);
            out.store_of_user.extend(p.store_of_user);
            for s in p.stores {
                if !out.stores.contains(&s) {
                    out.stores.push(s);
                }
            }
        }
        out
    }

    /// `sso:<store>/<user>` when the logs name the user's store (or only one store), else
    /// `sso:<user>`.
    pub(crate) fn sso_text(&self, user: &str) -> String {
        let by_user = self.store_of_user.get(user);
        let only = if self.stores.len() == 1 { self.stores.first() } else { None };
        match by_user.or(only) {
            Some(st) => format!("sso:{st}/{user}"),
            None => format!("sso:{user}"),
        }
    }
}

/// The `AWSAccount` rows with their sharedEventID (read from the record).
fn stubs(
    store: &Store,
    g: &Gathered,
    role: Role,
    shared: &mut super::resolve::SharedIds,
) -> Vec<Stub> {
    let mut raws = store.raw_reader();
    g.accounts
        .iter()
        .filter_map(|&r| {
            let shared = super::resolve::shared_id(&mut raws, shared, r)?;
            Some(Stub {
                id: role.global(r),
                time: store.times().get(r as usize).copied()?,
                action: store.get(r as usize, Column::Action).to_string(),
                shared,
            })
        })
        .collect()
}

/// The identity stores the logs name: by user name (in the order read, the later wins), and
/// all of them.
fn sso_stores(g: &Gathered, store: &Store) -> (FxHashMap<String, String>, Vec<String>) {
    let mut by_user = FxHashMap::default();
    let mut all: Vec<String> = Vec::new();
    let user_dict = store.dictionary(Column::User);
    let facts = g.groups.iter().map(|gr| (&*gr.facts, gr.user)).chain(
        g.sign_ins.iter().map(|s| (&s.facts.identity, store.id(s.row as usize, Column::User))),
    );
    for (f, user) in facts {
        if let Some(st) = &f.store_id {
            if !all.contains(st) {
                all.push(st.clone());
            }
            let name = f.user_name.clone().or_else(|| {
                user_dict.get(user as usize).map(|s| s.to_string()).filter(|s| !s.is_empty())
            });
            if let Some(u) = name {
                by_user.insert(u, st.clone());
            }
        }
    }
    (by_user, all)
}
