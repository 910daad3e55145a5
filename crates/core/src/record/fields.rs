//! From a typed record to the indexed values: the column values in [`Column::ALL`] order, the
//! time (eventTime, else a fallback field, and where it came from), and the identity rules
//! (userName, else the session issuer's, else the ARN's last part, else principalId/invokedBy).

use std::borrow::Cow;

use serde::Deserialize;

use super::event::{Ev, Insight, Issuer, Kind, SessionContext, UserIdentity};
use super::tolerant::{Obj, S};
use crate::store::{Column, IDENTITY_TEXT, NCOLS};
use crate::time::{epoch_from_f64, parse_time_ms};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeFrom {
    EventTime,
    /// eventTime missing or unreadable; this field was used.
    Fallback(&'static str),
    /// No usable time at all.
    Missing,
}

/// The indexed values of one event, in [`Column::ALL`] order.
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    pub values: [Cow<'a, str>; NCOLS],
    pub time_ms: Option<i64>,
    pub time_from: TimeFrom,
    /// eventTime was present but could not be read.
    pub bad_event_time: bool,
    /// A bit per column (by [`Column::index`]) whose field the record has no value for (missing
    /// or null): set only where the column is that field's copy (see `Store::absent`); and
    /// `IDENTITY_TEXT` for a `userIdentity` written as a JSON string.
    pub facts: u16,
}

/// The [`Fields::facts`] bits of the columns copied from `userIdentity`.
const IDENTITY_BITS: u16 =
    1 << Column::Arn.index() | 1 << Column::IdentityType.index() | 1 << Column::AccessKey.index();

/// [`put`], noting a field without a value in [`Fields::facts`].
fn copy<'a>(f: &mut Fields<'a>, c: Column, v: Option<S<'a>>) {
    if v.is_none() {
        f.facts |= 1 << c.index();
    }
    put(f, c, v);
}

fn put<'a>(f: &mut Fields<'a>, c: Column, v: Option<S<'a>>) {
    if let (Some(v), Some(slot)) = (v, f.values.get_mut(c.index())) {
        if slot.is_empty() {
            *slot = v.0;
        }
    }
}

fn time_of(s: &S<'_>) -> Option<i64> {
    if s.1 {
        s.0.parse::<f64>().ok().and_then(epoch_from_f64)
    } else {
        parse_time_ms(&s.0)
    }
}

impl<'a> Ev<'a> {
    /// The indexed fields. `Obj::Str` parts (objects written as JSON strings) are parsed here.
    pub fn fields(self) -> Fields<'a> {
        let mut f = Fields::empty();
        match &self.event_time {
            Some(t) if !t.0.is_empty() => match time_of(t) {
                Some(ms) => {
                    f.time_ms = Some(ms);
                    f.time_from = TimeFrom::EventTime;
                }
                None => f.bad_event_time = true,
            },
            _ => {}
        }
        if f.time_ms.is_none() {
            let fallbacks = [
                ("@timestamp", &self.at_timestamp),
                ("p_event_time", &self.p_event_time),
                ("_time", &self.cribl_time),
                ("timestamp", &self.timestamp),
                ("time", &self.time),
            ];
            for (name, v) in fallbacks {
                if let Some(ms) = v.as_ref().and_then(time_of) {
                    f.time_ms = Some(ms);
                    f.time_from = TimeFrom::Fallback(name);
                    break;
                }
            }
        }
        let is_insight =
            self.event_type.as_ref().is_some_and(|t| t.as_str() == "AwsCloudTrailInsight");
        let category = match (&self.event_category, is_insight) {
            (Some(c), _) if !c.0.is_empty() => c.0.clone(),
            (_, true) => Cow::Borrowed("Insight"),
            _ => Cow::Borrowed("Management"),
        };
        let read_only: &'static str = match self.read_only.as_ref().map(|r| r.as_str().trim()) {
            Some(r) if r.eq_ignore_ascii_case("true") => "true",
            Some(r) if r.eq_ignore_ascii_case("false") => "false",
            _ => "",
        };
        if self.insight_details.is_none() {
            copy(&mut f, Column::Service, self.event_source);
            copy(&mut f, Column::Action, self.event_name);
        } else {
            put(&mut f, Column::Service, self.event_source);
            put(&mut f, Column::Action, self.event_name);
        }
        match self.insight_details {
            Some(Obj::Map(i)) => {
                put(&mut f, Column::Service, i.event_source);
                put(&mut f, Column::Action, i.event_name);
            }
            Some(Obj::Str(s)) => {
                if let Ok(i) = serde_json::from_str::<Insight>(&s) {
                    put(&mut f, Column::Service, i.event_source.map(S::into_owned));
                    put(&mut f, Column::Action, i.event_name.map(S::into_owned));
                }
            }
            _ => {}
        }
        copy(&mut f, Column::Region, self.aws_region);
        put(&mut f, Column::Account, self.recipient_account_id);
        copy(&mut f, Column::SourceIp, self.source_ip);
        copy(&mut f, Column::ErrorCode, self.error_code);
        copy(&mut f, Column::UserAgent, self.user_agent);
        copy(&mut f, Column::EventType, self.event_type);
        if let Some(slot) = f.values.get_mut(Column::Category.index()) {
            *slot = category;
        }
        if let Some(slot) = f.values.get_mut(Column::ReadOnly.index()) {
            *slot = Cow::Borrowed(read_only);
        }
        match self.user_identity {
            Some(Obj::Map(ui)) => identity(&mut f, ui),
            Some(Obj::Str(s)) => {
                if let Ok(ui) = serde_json::from_str::<UserIdentity>(&s) {
                    identity(&mut f, ui.into_owned());
                }
                // The record's own `userIdentity.…` paths reach nothing inside a string.
                f.facts &= !IDENTITY_BITS;
                f.facts |= IDENTITY_TEXT;
            }
            Some(Obj::Other) => {}
            None => f.facts |= IDENTITY_BITS,
        }
        f
    }
}

