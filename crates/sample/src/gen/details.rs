//! Per-service request parameters, response elements and resources of a background event, and
//! the errors a call may fail with.
//!
//! One file per family of services, each filling the actions it knows; the rest get the
//! plain parameters of a read.

mod ec2;
mod identity;
mod s3;
mod services;

use super::Gen;
use crate::catalogue::*;
use crate::event::*;
use crate::json::*;

impl Gen<'_> {
    /// The 17 hex digits of an EC2 resource id (`i-…`, `sg-…`, `vol-…`), shared by the families.
    fn resource_hex(&mut self) -> String {
        chars(&mut self.rng, HEX, 17)
    }

    /// Fills requestParameters/responseElements/resources/additionalEventData for the action.
    pub(crate) fn details(&mut self, ev: &mut Ev, svc: &Svc, ctx: &Ctx<'_>, actor: &str) {
        let known = self.s3_details(ev, svc, ctx, actor)
            || self.ec2_details(ev, svc, ctx, actor)
            || self.identity_details(ev, svc, ctx, actor)
            || self.services_details(ev, svc, ctx, actor);
        if !known {
            ev.req =
                if self.rng.chance(0.5) { obj(vec![("maxResults", J::I(100))]) } else { J::Null };
        }
    }

    pub(crate) fn error_for(&mut self, ev: &Ev, arn: &str) -> (String, String) {
        let action = format!("{}:{}", ev.source.trim_end_matches(".amazonaws.com"), ev.name);
        let who = if arn.is_empty() { "anonymous".to_string() } else { arn.to_string() };
        let r = self.rng.below(10);
        match (ev.source, r) {
            (_, 0) => ("ThrottlingException".into(), "Rate exceeded".into()),
            ("ec2.amazonaws.com", 1..=6) => ("Client.UnauthorizedOperation".into(), "You are not authorized to perform this operation. User: ".to_string() + &who + " is not authorized to perform: " + &action + " because no identity-based policy allows the action. Encoded authorization failure message: " + &chars(&mut self.rng, ALNUM, 120)),
            ("ec2.amazonaws.com", _) => ("Client.InvalidInstanceID.NotFound".into(), format!("The instance ID 'i-{}' does not exist", chars(&mut self.rng, HEX, 17))),
            ("s3.amazonaws.com", 1..=5) => ("AccessDenied".into(), "Access Denied".into()),
            ("s3.amazonaws.com", 6 | 7) => ("NoSuchBucket".into(), "The specified bucket does not exist".into()),
            ("s3.amazonaws.com", _) => ("NoSuchKey".into(), "The specified key does not exist.".into()),
            ("iam.amazonaws.com", 8 | 9) => ("NoSuchEntityException".into(), "The user with name ghost-user cannot be found.".into()),
            ("iam.amazonaws.com", 7) => ("EntityAlreadyExistsException".into(), "Role with name orders-api-lambda-role already exists.".into()),
            ("kms.amazonaws.com" | "secretsmanager.amazonaws.com" | "dynamodb.amazonaws.com" | "lambda.amazonaws.com" | "ssm.amazonaws.com", 8) => ("ResourceNotFoundException".into(), "Requested resource not found".into()),
            ("kms.amazonaws.com" | "secretsmanager.amazonaws.com" | "dynamodb.amazonaws.com" | "lambda.amazonaws.com" | "ssm.amazonaws.com", 9) => ("ValidationException".into(), "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null".into()),
            ("kms.amazonaws.com" | "secretsmanager.amazonaws.com" | "dynamodb.amazonaws.com" | "lambda.amazonaws.com", _) => ("AccessDeniedException".into(), format!("User: {who} is not authorized to perform: {action} because no identity-based policy allows the {action} action")),
            _ => ("AccessDenied".into(), format!("User: {who} is not authorized to perform: {action} because no identity-based policy allows the {action} action")),
        }
    }
}
