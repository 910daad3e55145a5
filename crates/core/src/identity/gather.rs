//! The facts the resolver keeps as the store grows: every row's caller group (rows with the
//! same access key, ARN, identity type and user), one record read per group, the credentials
//! each successful STS call issued (copies of one cross-account call merged), the console
//! sign-ins, and the `sharedEventID`s of `AWSAccount` callers. Each row is looked at once.

use rustc_hash::FxHashMap;

use super::facts::SignInFacts;
use super::facts::{read_identity, read_issue, read_sign_in, IdentityFacts, IssueFacts, IssueKind};
use crate::store::{Column, Store};

/// What kind of caller a group is (`userIdentity.type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// Column ids: access key, ARN, user.
    pub(crate) key: u32,
    pub(crate) arn: u32,
    pub(crate) user: u32,
    pub(crate) caller: Caller,
    /// `sessionContext.attributes.creationDate`, ms (a console session's link).
    pub(crate) created_ms: Option<i64>,
    /// The rest of its record's identity facts, kept only where the resolver needs them (a
    /// caller without an ARN, a service, an Identity Center user, an `AWSAccount` stub, a
    /// `sourceIdentity`): most groups hold none.
    pub(crate) facts: Facts,
}

/// Identity facts kept only when there are some worth keeping (most groups: none, 8 bytes).
#[derive(Clone, Debug, Default)]
pub(crate) struct Facts(Option<Box<IdentityFacts>>);

static NO_FACTS: IdentityFacts = IdentityFacts {
    account: None,
    principal_id: None,
    user_name: None,
    invoked_by: None,
    created_ms: None,
    source_identity: None,
    store_id: None,
    sso_user_id: None,
    shared_event: None,
};

impl std::ops::Deref for Facts {
    type Target = IdentityFacts;
    fn deref(&self) -> &IdentityFacts {
        self.0.as_deref().unwrap_or(&NO_FACTS)
    }
}

impl Facts {
    /// What the resolver keeps of `f` for a caller of this kind (with or without an ARN).
    fn keep(mut f: IdentityFacts, caller: Caller, has_arn: bool) -> Facts {
        let named = has_arn
            && matches!(
                caller,
                Caller::IamUser | Caller::Root | Caller::AssumedRole | Caller::Federated
            );
        if named {
            f.account = None;
            f.principal_id = None;
            f.user_name = None;
            f.invoked_by = None;
        }
        f.created_ms = None;
        f.shared_event = None;
        let empty = f.account.is_none()
            && f.principal_id.is_none()
            && f.user_name.is_none()
            && f.invoked_by.is_none()
            && f.source_identity.is_none()
            && f.store_id.is_none()
            && f.sso_user_id.is_none();
        Facts((!empty).then(|| Box::new(f)))
    }
}

/// One issue of credentials, kept small (tens of thousands in a million events): its keys
/// as hashes, the rare texts boxed. The rows of its other copies (a cross-account call is
/// logged in both accounts) are in `Gathered::copies`.
#[derive(Clone, Debug)]
pub(crate) struct Issue {
    pub(crate) row: u32,
    pub(crate) kind: IssueKind,
    pub(crate) time: i64,
    pub(crate) lifetime_ms: i64,
    /// [`key_hash`] of the access key it issued.
    pub(crate) key: u64,
    /// [`key_hash`] of the session ARN it made (0: none).
    pub(crate) session_arn: u64,
    pub(crate) extra: Option<Box<IssueExtra>>,
}

/// What few issues have: the SSO user an `AWSReservedSSO_*` session names, a federated origin.
#[derive(Clone, Debug, Default)]
pub(crate) struct IssueExtra {
    pub(crate) sso_user: Option<Box<str>>,
    pub(crate) federated_origin: Option<Box<str>>,
}

impl Issue {
    fn new(row: u32, time: i64, f: IssueFacts) -> Issue {
        let sso_user = f
            .session_arn
            .as_deref()
            .and_then(super::resolve::role_session)
            .filter(|(role, _)| role.starts_with("AWSReservedSSO_"))
            .map(|(_, name)| Box::from(name));
        let extra = (sso_user.is_some() || f.federated_origin.is_some())
            .then(|| Box::new(IssueExtra { sso_user, federated_origin: f.federated_origin }));
        Issue {
            row,
            kind: f.kind,
            time,
            lifetime_ms: f.lifetime_ms,
            key: key_hash(&f.key),
            session_arn: f.session_arn.as_deref().map_or(0, key_hash),
            extra,
        }
    }

