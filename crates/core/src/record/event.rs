//! The typed view of a record ([`Ev`]): only what the store indexes, plus the markers that
//! classify it ([`Ev::kind`]). Both the fast path and serde's derive fill it; every other key is
//! skipped without building anything.

use serde::Deserialize;

use super::tolerant::{Obj, Present, S};

#[derive(Deserialize, Debug, Default)]
pub struct Issuer<'a> {
    #[serde(borrow, rename = "userName")]
    pub(super) user_name: Option<S<'a>>,
    #[serde(borrow)]
    pub(super) arn: Option<S<'a>>,
}

#[derive(Deserialize, Debug, Default)]
pub struct SessionContext<'a> {
    #[serde(borrow, rename = "sessionIssuer")]
    pub(super) session_issuer: Option<Obj<'a, Issuer<'a>>>,
}

#[derive(Deserialize, Debug, Default)]
pub struct UserIdentity<'a> {
    #[serde(borrow, rename = "type")]
    pub(super) kind: Option<S<'a>>,
    #[serde(borrow, rename = "userName")]
    pub(super) user_name: Option<S<'a>>,
    #[serde(borrow)]
    pub(super) arn: Option<S<'a>>,
    #[serde(borrow, rename = "accountId")]
    pub(super) account_id: Option<S<'a>>,
    #[serde(borrow, rename = "principalId")]
    pub(super) principal_id: Option<S<'a>>,
    #[serde(borrow, rename = "invokedBy")]
    pub(super) invoked_by: Option<S<'a>>,
    #[serde(borrow, rename = "accessKeyId")]
    pub(super) access_key_id: Option<S<'a>>,
    #[serde(borrow, rename = "sessionContext")]
    pub(super) session_context: Option<Obj<'a, SessionContext<'a>>>,
}

#[derive(Deserialize, Debug, Default)]
pub struct Insight<'a> {
    #[serde(borrow, rename = "eventName")]
    pub(super) event_name: Option<S<'a>>,
    #[serde(borrow, rename = "eventSource")]
    pub(super) event_source: Option<S<'a>>,
}

/// The typed view of a record: only what the store indexes, plus markers to classify it.
#[derive(Deserialize, Debug, Default)]
pub struct Ev<'a> {
    #[serde(borrow, rename = "eventVersion")]
    pub(super) event_version: Option<S<'a>>,
    #[serde(borrow, rename = "eventTime")]
    pub(super) event_time: Option<S<'a>>,
    #[serde(borrow, rename = "eventSource")]
    pub(super) event_source: Option<S<'a>>,
    #[serde(borrow, rename = "eventName")]
    pub(super) event_name: Option<S<'a>>,
    #[serde(borrow, rename = "awsRegion")]
    pub(super) aws_region: Option<S<'a>>,
    #[serde(borrow, rename = "recipientAccountId")]
    pub(super) recipient_account_id: Option<S<'a>>,
    #[serde(borrow, rename = "sourceIPAddress")]
    pub(super) source_ip: Option<S<'a>>,
    #[serde(borrow, rename = "errorCode")]
    pub(super) error_code: Option<S<'a>>,
    #[serde(borrow, rename = "userAgent")]
    pub(super) user_agent: Option<S<'a>>,
    #[serde(borrow, rename = "eventType")]
    pub(super) event_type: Option<S<'a>>,
    #[serde(borrow, rename = "eventCategory")]
    pub(super) event_category: Option<S<'a>>,
    #[serde(borrow, rename = "readOnly")]
    pub(super) read_only: Option<S<'a>>,
    #[serde(borrow, rename = "eventID")]
    pub(super) event_id: Option<S<'a>>,
    #[serde(borrow, rename = "userIdentity")]
    pub(super) user_identity: Option<Obj<'a, UserIdentity<'a>>>,
    #[serde(borrow, rename = "insightDetails")]
    pub(super) insight_details: Option<Obj<'a, Insight<'a>>>,
    #[serde(borrow, rename = "@timestamp")]
    pub(super) at_timestamp: Option<S<'a>>,
    #[serde(borrow)]
    pub(super) p_event_time: Option<S<'a>>,
    #[serde(borrow, rename = "_time")]
    pub(super) cribl_time: Option<S<'a>>,
    #[serde(borrow)]
    pub(super) timestamp: Option<S<'a>>,
    #[serde(borrow)]
    pub(super) time: Option<S<'a>>,
    #[serde(default, rename = "logFiles")]
    pub(super) log_files: Present,
    #[serde(default, rename = "digestStartTime")]
    pub(super) digest_start: Present,
    #[serde(default, rename = "digestEndTime")]
    pub(super) digest_end: Present,
    #[serde(default, rename = "digestS3Object")]
    pub(super) digest_object: Present,
    /// Keys of a SIEM document that may hold the original event as text (Splunk's `_raw`, a
    /// `message`, ECS's `event.original`): when one does, the reader reads that event instead
    /// of this object's own (normalized) fields (`read/shape.rs`). CloudTrail records have none.
    #[serde(default, rename = "_raw")]
    pub(super) raw_text: Present,
    #[serde(default)]
    pub(super) message: Present,
    #[serde(default)]
    pub(super) event: Present,
    /// An OCSF record's class ([`super::ocsf`]).
    #[serde(borrow)]
    pub(super) class_uid: Option<S<'a>>,
}

/// How a record was classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Event,
    /// An OCSF record of a class Security Lake writes for CloudTrail (`record/ocsf.rs`).
    Ocsf,
    Digest,
    Other,
}

impl Ev<'_> {
    /// An object is an event only when it says what was called (`eventName` or `eventSource`)
    /// or is an Insight record (`insightDetails`). Other CloudTrail-looking keys are not enough:
    /// SIEM documents and OCSF records carry `userIdentity`, `recipientAccountId`,
    /// `eventType`… in normalized copies beside the original, and counting those as events
    /// invented events with no time, service or action (issue 15).
    pub fn kind(&self) -> Kind {
        if self.log_files.0 && (self.digest_start.0 || self.digest_end.0 || self.digest_object.0) {
            Kind::Digest
        } else if self.event_name.is_some()
            || self.event_source.is_some()
            || self.insight_details.is_some()
        {
            Kind::Event
        } else if self
            .class_uid
            .as_ref()
            .is_some_and(|c| super::ocsf::CLASSES.contains(&c.as_str()))
        {
            Kind::Ocsf
        } else {
            Kind::Other
        }
    }

    /// Whether the object has a key that may hold its original event as text (`_raw`,
    /// `message`, `event`): the reader then looks there first.
    pub fn may_hold_original(&self) -> bool {
        self.raw_text.0 || self.message.0 || self.event.0
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
