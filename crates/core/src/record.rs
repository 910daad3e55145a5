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
//!
//! The modules: `tolerant` field types, the `event` struct and its classification, and the
//! `fields` it yields; `fast` is the hand-written parser that fills the same struct.

mod event;
pub(crate) mod fast;
#[cfg(test)]
pub(crate) mod fast_tests;
mod fields;
// OCSF records (Security Lake) read into CloudTrail's columns.
pub(crate) mod lex;
mod ocsf;
mod tolerant;

pub use event::{parse, parse_str, Ev, Insight, Issuer, Kind, SessionContext, UserIdentity};
pub use fields::{parse_lenient, Fields, TimeFrom};
pub use ocsf::ocsf_fields;
pub use tolerant::{Obj, Present, S};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Column;

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
        let (k, f) = parse_lenient(j).ok().flatten().unwrap_or((Kind::Other, Fields::empty()));
        assert_eq!(k, Kind::Event);
        assert_eq!(f.get(Column::Action), "B");
    }
}
