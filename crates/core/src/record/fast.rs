//! The hand-written fast path for one record: a single pass over an object that validates its
//! JSON (strings, escapes, numbers, literals, nesting) and fills the same [`Ev`] that serde's
//! derive would, so [`Ev::kind`] and [`Ev::fields`] run unchanged on either result.
//!
//! The contract is one-sided: when [`parse_into`] returns `Some(end)`, serde_json's typed
//! stream parse of the same text succeeds, ends at the same byte and yields an equal `Ev`
//! (`src/record/fast_tests.rs` checks this at every `{` of the shared corpus, of synthetic data, of
//! hand-made edge cases and of thousands of mutated records, and that stores read with and
//! without the fast path are identical; rerun it when serde_json is upgraded). Anything
//! this code does not handle the way serde does returns `None` and the caller takes the serde
//! path, so semantics never depend on which path ran. Extracted string values with escapes
//! are decoded as serde decodes them. `None` is returned for: any escape in a key at a struct
//! level, a `\u` escape of a UTF-16 surrogate in an extracted value (serde checks the pairing),
//! a number, object or array where a scalar field is extracted, a string (an object written as
//! JSON text) or any other non-object where `userIdentity`/`sessionContext`/`sessionIssuer`/
//! `insightDetails` is expected, a duplicate known key, nesting deeper than [`MAX_DEPTH`](super::lex::MAX_DEPTH), and
//! every JSON error (serde then reports it).
//!
//! What serde skips (`IgnoredAny`) is validated as serde_json's `ignore_value` does: any JSON
//! value, `\u` escapes checked for four hex digits only, no depth limit there (this code stops
//! at [`MAX_DEPTH`](super::lex::MAX_DEPTH) and leaves deeper records to serde). The text is already valid UTF-8, so
//! bytes ≥ 0x80 need no check; control characters (< 0x20) inside strings are errors.
//!
//! Strings are scanned 8 bytes at a time (SWAR): one word tells whether it holds a `"`, a `\`
//! or a control character, and where the first one is.

use std::borrow::Cow;

use super::{Ev, Insight, Issuer, Obj, Present, SessionContext, UserIdentity, S};

use super::lex::Lex as P;

/// Which fields a struct level has seen (serde rejects a known key given twice).
#[derive(Default)]
struct Seen(u32);

impl Seen {
    #[inline(always)]
    fn first(&mut self, bit: u32) -> Option<()> {
        let m = 1u32 << bit;
        if self.0 & m != 0 {
            return None;
        }
        self.0 |= m;
        Some(())
    }
}

impl<'a> P<'a> {
    /// At `{` of a struct level: calls `member(self, key)` with `self.i` at each value's first
    /// byte; `member` consumes the value. Keys with escapes are left to serde.
    #[inline(always)]
    fn members(&mut self, mut member: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        if !self.open(b'}')? {
            return Some(());
        }
        loop {
            let key = self.key()?.as_bytes();
            member(self, key)?;
            if !self.more(b'}')? {
                return Some(());
            }
        }
    }

