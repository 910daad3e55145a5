//! One CloudTrail record → the fields the store indexes.
//!
//! The fast path deserializes a record's bytes once into [`Ev`], a borrowed struct of tolerant
//! field types: [`S`] takes a string, boolean, number or null (so `"readOnly": "true"` and
//! `"readOnly": true` both work) and skips objects/arrays; [`Obj`] takes an object, or a string
//! (an object written as a JSON string, parsed later), or ignores anything else. Every other key
//! (requestParameters, responseElements, resources, …) is skipped by serde without building
//! anything. `S` is a newtype around `Cow<str>` because serde's derive only borrows through such a
//! newtype. When the typed parse fails on valid JSON (duplicate keys, …) the reader parses that
//! one record as a `serde_json::Value` and runs the same `Ev` deserializer over it.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, value::MapAccessDeserializer, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::Deserialize;

use crate::store::{Column, NCOLS};
use crate::time::{epoch_from_f64, parse_time_ms};

pub(crate) mod fast;
#[cfg(test)]
mod fast_tests;

/// A tolerant scalar: string, bool ("true"/"false"), number (its text) or null ("").
/// Objects and arrays are skipped and read as "".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S<'a>(pub Cow<'a, str>, pub bool);

impl S<'_> {
    fn into_owned(self) -> S<'static> {
        S(Cow::Owned(self.0.into_owned()), self.1)
    }
    fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for S<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = S<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<S<'a>, E> {
                Ok(S(Cow::Borrowed(v), false))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<S<'a>, E> {
                Ok(S(Cow::Owned(v.to_owned()), false))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<S<'a>, E> {
                Ok(S(Cow::Owned(v), false))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<S<'a>, E> {
                Ok(S(Cow::Borrowed(if v { "true" } else { "false" }), false))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<S<'a>, E> {
                Ok(S(Cow::Owned(v.to_string()), true))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<S<'a>, E> {
                Ok(S(Cow::Owned(v.to_string()), true))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<S<'a>, E> {
                Ok(S(Cow::Owned(v.to_string()), true))
            }
            fn visit_unit<E: de::Error>(self) -> Result<S<'a>, E> {
                Ok(S(Cow::Borrowed(""), false))
            }
            fn visit_none<E: de::Error>(self) -> Result<S<'a>, E> {
                Ok(S(Cow::Borrowed(""), false))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S<'a>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(S(Cow::Borrowed(""), false))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<S<'a>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(S(Cow::Borrowed(""), false))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A tolerant nested object: the object itself, an object written as a JSON string, or other.
#[derive(Debug)]
pub enum Obj<'a, T> {
    Map(T),
    Str(Cow<'a, str>),
    Other,
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Obj<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a, T>(PhantomData<(&'a (), T)>);
        impl<'de: 'a, 'a, T: Deserialize<'de>> Visitor<'de> for V<'a, T> {
            type Value = Obj<'a, T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Obj::Map)
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Obj::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Obj::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Obj::Str(Cow::Owned(v)))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Obj::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Obj::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Obj::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Obj::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Obj::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Obj::Other)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Deserializes from anything (even null) as "present".
#[derive(Debug, Default, Clone, Copy)]
pub struct Present(pub bool);

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(d).map(|_| Present(true))
    }
}

#[derive(Deserialize, Debug, Default)]
pub struct Issuer<'a> {
    #[serde(borrow, rename = "userName")]
    user_name: Option<S<'a>>,
    #[serde(borrow)]
    arn: Option<S<'a>>,
}

#[derive(Deserialize, Debug, Default)]
pub struct SessionContext<'a> {
    #[serde(borrow, rename = "sessionIssuer")]
    session_issuer: Option<Obj<'a, Issuer<'a>>>,
}

#[derive(Deserialize, Debug, Default)]
pub struct UserIdentity<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<S<'a>>,
    #[serde(borrow, rename = "userName")]
    user_name: Option<S<'a>>,
    #[serde(borrow)]
    arn: Option<S<'a>>,
    #[serde(borrow, rename = "accountId")]
    account_id: Option<S<'a>>,
    #[serde(borrow, rename = "principalId")]
    principal_id: Option<S<'a>>,
    #[serde(borrow, rename = "invokedBy")]
    invoked_by: Option<S<'a>>,
    #[serde(borrow, rename = "accessKeyId")]
    access_key_id: Option<S<'a>>,
    #[serde(borrow, rename = "sessionContext")]
    session_context: Option<Obj<'a, SessionContext<'a>>>,
}