    pub(crate) fn sso_user(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.sso_user.as_deref())
    }

    pub(crate) fn federated_origin(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.federated_origin.as_deref())
    }
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
    pub(crate) groups: Vec<Group>,
    group_map: FxHashMap<(u32, u32, u32, u32), u32>,
    pub(crate) issues: Vec<Issue>,
    /// The other copies' rows of an issue (by issue).
    copies: FxHashMap<u32, Vec<u32>>,
    /// Issues by (hash of the access key, time in seconds), to merge the copies of one call.
    issue_map: FxHashMap<(u64, i64), u32>,
    pub(crate) sign_ins: Vec<SignIn>,
    /// The rows of `AWSAccount` callers (copies of cross-account calls, tied to the caller's
    /// copy when resolving).
    pub(crate) accounts: Vec<u32>,
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
        let callers = rows(keys, from, n).iter().zip(rows(arns, from, n));
        let callers = callers.zip(rows(kinds, from, n)).zip(rows(users, from, n));
        let calls = rows(store.times(), from, n).iter().zip(rows(services, from, n));
        let calls = calls.zip(rows(actions, from, n)).zip(rows(errors, from, n));
        let mut raws = store.raw_reader();
        for (i, (caller, call)) in callers.zip(calls).enumerate() {
            let r = from + i;
            let (((&key, &arn), &kind), &user) = caller;
            let (((&time, &service), &action), &error) = call;
            let t = (key, arn, kind, user);
            let g = match self.group_map.get(&t) {
                Some(&g) => g,
                None => {
                    let g = self.groups.len() as u32;
                    let caller = Caller::of(kind_dict.get(kind as usize).map_or("", |s| s));
                    // An IAM user or root with an ARN is its own origin: nothing to read.
                    let needed = arn == 0 || !matches!(caller, Caller::IamUser | Caller::Root);
                    let facts = if needed {
                        self.reads += 1;
                        read_identity(raws.get(r)).unwrap_or_default()
                    } else {
                        IdentityFacts::default()
                    };
                    let created_ms = facts.created_ms;
                    let facts = Facts::keep(facts, caller, arn != 0);
                    self.groups.push(Group { key, arn, user, caller, created_ms, facts });
                    self.group_map.insert(t, g);
                    g
                }
            };
            let action = action_dict.get(action as usize).map_or("", |s| s);
            if Some(service) == sts && error == 0 {
                if let Some(kind) = IssueKind::from_event_name(action) {
                    self.reads += 1;
                    if let Some((facts, _)) = read_issue(raws.get(r), kind) {
                        self.add_issue(r as u32, time, facts);
                    }
                }
            } else if Some(service) == signin
                && error == 0
                && (action == "ConsoleLogin" || action == "SwitchRole")
            {
                self.reads += 1;
                if let Some(facts) = read_sign_in(raws.get(r)) {
                    self.sign_ins.push(SignIn { row: r as u32, time, facts });
                }
            }
            if self.groups.get(g as usize).is_some_and(|gr| gr.caller == Caller::Account) {
                self.accounts.push(r as u32);
            }
        }
        self.rows = n;
    }

    fn add_issue(&mut self, row: u32, time: i64, facts: IssueFacts) {
        let at = (key_hash(&facts.key), time.div_euclid(1000));
        match self.issue_map.get(&at) {
            Some(&i) => {
                // Which copy's caller is best known is decided when resolving; the facts of
                // the first copy stay.
                self.copies.entry(i).or_default().push(row);
            }
            None => {
                let i = self.issues.len() as u32;
                self.issues.push(Issue::new(row, time, facts));
                self.issue_map.insert(at, i);
            }
        }
    }

    pub(crate) fn group(&self, g: u32) -> Option<&Group> {
        self.groups.get(g as usize)
    }

    /// The group of a caller (access key, ARN, identity type and user column ids).
    pub(crate) fn group_at(&self, caller: (u32, u32, u32, u32)) -> Option<u32> {
        self.group_map.get(&caller).copied()
    }

    /// The rows of issue `k`: its first copy, then the others.
    pub(crate) fn issue_rows(&self, k: u32) -> impl Iterator<Item = u32> + '_ {
        let first = self.issue(k).map(|i| i.row);
        first.into_iter().chain(self.copies.get(&k).into_iter().flatten().copied())
    }

    pub(crate) fn issue(&self, i: u32) -> Option<&Issue> {
        self.issues.get(i as usize)
    }

    /// Heap bytes held (estimates): per row, by the groups, by the issues and sign-ins.
    pub(crate) fn bytes(&self) -> (usize, usize, usize) {
        let per_row = 0;
        let groups = self.groups.capacity() * std::mem::size_of::<Group>()
            + self.groups.iter().map(|g| g.facts.0.as_ref().map_or(0, |_| 320)).sum::<usize>()
            + self.group_map.capacity() * 24;
        let issues = self.issues.capacity() * std::mem::size_of::<Issue>()
            + self.issues.iter().map(|i| i.extra.as_ref().map_or(0, |_| 96)).sum::<usize>()
            + self.copies.capacity() * 40
            + self.issue_map.capacity() * 24
            + self.sign_ins.capacity() * (std::mem::size_of::<SignIn>() + 64)
            + self.accounts.capacity() * 4;
        (per_row, groups, issues)
    }
}

/// A row's caller: its access key, ARN, identity type and user column ids.
pub(crate) fn caller_of_row(store: &Store, row: usize) -> (u32, u32, u32, u32) {
    (
        store.id(row, Column::AccessKey),
        store.id(row, Column::Arn),
        store.id(row, Column::IdentityType),
        store.id(row, Column::User),
    )
}

/// A 64-bit hash of an access key (the copies of one call are merged by it and their time).
pub(crate) fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    key.hash(&mut h);
    h.finish()
}

/// Rows `from..n` of a column (none when it is shorter).
fn rows<T>(col: &[T], from: usize, n: usize) -> &[T] {
    col.get(from..n).unwrap_or(&[])
}

/// The id of `value` in `col`'s dictionary, if it occurs.
pub(crate) fn dict_id(store: &Store, col: Column, value: &str) -> Option<u32> {
    store.dictionary(col).iter().position(|s| &**s == value).map(|i| i as u32)
}