    /// An `Option<S>` field: a string without escapes, `true`/`false`, or null (`None`).
    #[inline(always)]
    fn scalar(&mut self) -> Option<Option<S<'a>>> {
        match self.peek()? {
            b'"' => Some(Some(S(self.value_string()?, false))),
            b't' => {
                self.literal(b"true")?;
                Some(Some(S(Cow::Borrowed("true"), false)))
            }
            b'f' => {
                self.literal(b"false")?;
                Some(Some(S(Cow::Borrowed("false"), false)))
            }
            b'n' => {
                self.literal(b"null")?;
                Some(None)
            }
            _ => None,
        }
    }

    /// An `Option<Obj<T>>` field: an object (parsed by `inner`) or null (`None`).
    #[inline(always)]
    fn object<T>(
        &mut self,
        inner: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<Obj<'a, T>>> {
        match self.peek()? {
            b'{' => Some(Some(Obj::Map(inner(self)?))),
            b'n' => {
                self.literal(b"null")?;
                Some(None)
            }
            _ => None,
        }
    }

    /// `Present`: any value.
    #[inline(always)]
    fn present(&mut self, depth: u32) -> Option<Present> {
        self.skip_value(depth)?;
        Some(Present(true))
    }

    /// The members named `keys` of an object, read as scalars (each at most once: a repeated key
    /// goes to serde), the others skipped.
    fn scalars<const N: usize>(
        &mut self,
        depth: u32,
        keys: [&[u8]; N],
    ) -> Option<[Option<S<'a>>; N]> {
        let mut out: [Option<S<'a>>; N] = std::array::from_fn(|_| None);
        let mut seen = Seen::default();
        self.members(|p, key| match keys.iter().position(|k| *k == key) {
            Some(i) => {
                seen.first(i as u32)?;
                *out.get_mut(i)? = p.scalar()?;
                Some(())
            }
            None => p.skip_value(depth + 1),
        })?;
        Some(out)
    }

    fn issuer(&mut self, depth: u32) -> Option<Issuer<'a>> {
        let [user_name, arn] = self.scalars(depth, [b"userName", b"arn"])?;
        Some(Issuer { user_name, arn })
    }

    fn session_context(&mut self, depth: u32) -> Option<SessionContext<'a>> {
        let mut v = SessionContext::default();
        let mut seen = Seen::default();
        self.members(|p, key| match key {
            b"sessionIssuer" => {
                seen.first(0)?;
                v.session_issuer = p.object(|p| p.issuer(depth + 1))?;
                Some(())
            }
            _ => p.skip_value(depth + 1),
        })?;
        Some(v)
    }

    fn user_identity(&mut self, depth: u32) -> Option<UserIdentity<'a>> {
        let mut v = UserIdentity::default();
        let mut seen = Seen::default();
        self.members(|p, key| {
            let (bit, slot) = match key {
                b"type" => (0, &mut v.kind),
                b"userName" => (1, &mut v.user_name),
                b"arn" => (2, &mut v.arn),
                b"accountId" => (3, &mut v.account_id),
                b"principalId" => (4, &mut v.principal_id),
                b"invokedBy" => (5, &mut v.invoked_by),
                b"accessKeyId" => (6, &mut v.access_key_id),
                b"sessionContext" => {
                    seen.first(7)?;
                    v.session_context = p.object(|p| p.session_context(depth + 1))?;
                    return Some(());
                }
                _ => return p.skip_value(depth + 1),
            };
            seen.first(bit)?;
            *slot = p.scalar()?;
            Some(())
        })?;
        Some(v)
    }

    fn insight(&mut self, depth: u32) -> Option<Insight<'a>> {
        let [event_name, event_source] = self.scalars(depth, [b"eventName", b"eventSource"])?;
        Some(Insight { event_name, event_source })
    }

    fn event(&mut self, v: &mut Ev<'a>) -> Option<()> {
        let mut seen = Seen::default();
        self.members(|p, key| {
            let Some(id) = event_key(key) else {
                return p.skip_value(2);
            };
            seen.first(id)?;
            let slot = match id {
                0 => &mut v.event_version,
                1 => &mut v.event_time,
                2 => &mut v.event_source,
                3 => &mut v.event_name,
                4 => &mut v.aws_region,
                5 => &mut v.recipient_account_id,
                6 => &mut v.source_ip,
                7 => &mut v.error_code,
                8 => &mut v.user_agent,
                9 => &mut v.event_type,
                10 => &mut v.event_category,
                11 => &mut v.read_only,
                12 => &mut v.event_id,
                13 => &mut v.at_timestamp,
                14 => &mut v.p_event_time,
                15 => &mut v.cribl_time,
                16 => &mut v.timestamp,
                17 => &mut v.time,
                18 => {
                    v.user_identity = p.object(|p| p.user_identity(2))?;
                    return Some(());
                }
                19 => {
                    v.insight_details = p.object(|p| p.insight(2))?;
                    return Some(());
                }
                20 => {
                    v.log_files = p.present(2)?;
                    return Some(());
                }
                21 => {
                    v.digest_start = p.present(2)?;
                    return Some(());
                }
                22 => {
                    v.digest_end = p.present(2)?;
                    return Some(());
                }
                23 => {
                    v.digest_object = p.present(2)?;
                    return Some(());
                }
                24 => {
                    v.raw_text = p.present(2)?;
                    return Some(());
                }
                25 => {
                    v.message = p.present(2)?;
                    return Some(());
                }
                26 => {
                    v.event = p.present(2)?;
                    return Some(());
                }
                _ => &mut v.class_uid,
            };
            *slot = p.scalar()?;
            Some(())
        })
    }
}