#[derive(Deserialize, Debug, Default)]
pub struct Insight<'a> {
    #[serde(borrow, rename = "eventName")]
    event_name: Option<S<'a>>,
    #[serde(borrow, rename = "eventSource")]
    event_source: Option<S<'a>>,
}

/// The typed view of a record: only what the store indexes, plus markers to classify it.
#[derive(Deserialize, Debug, Default)]
pub struct Ev<'a> {
    #[serde(borrow, rename = "eventVersion")]
    event_version: Option<S<'a>>,
    #[serde(borrow, rename = "eventTime")]
    event_time: Option<S<'a>>,
    #[serde(borrow, rename = "eventSource")]
    event_source: Option<S<'a>>,
    #[serde(borrow, rename = "eventName")]
    event_name: Option<S<'a>>,
    #[serde(borrow, rename = "awsRegion")]
    aws_region: Option<S<'a>>,
    #[serde(borrow, rename = "recipientAccountId")]
    recipient_account_id: Option<S<'a>>,
    #[serde(borrow, rename = "sourceIPAddress")]
    source_ip: Option<S<'a>>,
    #[serde(borrow, rename = "errorCode")]
    error_code: Option<S<'a>>,
    #[serde(borrow, rename = "userAgent")]
    user_agent: Option<S<'a>>,
    #[serde(borrow, rename = "eventType")]
    event_type: Option<S<'a>>,
    #[serde(borrow, rename = "eventCategory")]
    event_category: Option<S<'a>>,
    #[serde(borrow, rename = "readOnly")]
    read_only: Option<S<'a>>,
    #[serde(borrow, rename = "eventID")]
    event_id: Option<S<'a>>,
    #[serde(borrow, rename = "userIdentity")]
    user_identity: Option<Obj<'a, UserIdentity<'a>>>,
    #[serde(borrow, rename = "insightDetails")]
    insight_details: Option<Obj<'a, Insight<'a>>>,
    #[serde(borrow, rename = "@timestamp")]
    at_timestamp: Option<S<'a>>,
    #[serde(borrow)]
    p_event_time: Option<S<'a>>,
    #[serde(borrow, rename = "_time")]
    cribl_time: Option<S<'a>>,
    #[serde(borrow)]
    timestamp: Option<S<'a>>,
    #[serde(borrow)]
    time: Option<S<'a>>,
    #[serde(default, rename = "logFiles")]
    log_files: Present,
    #[serde(default, rename = "digestStartTime")]
    digest_start: Present,
    #[serde(default, rename = "digestEndTime")]
    digest_end: Present,
    #[serde(default, rename = "digestS3Object")]
    digest_object: Present,
}

/// How a record was classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Event,
    Digest,
    Other,
}

impl Ev<'_> {
    pub fn kind(&self) -> Kind {
        let n = [
            self.event_version.is_some(),
            self.event_time.is_some(),
            self.event_source.is_some(),
            self.event_name.is_some(),
            self.event_id.is_some(),
            self.event_type.is_some(),
            self.user_identity.is_some(),
            self.aws_region.is_some(),
            self.recipient_account_id.is_some(),
            self.insight_details.is_some(),
        ]
        .iter()
        .filter(|&&b| b)
        .count();
        if self.log_files.0 && (self.digest_start.0 || self.digest_end.0 || self.digest_object.0) {
            Kind::Digest
        } else if n >= 2 || self.event_name.is_some() || self.event_source.is_some() {
            Kind::Event
        } else {
            Kind::Other
        }
    }
}

