//! The mapping tables, one per source: which column becomes which CloudTrail field. Kept apart
//! from the code so a source's table reads as its documentation.
//!
//! Where the names come from:
//! * CloudTrail (Athena, Lake): the record's own top-level fields (AWS's record contents page);
//!   Athena's CloudTrail table has the same names in lower case.
//! * Sentinel: the `AWSCloudTrail` table of Azure Monitor Logs (its column reference and the
//!   columns of the connector's data collection rule).
//! * Event history: AWS documents no header for the console's CSV download; these are the
//!   columns the console shows (Event name, Event time, User name, Event source, Resource type,
//!   Resource name, AWS access key, AWS region, Error code, Source IP address, Event ID,
//!   Read-only, Request ID…), matched without regard to case.
//! * ECS: the fields Elastic's AWS CloudTrail integration writes (`event.*`, `source.*`,
//!   `user_agent.original`, `cloud.*`, `user.*`, `aws.cloudtrail.*`).

use super::How::{Bool, Parsed, Text, Time};
use super::Rule;

const fn r(from: &'static str, to: &'static str, how: super::How) -> Rule {
    Rule { from, to, how }
}

/// CloudTrail's own top-level fields (Lake by these names, Athena in lower case).
pub(super) const CLOUDTRAIL: &[Rule] = &[
    r("eventVersion", "eventVersion", Text),
    r("userIdentity", "userIdentity", Parsed),
    r("eventTime", "eventTime", Time),
    r("eventSource", "eventSource", Text),
    r("eventName", "eventName", Text),
    r("awsRegion", "awsRegion", Text),
    r("sourceIPAddress", "sourceIPAddress", Text),
    r("userAgent", "userAgent", Text),
    r("errorCode", "errorCode", Text),
    r("errorMessage", "errorMessage", Text),
    r("requestParameters", "requestParameters", Parsed),
    r("responseElements", "responseElements", Parsed),
    r("additionalEventData", "additionalEventData", Parsed),
    r("requestID", "requestID", Text),
    r("eventID", "eventID", Text),
    r("resources", "resources", Parsed),
    r("eventType", "eventType", Text),
    r("apiVersion", "apiVersion", Text),
    r("readOnly", "readOnly", Bool),
    r("recipientAccountId", "recipientAccountId", Text),
    r("serviceEventDetails", "serviceEventDetails", Parsed),
    r("sharedEventID", "sharedEventID", Text),
    r("vpcEndpointId", "vpcEndpointId", Text),
    r("vpcEndpointAccountId", "vpcEndpointAccountId", Text),
    r("tlsDetails", "tlsDetails", Parsed),
    r("managementEvent", "managementEvent", Bool),
    r("eventCategory", "eventCategory", Text),
    r("sessionCredentialFromConsole", "sessionCredentialFromConsole", Text),
    r("edgeDeviceDetails", "edgeDeviceDetails", Parsed),
    r("insightDetails", "insightDetails", Parsed),
    r("addendum", "addendum", Parsed),
    r("eventContext", "eventContext", Parsed),
];

/// Microsoft Sentinel's `AWSCloudTrail` columns.
pub(super) const SENTINEL: &[Rule] = &[
    r("TimeGenerated", "eventTime", Time),
    r("EventVersion", "eventVersion", Text),
    r("EventSource", "eventSource", Text),
    r("EventName", "eventName", Text),
    r("EventTypeName", "eventType", Text),
    r("UserIdentityType", "userIdentity.type", Text),
    r("UserIdentityPrincipalid", "userIdentity.principalId", Text),
    r("UserIdentityArn", "userIdentity.arn", Text),
    r("UserIdentityAccountId", "userIdentity.accountId", Text),
    r("UserIdentityInvokedBy", "userIdentity.invokedBy", Text),
    r("UserIdentityAccessKeyId", "userIdentity.accessKeyId", Text),
    r("UserIdentityUserName", "userIdentity.userName", Text),
    r("SessionMfaAuthenticated", "userIdentity.sessionContext.attributes.mfaAuthenticated", Text),
    r("SessionCreationDate", "userIdentity.sessionContext.attributes.creationDate", Time),
    r("SessionIssuerType", "userIdentity.sessionContext.sessionIssuer.type", Text),
    r("SessionIssuerPrincipalId", "userIdentity.sessionContext.sessionIssuer.principalId", Text),
    r("SessionIssuerArn", "userIdentity.sessionContext.sessionIssuer.arn", Text),
    r("SessionIssuerAccountId", "userIdentity.sessionContext.sessionIssuer.accountId", Text),
    r("SessionIssuerUserName", "userIdentity.sessionContext.sessionIssuer.userName", Text),
    r("EC2RoleDelivery", "userIdentity.ec2RoleDelivery", Text),
    r("AWSRegion", "awsRegion", Text),
    r("SourceIpAddress", "sourceIPAddress", Text),
    r("UserAgent", "userAgent", Text),
    r("ErrorCode", "errorCode", Text),
    r("ErrorMessage", "errorMessage", Text),
    r("RequestParameters", "requestParameters", Parsed),
    r("ResponseElements", "responseElements", Parsed),
    r("AdditionalEventData", "additionalEventData", Parsed),
    r("AwsRequestId", "requestID", Text),
    r("AwsRequestId_", "requestID", Text),
    r("AwsEventId", "eventID", Text),
    r("Resources", "resources", Parsed),
    r("APIVersion", "apiVersion", Text),
    r("ReadOnly", "readOnly", Bool),
    r("RecipientAccountId", "recipientAccountId", Text),
    r("ServiceEventDetails", "serviceEventDetails", Parsed),
    r("SharedEventId", "sharedEventID", Text),
    r("VpcEndpointId", "vpcEndpointId", Text),
    r("ManagementEvent", "managementEvent", Bool),
    r("EventCategory", "eventCategory", Text),
    r("TlsVersion", "tlsDetails.tlsVersion", Text),
    r("CipherSuite", "tlsDetails.cipherSuite", Text),
    r("ClientProvidedHostHeader", "tlsDetails.clientProvidedHostHeader", Text),
];

