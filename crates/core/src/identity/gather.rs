//! The facts the resolver keeps as the store grows: every row's caller group (rows with the
//! same access key, ARN, identity type and user), one record read per group, the credentials
//! each successful STS call issued (copies of one cross-account call merged), the console
//! sign-ins, and the `sharedEventID`s of `AWSAccount` callers. Each row is looked at once.

use rustc_hash::FxHashMap;

use super::facts::SignInFacts;
use super::facts::{read_identity, read_issue, read_sign_in, IdentityFacts, IssueFacts, IssueKind};
use crate::store::{Column, Store};

/// What kind of caller a group is (`userIdentity.type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Caller {
    IamUser,
    Root,
    AssumedRole,
    Federated,
    Service,
    Account,
    Saml,
    WebIdentity,
    IdentityCenter,
    Other,
}

impl Caller {
    fn of(kind: &str) -> Caller {
        match kind {
            "IAMUser" => Caller::IamUser,
            "Root" => Caller::Root,
            "AssumedRole" => Caller::AssumedRole,
            "FederatedUser" => Caller::Federated,
            "AWSService" => Caller::Service,
            "AWSAccount" => Caller::Account,
            "SAMLUser" => Caller::Saml,
            "WebIdentityUser" => Caller::WebIdentity,
            "IdentityCenterUser" => Caller::IdentityCenter,
            _ => Caller::Other,
        }
    }
}

/// Rows with the same caller identity.
#[derive(Clone, Debug)]
pub(crate) struct Group {
    /// The first row seen of it (whose record gave the facts).
    pub(crate) row: u32,
    /// Column ids: access key, ARN, user.
    pub(crate) key: u32,
    pub(crate) arn: u32,
    pub(crate) user: u32,
    pub(crate) caller: Caller,
    pub(crate) facts: IdentityFacts,
}

/// One issue of credentials (the rows of its copies in several accounts).
#[derive(Clone, Debug)]
pub(crate) struct Issue {
    pub(crate) rows: Vec<u32>,
    pub(crate) time: i64,
    pub(crate) facts: IssueFacts,
}

/// A successful console sign-in or role switch.
#[derive(Clone, Debug)]
pub(crate) struct SignIn {
    pub(crate) row: u32,
    pub(crate) time: i64,
    pub(crate) facts: SignInFacts,
}

/// Everything read so far.
#[derive(Default)]
pub(crate) struct Gathered {
    pub(crate) rows: usize,
    pub(crate) group_of: Vec<u32>,
    pub(crate) groups: Vec<Group>,
    group_map: FxHashMap<(u32, u32, u32, u32), u32>,
    pub(crate) issues: Vec<Issue>,
    /// Issues by (access key, time in seconds), to merge the copies of one call.
    issue_map: FxHashMap<(String, i64), u32>,
    /// The row of an issue, for the federated callers (`SAMLUser`, `WebIdentityUser`).
    pub(crate) issue_of_row: FxHashMap<u32, u32>,
    pub(crate) sign_ins: Vec<SignIn>,
    /// `AWSAccount` callers with a sharedEventID: (row, id).
    pub(crate) shared: Vec<(u32, String)>,
    /// Records read in full or in part (for the benchmark and the tests).
    pub(crate) reads: usize,
}