/// Where a record's time came from.
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
        let mut f = Fields {
            values: Default::default(),
            time_ms: None,
            time_from: TimeFrom::Missing,
            bad_event_time: false,
        };
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
        put(&mut f, Column::Service, self.event_source);
        put(&mut f, Column::Action, self.event_name);
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
        put(&mut f, Column::Region, self.aws_region);
        put(&mut f, Column::Account, self.recipient_account_id);
        put(&mut f, Column::SourceIp, self.source_ip);
        put(&mut f, Column::ErrorCode, self.error_code);
        put(&mut f, Column::UserAgent, self.user_agent);
        put(&mut f, Column::EventType, self.event_type);
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
            }
            _ => {}
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

fn identity<'a>(f: &mut Fields<'a>, ui: UserIdentity<'a>) {
    let issuer_name = match ui.session_context {
        Some(Obj::Map(sc)) => match sc.session_issuer {
            Some(Obj::Map(i)) => nonempty(i.user_name),
            _ => None,
        },
        _ => None,
    };
    let arn_tail = ui.arn.as_ref().and_then(|a| {
        let tail_of = |a: &str| a.rfind(['/', ':']).map(|i| i + 1).filter(|&i| i < a.len());
        match &a.0 {
            Cow::Borrowed(b) => {
                tail_of(b).and_then(|i| b.get(i..)).map(|t| S(Cow::Borrowed(t), false))
            }
            Cow::Owned(o) => {
                tail_of(o).and_then(|i| o.get(i..)).map(|t| S(Cow::Owned(t.to_owned()), false))
            }
        }
    });
    let user = nonempty(ui.user_name)
        .or(issuer_name)
        .or(arn_tail)
        .or(nonempty(ui.principal_id))
        .or(nonempty(ui.invoked_by));
    put(f, Column::User, user);
    put(f, Column::Arn, ui.arn);
    put(f, Column::Account, ui.account_id);
    put(f, Column::IdentityType, ui.kind);
    put(f, Column::AccessKey, ui.access_key_id);
}

impl Fields<'_> {
    pub fn get(&self, c: Column) -> &str {
        self.values.get(c.index()).map_or("", |v| v)
    }
}

/// Typed parse of one record's bytes.
pub fn parse(bytes: &[u8]) -> Result<Ev<'_>, serde_json::Error> {
    serde_json::from_slice(bytes)
}

/// Typed parse of one record's already validated text (serde_json skips UTF-8 checks).
pub fn parse_str(text: &str) -> Result<Ev<'_>, serde_json::Error> {
    serde_json::from_str(text)
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
    let f = ev.fields();
    Ok(Some((
        kind,
        Fields {
            values: f.values.map(|c| Cow::Owned(c.into_owned())),
            time_ms: f.time_ms,
            time_from: f.time_from,
            bad_event_time: f.bad_event_time,
        },
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerant_types() {
        let j = br#"{"eventTime":"2020-01-10 16:06:40","eventSource":"s3.amazonaws.com","eventName":{"x":1},
            "readOnly":"TRUE","awsRegion":5,"userIdentity":"{\"type\":\"Root\",\"arn\":\"arn:aws:iam::1:root\"}",
            "requestParameters":{"a":[1,2,{"b":null}]},"errorCode":null}"#;
        let ev = parse(j).ok().unwrap_or_default();
        assert_eq!(ev.kind(), Kind::Event);
        let f = ev.fields();
        assert_eq!(f.get(Column::Service), "s3.amazonaws.com");
        assert_eq!(f.get(Column::Action), "");
        assert_eq!(f.get(Column::ReadOnly), "true");
        assert_eq!(f.get(Column::Region), "5");
        assert_eq!(f.get(Column::IdentityType), "Root");
        assert_eq!(f.get(Column::User), "root");
        assert_eq!(f.get(Column::Category), "Management");
        assert_eq!(f.time_ms, Some(1_578_672_400_000));
    }

    #[test]
    fn duplicate_keys_need_lenient() {
        let j = br#"{"eventName":"A","eventName":"B","eventSource":"x"}"#;
        assert!(parse(j).is_err());
        let (k, f) = parse_lenient(j).ok().flatten().unwrap_or((
            Kind::Other,
            Fields {
                values: Default::default(),
                time_ms: None,
                time_from: TimeFrom::Missing,
                bad_event_time: false,
            },
        ));
        assert_eq!(k, Kind::Event);
        assert_eq!(f.get(Column::Action), "B");
    }
}