/// `k == lit`, compared as a fixed-size array (inline word compares, no `memcmp` call).
#[inline(always)]
fn eq<const N: usize>(k: &[u8], lit: &[u8; N]) -> bool {
    <&[u8; N]>::try_from(k).is_ok_and(|a| a == lit)
}

/// The id of a top-level key [`Ev`] reads (its bit in [`Seen`]), dispatched on the length.
#[inline(always)]
fn event_key(k: &[u8]) -> Option<u32> {
    match k.len() {
        4 => {
            if eq(k, b"time") {
                Some(17)
            } else {
                eq(k, b"_raw").then_some(24)
            }
        }
        5 => {
            if eq(k, b"_time") {
                Some(15)
            } else {
                eq(k, b"event").then_some(26)
            }
        }
        7 => {
            if eq(k, b"eventID") {
                Some(12)
            } else {
                eq(k, b"message").then_some(25)
            }
        }
        8 => {
            if eq(k, b"readOnly") {
                Some(11)
            } else {
                eq(k, b"logFiles").then_some(20)
            }
        }
        9 => {
            if eq(k, b"eventTime") {
                Some(1)
            } else if eq(k, b"eventName") {
                Some(3)
            } else if eq(k, b"awsRegion") {
                Some(4)
            } else if eq(k, b"userAgent") {
                Some(8)
            } else if eq(k, b"eventType") {
                Some(9)
            } else if eq(k, b"errorCode") {
                Some(7)
            } else if eq(k, b"class_uid") {
                Some(27)
            } else {
                eq(k, b"timestamp").then_some(16)
            }
        }
        10 => eq(k, b"@timestamp").then_some(13),
        11 => eq(k, b"eventSource").then_some(2),
        12 => {
            if eq(k, b"eventVersion") {
                Some(0)
            } else if eq(k, b"userIdentity") {
                Some(18)
            } else {
                eq(k, b"p_event_time").then_some(14)
            }
        }
        13 => {
            if eq(k, b"eventCategory") {
                Some(10)
            } else {
                eq(k, b"digestEndTime").then_some(22)
            }
        }
        14 => {
            if eq(k, b"insightDetails") {
                Some(19)
            } else {
                eq(k, b"digestS3Object").then_some(23)
            }
        }
        15 => {
            if eq(k, b"sourceIPAddress") {
                Some(6)
            } else {
                eq(k, b"digestStartTime").then_some(21)
            }
        }
        18 => eq(k, b"recipientAccountId").then_some(5),
        _ => None,
    }
}

/// The fast path for the object at `text[start..]` (which must start with `{`), read into `ev`
/// (a default `Ev`; filled in place, as the struct is large). Returns the offset just past
/// the closing brace and whether whitespace appeared between tokens (when it did not, the
/// record is already compact). `None`: use serde (`ev` is then partly filled; drop it).
#[inline]
pub fn parse_into<'a>(text: &'a str, start: usize, ev: &mut Ev<'a>) -> Option<(usize, bool)> {
    let mut p = P::new(text, start);
    if p.peek()? != b'{' {
        return None;
    }
    p.event(ev)?;
    Some((p.i, p.ws))
}

/// [`parse_into`] a fresh `Ev`.
#[cfg(test)]
pub fn parse(text: &str, start: usize) -> Option<(Ev<'_>, usize, bool)> {
    let mut ev = Ev::default();
    let (end, ws) = parse_into(text, start, &mut ev)?;
    Some((ev, end, ws))
}