/// The console's Event history CSV (see the module docs for where the names come from).
pub(super) const EVENT_HISTORY: &[Rule] = &[
    r("Event name", "eventName", Text),
    r("Event time", "eventTime", Time),
    r("Event source", "eventSource", Text),
    r("Event ID", "eventID", Text),
    r("User name", "userIdentity.userName", Text),
    r("AWS access key", "userIdentity.accessKeyId", Text),
    r("AWS region", "awsRegion", Text),
    r("Error code", "errorCode", Text),
    r("Error message", "errorMessage", Text),
    r("Source IP address", "sourceIPAddress", Text),
    r("User agent", "userAgent", Text),
    r("Read-only", "readOnly", Bool),
    r("Request ID", "requestID", Text),
    r("Event type", "eventType", Text),
    r("Event category", "eventCategory", Text),
    r("Resource type", "resources[].type", Text),
    r("Resource name", "resources[].ARN", Text),
];

/// Elastic Common Schema, as Elastic's AWS CloudTrail integration writes it.
pub(super) const ECS: &[Rule] = &[
    r("@timestamp", "eventTime", Time),
    r("event.action", "eventName", Text),
    r("event.provider", "eventSource", Text),
    r("event.id", "eventID", Text),
    r("aws.cloudtrail.event_version", "eventVersion", Text),
    r("aws.cloudtrail.event_type", "eventType", Text),
    r("aws.cloudtrail.event_category", "eventCategory", Text),
    r("aws.cloudtrail.recipient_account_id", "recipientAccountId", Text),
    r("cloud.account.id", "recipientAccountId", Text),
    r("cloud.account.id", "userIdentity.accountId", Text),
    r("cloud.region", "awsRegion", Text),
    r("source.address", "sourceIPAddress", Text),
    r("source.ip", "sourceIPAddress", Text),
    r("user_agent.original", "userAgent", Text),
    r("aws.cloudtrail.user_identity.type", "userIdentity.type", Text),
    r("aws.cloudtrail.user_identity.arn", "userIdentity.arn", Text),
    r("aws.cloudtrail.user_identity.access_key_id", "userIdentity.accessKeyId", Text),
    r("aws.cloudtrail.user_identity.invoked_by", "userIdentity.invokedBy", Text),
    r("user.id", "userIdentity.principalId", Text),
    r("user.name", "userIdentity.userName", Text),
    r(
        "aws.cloudtrail.user_identity.session_context.mfa_authenticated",
        "userIdentity.sessionContext.attributes.mfaAuthenticated",
        Text,
    ),
    r(
        "aws.cloudtrail.user_identity.session_context.creation_date",
        "userIdentity.sessionContext.attributes.creationDate",
        Time,
    ),
    r(
        "aws.cloudtrail.user_identity.session_context.session_issuer.type",
        "userIdentity.sessionContext.sessionIssuer.type",
        Text,
    ),
    r(
        "aws.cloudtrail.user_identity.session_context.session_issuer.principal_id",
        "userIdentity.sessionContext.sessionIssuer.principalId",
        Text,
    ),
    r(
        "aws.cloudtrail.user_identity.session_context.session_issuer.arn",
        "userIdentity.sessionContext.sessionIssuer.arn",
        Text,
    ),
    r(
        "aws.cloudtrail.user_identity.session_context.session_issuer.account_id",
        "userIdentity.sessionContext.sessionIssuer.accountId",
        Text,
    ),
    r("role.name", "userIdentity.sessionContext.sessionIssuer.userName", Text),
    r("aws.cloudtrail.error_code", "errorCode", Text),
    r("aws.cloudtrail.error_message", "errorMessage", Text),
    r("aws.cloudtrail.request_id", "requestID", Text),
    r("aws.cloudtrail.read_only", "readOnly", Bool),
    r("aws.cloudtrail.api_version", "apiVersion", Text),
    r("aws.cloudtrail.management_event", "managementEvent", Bool),
    r("aws.cloudtrail.shared_event_id", "sharedEventID", Text),
    r("aws.cloudtrail.vpc_endpoint_id", "vpcEndpointId", Text),
    r("aws.cloudtrail.flattened.request_parameters", "requestParameters", Parsed),
    r("aws.cloudtrail.request_parameters", "requestParameters", Parsed),
    r("aws.cloudtrail.flattened.response_elements", "responseElements", Parsed),
    r("aws.cloudtrail.response_elements", "responseElements", Parsed),
    r("aws.cloudtrail.flattened.additional_eventdata", "additionalEventData", Parsed),
    r("aws.cloudtrail.additional_eventdata", "additionalEventData", Parsed),
    r("aws.cloudtrail.flattened.service_event_details", "serviceEventDetails", Parsed),
    r("aws.cloudtrail.service_event_details", "serviceEventDetails", Parsed),
    r("tls.version", "tlsDetails.tlsVersion", Text),
    r("tls.cipher", "tlsDetails.cipherSuite", Text),
    r("tls.client.server_name", "tlsDetails.clientProvidedHostHeader", Text),
];
