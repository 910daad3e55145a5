//! SIEM documents that keep the original CloudTrail event as text beside their own normalized
//! copy of it: Elastic's ECS (`event.original`), Splunk (`_raw`), CloudWatch Logs and many
//! forwarders (`message`). The original is the event, read once; the copies (ECS's
//! `aws.cloudtrail.*`, a vendor's `action.properties` with `userIdentity`…) never add one.

use crate::scan::{key_is, value_end, ObjectIter};

use super::reader::Reader;

/// Whether the value at `doc[s..e]` is a string that names an event's keys (`eventName`,
/// `eventSource`, `insightDetails`): a text that may be the original event.
fn names_event_keys(doc: &[u8], s: usize, e: usize) -> bool {
    let Some(text) = doc.get(s..e).filter(|t| t.first() == Some(&b'"')) else { return false };
    ["eventName", "eventSource", "insightDetails"]
        .iter()
        .any(|k| memchr::memmem::find(text, k.as_bytes()).is_some())
}

impl Reader<'_, '_> {
    /// The spans of the strings that may hold the original event in the object at `s` (see
    /// `Reader::read_originals`).
    pub(super) fn original_texts(&mut self, doc: &[u8], s: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut it = ObjectIter::new(s);
        while let Ok(Some((ks, ke, vs))) = it.next(doc) {
            let Ok((ve, _)) = value_end(doc, vs, &mut self.stack) else { break };
            let holder = ["message", "_raw", "original"].iter().any(|k| key_is(doc, ks, ke, k));
            if holder && names_event_keys(doc, vs, ve) {
                out.push((vs, ve));
            } else if key_is(doc, ks, ke, "event") && doc.get(vs) == Some(&b'{') {
                let mut inner = ObjectIter::new(vs);
                while let Ok(Some((ks, ke, vs))) = inner.next(doc) {
                    let Ok((ve, _)) = value_end(doc, vs, &mut self.stack) else { break };
                    if key_is(doc, ks, ke, "original") && names_event_keys(doc, vs, ve) {
                        out.push((vs, ve));
                    }
                    inner.value_done(ve);
                }
            }
            it.value_done(ve);
        }
        out
    }
}