impl Gathered {
    /// Reads the rows added to `store` since the last call.
    pub(crate) fn extend(&mut self, store: &Store) {
        let n = store.len();
        if n < self.rows {
            *self = Gathered::default();
        }
        let (keys, arns, kinds, users) = (
            store.column(Column::AccessKey),
            store.column(Column::Arn),
            store.column(Column::IdentityType),
            store.column(Column::User),
        );
        let kind_dict = store.dictionary(Column::IdentityType);
        let sts = dict_id(store, Column::Service, "sts.amazonaws.com");
        let signin = dict_id(store, Column::Service, "signin.amazonaws.com");
        let (services, actions, errors) = (
            store.column(Column::Service),
            store.column(Column::Action),
            store.column(Column::ErrorCode),
        );
        let action_dict = store.dictionary(Column::Action);
        let from = self.rows;
        self.group_of.reserve(n - from);
        let callers = rows(keys, from, n).iter().zip(rows(arns, from, n));
        let callers = callers.zip(rows(kinds, from, n)).zip(rows(users, from, n));
        let calls = rows(store.times(), from, n).iter().zip(rows(services, from, n));
        let calls = calls.zip(rows(actions, from, n)).zip(rows(errors, from, n));
        for (i, (caller, call)) in callers.zip(calls).enumerate() {
            let r = from + i;
            let (((&key, &arn), &kind), &user) = caller;
            let (((&time, &service), &action), &error) = call;
            let t = (key, arn, kind, user);
            let g = match self.group_map.get(&t) {
                Some(&g) => g,
                None => {
                    let g = self.groups.len() as u32;
                    self.reads += 1;
                    let caller = Caller::of(kind_dict.get(kind as usize).map_or("", |s| s));
                    let facts = read_identity(store.raw(r)).unwrap_or_default();
                    self.groups.push(Group { row: r as u32, key, arn, user, caller, facts });
                    self.group_map.insert(t, g);
                    g
                }
            };
            self.group_of.push(g);
            let action = action_dict.get(action as usize).map_or("", |s| s);
            if Some(service) == sts && error == 0 {
                if let Some(kind) = IssueKind::from_event_name(action) {
                    self.reads += 1;
                    if let Some((facts, _)) = read_issue(store.raw(r), kind) {
                        self.add_issue(r as u32, time, facts);
                    }
                }
            } else if Some(service) == signin
                && error == 0
                && (action == "ConsoleLogin" || action == "SwitchRole")
            {
                self.reads += 1;
                if let Some(facts) = read_sign_in(store.raw(r)) {
                    self.sign_ins.push(SignIn { row: r as u32, time, facts });
                }
            }
            let Some(gr) = self.groups.get(g as usize) else { continue };
            if gr.caller == Caller::Account {
                let facts = if gr.row == r as u32 {
                    gr.facts.shared_event.clone()
                } else {
                    self.reads += 1;
                    read_identity(store.raw(r)).and_then(|f| f.shared_event)
                };
                if let Some(id) = facts {
                    self.shared.push((r as u32, id));
                }
            }
        }
        self.rows = n;
    }

    fn add_issue(&mut self, row: u32, time: i64, facts: IssueFacts) {
        let at = (facts.key.clone(), time.div_euclid(1000));
        let i = match self.issue_map.get(&at) {
            Some(&i) => {
                if let Some(is) = self.issues.get_mut(i as usize) {
                    is.rows.push(row);
                }
                // The copy with the richer caller (not an `AWSAccount` stub) comes first only
                // when resolving; here the facts of the first copy stay.
                i
            }
            None => {
                let i = self.issues.len() as u32;
                self.issues.push(Issue { rows: vec![row], time, facts });
                self.issue_map.insert(at, i);
                i
            }
        };
        self.issue_of_row.insert(row, i);
    }

    pub(crate) fn group(&self, g: u32) -> Option<&Group> {
        self.groups.get(g as usize)
    }

    /// The caller group of `row`.
    pub(crate) fn group_of_row(&self, row: usize) -> Option<&Group> {
        self.group_of.get(row).and_then(|&g| self.group(g))
    }

    pub(crate) fn issue(&self, i: u32) -> Option<&Issue> {
        self.issues.get(i as usize)
    }

    pub(crate) fn sign_in(&self, i: u32) -> Option<&SignIn> {
        self.sign_ins.get(i as usize)
    }

    /// Bytes held per row and in total (estimate), for the memory figures.
    pub(crate) fn bytes(&self) -> usize {
        self.group_of.capacity() * 4
            + self.groups.capacity() * std::mem::size_of::<Group>()
            + self.group_map.capacity() * 24
            + self.issues.capacity() * std::mem::size_of::<Issue>()
            + self.issue_map.capacity() * 40
            + self.issue_of_row.capacity() * 12
            + self.shared.capacity() * 32
    }
}

/// Rows `from..n` of a column (none when it is shorter).
fn rows<T>(col: &[T], from: usize, n: usize) -> &[T] {
    col.get(from..n).unwrap_or(&[])
}

/// The id of `value` in `col`'s dictionary, if it occurs.
pub(crate) fn dict_id(store: &Store, col: Column, value: &str) -> Option<u32> {
    store.dictionary(col).iter().position(|s| &**s == value).map(|i| i as u32)
}
