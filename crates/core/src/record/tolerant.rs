//! Tolerant field types for serde: CloudTrail and its exporters write the same field as a string,
//! a boolean, a number or null, and nested objects sometimes as JSON text. These accept all of
//! them without failing the record, and borrow from the input whenever serde lets them.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, value::MapAccessDeserializer, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::Deserialize;

/// A tolerant scalar: string, bool ("true"/"false"), number (its text) or null ("").
/// Objects and arrays are skipped and read as "".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S<'a>(pub Cow<'a, str>, pub bool);

impl S<'_> {
    pub(super) fn into_owned(self) -> S<'static> {
        S(Cow::Owned(self.0.into_owned()), self.1)
    }
    pub(super) fn as_str(&self) -> &str {
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
