//! The indexed columns: which CloudTrail fields the store keeps as interned string columns, by
//! a small `Copy` enum so column vectors and dictionaries are plain arrays indexed by it.

/// The indexed string columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Column {
    /// eventSource (insightDetails.eventSource for Insight events).
    Service,
    /// eventName, or insightDetails.eventName for Insight events.
    Action,
    /// awsRegion.
    Region,
    /// recipientAccountId, else userIdentity.accountId.
    Account,
    /// userName, else sessionIssuer.userName, else last part of the ARN, else principalId/invokedBy.
    User,
    /// userIdentity.arn.
    Arn,
    /// userIdentity.type.
    IdentityType,
    /// sourceIPAddress.
    SourceIp,
    /// errorCode.
    ErrorCode,
    /// userAgent.
    UserAgent,
    /// eventType.
    EventType,
    /// eventCategory; "Management" when absent, "Insight" for AwsCloudTrailInsight.
    Category,
    /// userIdentity.accessKeyId.
    AccessKey,
    /// readOnly normalized to "true"/"false"/"".
    ReadOnly,
}

pub(crate) const NCOLS: usize = 14;

impl Column {
    pub const ALL: [Column; NCOLS] = [
        Column::Service,
        Column::Action,
        Column::Region,
        Column::Account,
        Column::User,
        Column::Arn,
        Column::IdentityType,
        Column::SourceIp,
        Column::ErrorCode,
        Column::UserAgent,
        Column::EventType,
        Column::Category,
        Column::AccessKey,
        Column::ReadOnly,
    ];

    /// Short name, e.g. "service".
    pub fn name(self) -> &'static str {
        match self {
            Column::Service => "service",
            Column::Action => "action",
            Column::Region => "region",
            Column::Account => "account",
            Column::User => "user",
            Column::Arn => "arn",
            Column::IdentityType => "identity_type",
            Column::SourceIp => "source_ip",
            Column::ErrorCode => "error_code",
            Column::UserAgent => "user_agent",
            Column::EventType => "event_type",
            Column::Category => "category",
            Column::AccessKey => "access_key",
            Column::ReadOnly => "read_only",
        }
    }

    /// Column by its short name.
    pub fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }

    pub(crate) const fn index(self) -> usize {
        self as usize
    }
}