impl UserIdentity<'_> {
    fn into_owned(self) -> UserIdentity<'static> {
        let o = |v: Option<S<'_>>| v.map(S::into_owned);
        let session_context = match self.session_context {
            Some(Obj::Map(sc)) => Some(Obj::Map(SessionContext {
                session_issuer: match sc.session_issuer {
                    Some(Obj::Map(i)) => {
                        Some(Obj::Map(Issuer { user_name: o(i.user_name), arn: o(i.arn) }))
                    }
                    _ => None,
                },
            })),
            _ => None,
        };
        UserIdentity {
            kind: o(self.kind),
            user_name: o(self.user_name),
            arn: o(self.arn),
            account_id: o(self.account_id),
            principal_id: o(self.principal_id),
            invoked_by: o(self.invoked_by),
            access_key_id: o(self.access_key_id),
            session_context,
        }
    }
}

fn nonempty(v: Option<S<'_>>) -> Option<S<'_>> {
    v.filter(|s| !s.0.trim().is_empty())
}

/// Where the last part of an ARN starts (after its last `/` or `:`), when it has one: the user
/// column's name for an ARN alone.
pub(super) fn arn_tail_start(arn: &str) -> Option<usize> {
    arn.rfind(['/', ':']).map(|i| i + 1).filter(|&i| i < arn.len())
}

fn identity<'a>(f: &mut Fields<'a>, ui: UserIdentity<'a>) {
    let issuer_name = match ui.session_context {
        Some(Obj::Map(sc)) => match sc.session_issuer {
            Some(Obj::Map(i)) => nonempty(i.user_name),
            _ => None,
        },
        _ => None,
    };
    let arn_tail = ui.arn.as_ref().and_then(|a| match &a.0 {
        Cow::Borrowed(b) => {
            arn_tail_start(b).and_then(|i| b.get(i..)).map(|t| S(Cow::Borrowed(t), false))
        }
        Cow::Owned(o) => {
            arn_tail_start(o).and_then(|i| o.get(i..)).map(|t| S(Cow::Owned(t.to_owned()), false))
        }
    });
    let user = nonempty(ui.user_name)
        .or(issuer_name)
        .or(arn_tail)
        .or(nonempty(ui.principal_id))
        .or(nonempty(ui.invoked_by));
    put(f, Column::User, user);
    copy(f, Column::Arn, ui.arn);
    put(f, Column::Account, ui.account_id);
    copy(f, Column::IdentityType, ui.kind);
    copy(f, Column::AccessKey, ui.access_key_id);
}

impl Fields<'_> {
    /// No values, no time.
    pub fn empty() -> Self {
        Fields {
            values: Default::default(),
            time_ms: None,
            time_from: TimeFrom::Missing,
            bad_event_time: false,
            facts: 0,
        }
    }

    pub fn get(&self, c: Column) -> &str {
        self.values.get(c.index()).map_or("", |v| v)
    }
}

/// Lenient parse: any valid JSON object, duplicate keys allowed (the last wins).
/// Returns the owned fields and the kind, or the JSON error.
pub fn parse_lenient(bytes: &[u8]) -> Result<Option<(Kind, Fields<'static>)>, serde_json::Error> {
    let v: serde_json::Value = serde_json::from_slice(bytes)?;
    if !v.is_object() {
        return Ok(None);
    }
    let ev = Ev::deserialize(&v)?;
    let kind = ev.kind();
    if kind == Kind::Ocsf {
        return Ok(Some((kind, super::ocsf::ocsf_fields(&v))));
    }
    let f = ev.fields();
    Ok(Some((
        kind,
        Fields {
            values: f.values.map(|c| Cow::Owned(c.into_owned())),
            time_ms: f.time_ms,
            time_from: f.time_from,
            bad_event_time: f.bad_event_time,
            facts: f.facts,
        },
    )))
}
