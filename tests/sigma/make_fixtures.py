#!/usr/bin/env python3
"""Writes the Sigma rule fixtures of tests/sigma/ (run from anywhere; plain Python 3, no venv).

One fixture per shipped rule, `<rule-file-stem>.json` as `{"Records": [...]}`: events built by hand
from the rule's own fields, `match-*` events the rule must match and `miss-*` near misses it must
not (each the match event with one field changed, so exactly one condition of the rule fails).
The events are written here rather than by hand in JSON so that each is visibly "the CloudTrail
skeleton plus these fields", and a near miss visibly differs from its match in one field. For
each correlation rule, a burst that must fire (`match-*`) and one just under the threshold
(`miss-*`). Regenerate after editing: `python3 tests/sigma/make_fixtures.py`.
"""

from __future__ import annotations

import copy
import json
import os
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ACCOUNT = "111122223333"
T0 = datetime(2026, 3, 1, 10, 0, 0, tzinfo=timezone.utc)
DELETE = object()  # a value that removes the key

BASE = {
    "eventVersion": "1.09",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "AIDAEXAMPLEALICE",
        "arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
        "accountId": ACCOUNT,
        "accessKeyId": "AKIAEXAMPLEALICE",
        "userName": "alice",
    },
    "eventTime": "2026-03-01T10:00:00Z",
    "eventSource": "ec2.amazonaws.com",
    "eventName": "DescribeInstances",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "198.51.100.7",
    "userAgent": "aws-cli/2.15.30 Python/3.11.8 Linux/6.5 exe/x86_64",
    "requestParameters": None,
    "responseElements": None,
    "requestID": "00000000-0000-4000-8000-000000000000",
    "eventID": "",
    "readOnly": False,
    "eventType": "AwsApiCall",
    "managementEvent": True,
    "recipientAccountId": ACCOUNT,
    "eventCategory": "Management",
}

ROLE_IDENTITY = {
    "type": "AssumedRole",
    "principalId": "AROAEXAMPLEADMIN:bob",
    "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/Admin/bob",
    "accountId": ACCOUNT,
    "accessKeyId": "ASIAEXAMPLEBOB",
    "sessionContext": {
        "sessionIssuer": {
            "type": "Role",
            "principalId": "AROAEXAMPLEADMIN",
            "arn": f"arn:aws:iam::{ACCOUNT}:role/Admin",
            "accountId": ACCOUNT,
            "userName": "Admin",
        },
        "attributes": {"creationDate": "2026-03-01T09:00:00Z", "mfaAuthenticated": "false"},
    },
}


def put(event: dict, path: str, value: object) -> None:
    keys = path.split(".")
    node = event
    for k in keys[:-1]:
        if not isinstance(node.get(k), dict):
            node[k] = {}
        node = node[k]
    if value is DELETE:
        node.pop(keys[-1], None)
    else:
        node[keys[-1]] = copy.deepcopy(value)


def ev(eid: str, fields: dict, minutes: float = 0) -> dict:
    e = copy.deepcopy(BASE)
    e["eventID"] = eid
    e["requestID"] = f"req-{eid}"
    e["eventTime"] = (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for path, value in fields.items():
        put(e, path, value)
    return e


def fixture(match: list[dict], misses: list[dict]) -> list[dict]:
    """Events from field maps: `match` entries become match-1.., `misses` miss-1.. (each a map
    applied over the first match's map, so a miss is visibly its match with one field changed)."""
    out = [ev(f"match-{i + 1}", m) for i, m in enumerate(match)]
    for i, change in enumerate(misses):
        out.append(ev(f"miss-{i + 1}", {**match[0], **change}))
    return out


def src(service: str, name: str, **more: object) -> dict:
    return {"eventSource": f"{service}.amazonaws.com", "eventName": name, **more}


F: dict[str, list[dict]] = {}

# ---------------------------------------------------------------- SigmaHQ rules

F["aws_cloudtrail_bedrock_guardrail_deleted"] = fixture(
    [src("bedrock", "DeleteGuardrail", **{"requestParameters": {"guardrailIdentifier": "gr-1"}})],
    [{"eventName": "UpdateGuardrail"}, {"eventSource": "sagemaker.amazonaws.com"}],
)
F["aws_cloudtrail_bedrock_guardrail_updated"] = fixture(
    [src("bedrock", "UpdateGuardrail", **{"requestParameters": {"guardrailIdentifier": "gr-1"}})],
    [{"eventName": "GetGuardrail"}, {"eventSource": "sagemaker.amazonaws.com"}],
)
F["aws_cloudtrail_bucket_deleted"] = fixture(
    [
        src("s3", "DeleteBucket", **{"requestParameters": {"bucketName": "logs-prod"}}),
        src("s3", "DeleteBucket", errorCode="Success"),
        src("s3", "DeleteBucket", errorCode=None),
    ],
    [{"errorCode": "AccessDenied", "errorMessage": "Access Denied"}, {"eventName": "CreateBucket"}],
)
login = {
    "eventSource": "signin.amazonaws.com",
    "eventName": "ConsoleLogin",
    "eventType": "AwsConsoleSignIn",
    "readOnly": False,
    "requestParameters": None,
    "additionalEventData": {"LoginTo": "https://console.aws.amazon.com/", "MobileVersion": "No"},
}
F["aws_cloudtrail_console_login_failed_authentication"] = fixture(
    [
        {
            **login,
            "errorMessage": "Failed authentication",
            "responseElements": {"ConsoleLogin": "Failure"},
            "additionalEventData.MFAUsed": "No",
        }
    ],
    [{"errorMessage": "No username found in supplied account"}, {"eventName": "CheckMfa"}],
)
ok_login = {**login, "responseElements": {"ConsoleLogin": "Success"}}
F["aws_cloudtrail_console_login_success_without_mfa"] = fixture(
    [
        {**ok_login, "additionalEventData.MFAUsed": "NO"},
        # CloudTrail writes "No"; Sigma compares in any case.
        {**ok_login, "additionalEventData.MFAUsed": "No"},
    ],
    [
        {"additionalEventData.MFAUsed": "Yes"},
        {"responseElements": {"ConsoleLogin": "Failure"}},
        {"eventName": "SwitchRole"},
    ],
)
trail = {"requestParameters": {"name": "management-trail"}}
F["aws_cloudtrail_disable_logging"] = fixture(
    [
        src("cloudtrail", "StopLogging", **trail),
        src("cloudtrail", "UpdateTrail", **trail),
        src("cloudtrail", "DeleteTrail", **trail),
    ],
    [{"eventName": "StartLogging"}, {"eventSource": "cloudtrail-data.amazonaws.com"}],
)
F["aws_cloudtrail_guardduty_detector_deleted_or_updated"] = fixture(
    [
        src("guardduty", "DeleteDetector", **{"requestParameters": {"detectorId": "d-1"}}),
        # a JSON boolean: matched as its text `false`
        src("guardduty", "UpdateDetector", **{"requestParameters": {"detectorId": "d-1", "enable": False}}),
        src("guardduty", "DeleteDetector", errorCode="Success"),
    ],
    [
        {"errorCode": "AccessDenied"},
        {"eventSource": "securityhub.amazonaws.com"},
        {"eventName": "UpdateDetector", "requestParameters": {"detectorId": "d-1", "enable": True}},
    ],
)
F["aws_cloudtrail_imds_malicious_usage"] = fixture(
    [
        {
            "userIdentity": {
                **ROLE_IDENTITY,
                "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/aws:ec2-instance/i-0abc1234def567890",
            },
            "eventSource": "s3.amazonaws.com",
            "eventName": "ListBuckets",
        }
    ],
    [
        {"sourceIPAddress": "AWS Internal"},
        {"userIdentity.arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/Admin/bob"},
        {"eventSource": "ssm.amazonaws.com"},
        {"eventName": "RegisterManagedInstance"},
    ],
)
F["aws_cloudtrail_new_acl_entries"] = fixture(
    [src("ec2", "CreateNetworkAclEntry", **{"requestParameters": {"networkAclId": "acl-1", "ruleNumber": 100}})],
    [{"eventName": "DeleteNetworkAclEntry"}, {"eventSource": "network-firewall.amazonaws.com"}],
)
F["aws_cloudtrail_new_route_added"] = fixture(
    [src("ec2", "CreateRoute", **{"requestParameters": {"routeTableId": "rtb-1"}})],
    [{"eventName": "CreateRouteTable"}, {"eventSource": "route53.amazonaws.com"}],
)
F["aws_cloudtrail_pua_trufflehog"] = fixture(
    [src("sts", "GetCallerIdentity", userAgent="TruffleHog"), src("s3", "ListBuckets", userAgent="trufflehog")],
    [{"userAgent": "aws-cli/2.15.30"}, {"userAgent": "TruffleHog/3.63.2"}],
)
F["aws_cloudtrail_region_enabled"] = fixture(
    [src("account", "EnableRegion", **{"requestParameters": {"RegionName": "af-south-1"}})],
    [{"eventName": "DisableRegion"}, {"eventSource": "ec2.amazonaws.com"}],
)
F["aws_cloudtrail_security_group_change_ingress_egress"] = fixture(
    [
        src("ec2", "AuthorizeSecurityGroupIngress", **{"requestParameters": {"groupId": "sg-1"}}),
        src("ec2", "AuthorizeSecurityGroupEgress"),
        src("ec2", "RevokeSecurityGroupIngress"),
        src("ec2", "RevokeSecurityGroupEgress"),
    ],
    [{"eventName": "DescribeSecurityGroups"}, {"eventSource": "elasticloadbalancing.amazonaws.com"}],
)
F["aws_cloudtrail_security_group_change_loadbalancer"] = fixture(
    [
        src("elasticloadbalancing", "ApplySecurityGroupsToLoadBalancer"),
        src("elasticloadbalancing", "SetSecurityGroups"),
    ],
    [{"eventName": "SetSubnets"}, {"eventSource": "ec2.amazonaws.com"}],
)
F["aws_cloudtrail_security_group_change_rds"] = fixture(
    [
        src("rds", "CreateDBSecurityGroup"),
        src("rds", "AuthorizeDBSecurityGroupIngress"),
        src("rds", "DeleteDBSecurityGroup"),
        src("rds", "RevokeDBSecurityGroupIngress"),
    ],
    [{"eventName": "CreateDBInstance"}, {"eventSource": "ec2.amazonaws.com"}],
)
F["aws_cloudtrail_ssm_malicious_usage"] = fixture(
    [
        src("ssm", "SendCommand", **{"requestParameters": {"documentName": "AWS-RunShellScript"}}),
        src("ssm", "SendCommand", errorCode="Success"),
    ],
    [{"errorCode": "ThrottlingException"}, {"eventName": "GetCommandInvocation"}, {"eventSource": "ec2.amazonaws.com"}],
)
F["aws_cloudtrail_vpc_flow_logs_deleted"] = fixture(
    [src("ec2", "DeleteFlowLogs", **{"requestParameters": {"flowLogId": "fl-1"}}), src("ec2", "DeleteFlowLogs", errorCode="Success")],
    [{"errorCode": "Client.UnauthorizedOperation"}, {"eventName": "CreateFlowLogs"}],
)
F["aws_config_disable_recording"] = fixture(
    [src("config", "StopConfigurationRecorder"), src("config", "DeleteDeliveryChannel")],
    [{"eventName": "StartConfigurationRecorder"}, {"eventSource": "ec2.amazonaws.com"}],
)
F["aws_console_getsignintoken"] = fixture(
    [src("signin", "GetSigninToken", userAgent="Mozilla/5.0 (X11; Linux x86_64) Firefox/123.0")],
    [
        {"userAgent": "Jersey/${project.version} (HttpUrlConnection 17.0.2)"},
        {"eventName": "ConsoleLogin"},
        {"eventSource": "sts.amazonaws.com"},
    ],
)
F["aws_delete_identity"] = fixture(
    [src("ses", "DeleteIdentity", **{"requestParameters": {"identity": "ops@example.com"}})],
    [{"eventName": "VerifyEmailIdentity"}, {"eventSource": "sesv2.amazonaws.com"}],
)
F["aws_delete_saml_provider"] = fixture(
    # `status` is not a CloudTrail field: the rule matches only events that carry it.
    [src("iam", "DeleteSAMLProvider", status="success")],
    [{"status": DELETE}, {"status": "failure"}, {"eventName": "CreateSAMLProvider"}],
)
F["aws_disable_bucket_versioning"] = fixture(
    [
        src(
            "s3",
            "PutBucketVersioning",
            **{
                "requestParameters": {
                    "bucketName": "backups",
                    "VersioningConfiguration": {"Status": "Suspended", "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/"},
                    "versioning": "",
                }
            },
        )
    ],
    [{"requestParameters.VersioningConfiguration.Status": "Enabled"}, {"eventName": "GetBucketVersioning"}],
)
F["aws_ec2_disable_encryption"] = fixture(
    [src("ec2", "DisableEbsEncryptionByDefault")],
    [{"eventName": "EnableEbsEncryptionByDefault"}, {"eventSource": "kms.amazonaws.com"}],
)
F["aws_ec2_import_key_pair_activity"] = fixture(
    [src("ec2", "ImportKeyPair", **{"requestParameters": {"keyName": "k"}})],
    [{"eventName": "CreateKeyPair"}, {"eventSource": "lightsail.amazonaws.com"}],
)
F["aws_ec2_startup_script_change"] = fixture(
    [src("ec2", "ModifyInstanceAttribute", **{"requestParameters": {"instanceId": "i-1", "attribute": "userData"}})],
    [{"requestParameters.attribute": "instanceType"}, {"eventName": "DescribeInstanceAttribute"}],
)
export = src("ec2", "CreateInstanceExportTask", **{"responseElements": {"exportTask": {"state": "active"}}})
F["aws_ec2_vm_export_failure"] = fixture(
    [export],
    [
        {"errorMessage": "The instance cannot be exported"},
        {"errorCode": "InvalidParameter"},
        {"responseElements": {"exportTask": {"state": "Failure"}}},
        {"eventName": "DescribeExportTasks"},
    ],
)
creds_cmd = "curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
F["aws_ecs_task_definition_cred_endpoint_query"] = fixture(
    [
        src(
            "ecs",
            "RegisterTaskDefinition",
            **{"requestParameters": {"family": "t", "containerDefinitions": [{"name": "c", "command": [creds_cmd]}]}},
        ),
        # several values along the path (an array of three)
        src(
            "ecs",
            "RunTask",
            **{"requestParameters": {"containerDefinitions": [{"name": "c", "command": ["sh", "-c", creds_cmd]}]}},
        ),
        src("ecs", "DescribeTaskDefinition", **{"requestParameters": {"containerDefinitions": {"command": creds_cmd}}}),
    ],
    [
        {"requestParameters": {"family": "t", "containerDefinitions": [{"name": "c", "command": ["sleep 60"]}]}},
        # `_` is one literal character in Sigma, not a wildcard
        {"requestParameters": {"containerDefinitions": [{"command": ["curl $AWS-CONTAINER-CREDENTIALS-RELATIVE-URI"]}]}},
        {"eventName": "ListTaskDefinitions"},
    ],
)
F["aws_efs_fileshare_modified_or_deleted"] = fixture(
    [src("elasticfilesystem", "DeleteFileSystem")],
    [{"eventName": "CreateFileSystem"}, {"eventSource": "fsx.amazonaws.com"}],
)
F["aws_efs_fileshare_mount_modified_or_deleted"] = fixture(
    [src("elasticfilesystem", "DeleteMountTarget")],
    [{"eventName": "CreateMountTarget"}, {"eventSource": "fsx.amazonaws.com"}],
)
F["aws_eks_cluster_created_or_deleted"] = fixture(
    [src("eks", "CreateCluster"), src("eks", "DeleteCluster")],
    [{"eventName": "DescribeCluster"}, {"eventSource": "ecs.amazonaws.com"}],
)
F["aws_elasticache_security_group_created"] = fixture(
    [src("elasticache", "CreateCacheSecurityGroup")],
    [{"eventName": "CreateCacheCluster"}, {"eventSource": "rds.amazonaws.com"}],
)
F["aws_elasticache_security_group_modified_or_deleted"] = fixture(
    [src("elasticache", n) for n in [
        "DeleteCacheSecurityGroup",
        "AuthorizeCacheSecurityGroupIngress",
        "RevokeCacheSecurityGroupIngress",
        "AuthorizeCacheSecurityGroupEgress",
        "RevokeCacheSecurityGroupEgress",
    ]],
    [{"eventName": "CreateCacheSecurityGroup"}, {"eventSource": "rds.amazonaws.com"}],
)
F["aws_enum_buckets"] = fixture(
    [
        src("s3", "ListBuckets"),
        # userIdentity without `type` (seen in real logs): the filter does not match, so the rule does
        {**src("s3", "ListBuckets"), "userIdentity.type": DELETE},
    ],
    [{"userIdentity": ROLE_IDENTITY}, {"eventName": "ListObjects"}],
)
F["aws_guardduty_disruption"] = fixture(
    [src("guardduty", "CreateIPSet", **{"requestParameters": {"detectorId": "d-1", "format": "TXT"}})],
    [{"eventName": "CreateThreatIntelSet"}, {"eventSource": "waf.amazonaws.com"}],
)
F["aws_iam_backdoor_users_keys"] = fixture(
    [
        src("iam", "CreateAccessKey", **{"requestParameters": {"userName": "bob"}, "responseElements": {"accessKey": {"userName": "bob", "status": "Active"}}}),
        # A user making a key for itself: the rule's filter compares with the literal text
        # "responseElements.accessKey.userName" (no fieldref), so this matches too.
        src("iam", "CreateAccessKey", **{"responseElements": {"accessKey": {"userName": "alice"}}}),
    ],
    [
        {"eventName": "CreateUser"},
        {"userIdentity.arn": f"arn:aws:iam::{ACCOUNT}:user/responseElements.accessKey.userName"},
    ],
)
s3b = "S3 Browser 11.5.7 https://s3browser.com"
F["aws_iam_s3browser_loginprofile_creation"] = fixture(
    [src("iam", "CreateLoginProfile", userAgent=s3b), src("iam", "GetLoginProfile", userAgent=s3b)],
    [{"userAgent": "aws-cli/2.15.30"}, {"eventName": "DeleteLoginProfile"}, {"eventSource": "sts.amazonaws.com"}],
)
policy_obj = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::<YOUR-BUCKET-NAME>/*"}
    ],
}
F["aws_iam_s3browser_templated_s3_bucket_policy_creation"] = fixture(
    [
        # policyDocument as an object, so the compact JSON text of requestParameters holds the
        # quoted strings the rule's contains|all looks for.
        src(
            "iam",
            "PutUserPolicy",
            userAgent=s3b,
            **{"requestParameters": {"userName": "bob", "policyName": "s3", "policyDocument": policy_obj}},
        )
    ],
    [
        {"requestParameters.policyDocument.Statement": [{**policy_obj["Statement"][0], "Effect": "Deny"}]},
        {"requestParameters.policyDocument.Statement": [{**policy_obj["Statement"][0], "Resource": "arn:aws:s3:::real-bucket/*"}]},
        {"userAgent": "aws-cli/2.15.30"},
        # CloudTrail records policyDocument as a string holding JSON: its quotes are escaped in the
        # compact JSON text, so `"s3:GetObject"` is not in it.
        {"requestParameters.policyDocument": json.dumps(policy_obj)},
    ],
)
F["aws_iam_s3browser_user_or_accesskey_creation"] = fixture(
    [src("iam", "CreateUser", userAgent=s3b), src("iam", "CreateAccessKey", userAgent=s3b)],
    [{"userAgent": "console.amazonaws.com"}, {"eventName": "DeleteUser"}],
)
F["aws_kms_import_key_material"] = fixture(
    [src("kms", "ImportKeyMaterial"), src("kms", "DeleteImportedKeyMaterial")],
    [{"eventName": "GetParametersForImport"}, {"eventSource": "cloudhsm.amazonaws.com"}],
)
F["aws_lambda_function_url"] = fixture(
    [src("lambda", "CreateFunctionUrlConfig", **{"requestParameters": {"functionName": "f", "authType": "NONE"}})],
    [{"eventName": "UpdateFunctionUrlConfig"}, {"eventSource": "apigateway.amazonaws.com"}],
)
layer = f"arn:aws:lambda:us-east-1:{ACCOUNT}:layer:ext:1"
F["aws_new_lambda_layer_attached"] = fixture(
    [
        src("lambda", "UpdateFunctionConfiguration20150331v2", **{"requestParameters": {"functionName": "f", "layers": [layer]}}),
        src("lambda", "UpdateFunctionConfiguration", **{"requestParameters": {"layers": [layer, layer + "0"]}}),
    ],
    [
        {"requestParameters": {"functionName": "f", "timeout": 30}},
        {"eventName": "UpdateFunctionCode20150331v2"},
        {"eventSource": "ecs.amazonaws.com"},
    ],
)
F["aws_passed_role_to_glue_development_endpoint"] = fixture(
    [src("glue", n) for n in ["CreateDevEndpoint", "DeleteDevEndpoint", "UpdateDevEndpoint"]],
    [{"eventName": "GetDevEndpoint"}, {"eventSource": "sagemaker.amazonaws.com"}],
)
F["aws_rds_change_master_password"] = fixture(
    [src("rds", "ModifyDBInstance", **{"responseElements": {"dBInstanceIdentifier": "db1", "pendingModifiedValues": {"masterUserPassword": "****"}}})],
    [{"responseElements": {"dBInstanceIdentifier": "db1", "pendingModifiedValues": {"dBInstanceClass": "db.r6g.large"}}}, {"eventName": "ModifyDBCluster"}],
)
F["aws_rds_dbcluster_actions"] = fixture(
    [src("rds", "ModifyDBCluster"), src("rds", "DeleteDBCluster")],
    [{"eventName": "CreateDBCluster"}, {"eventSource": "docdb-elastic.amazonaws.com"}],
)
F["aws_rds_public_db_restore"] = fixture(
    [
        src("rds", "RestoreDBInstanceFromDBSnapshot", **{"responseElements": {"dBInstanceIdentifier": "db1", "publiclyAccessible": True}}),
        src("rds", "RestoreDBInstanceFromDBSnapshot", **{"responseElements": {"publiclyAccessible": "true"}}),
    ],
    [{"responseElements": {"dBInstanceIdentifier": "db1", "publiclyAccessible": False}}, {"eventName": "RestoreDBInstanceToPointInTime"}],
)
root_identity = {"type": "Root", "principalId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:root", "accountId": ACCOUNT}
F["aws_root_account_usage"] = fixture(
    [
        {"userIdentity": root_identity, "eventSource": "iam.amazonaws.com", "eventName": "CreateUser"},
        # no eventType at all: `not selection_eventtype` holds
        {"userIdentity": root_identity, "eventName": "ListBuckets", "eventType": DELETE},
    ],
    [{"eventType": "AwsServiceEvent"}, {"userIdentity": BASE["userIdentity"]}],
)
F["aws_route_53_domain_transferred_lock_disabled"] = fixture(
    [src("route53", "DisableDomainTransferLock", **{"requestParameters": {"domainName": "example.com"}})],
    [{"eventName": "EnableDomainTransferLock"}, {"eventSource": "route53domains.amazonaws.com"}],
)
F["aws_route_53_domain_transferred_to_another_account"] = fixture(
    [src("route53", "TransferDomainToAnotherAwsAccount", **{"requestParameters": {"domainName": "example.com", "accountId": "444455556666"}})],
    [{"eventName": "AcceptDomainTransferFromAnotherAwsAccount"}, {"eventSource": "route53domains.amazonaws.com"}],
)
F["aws_s3_data_management_tampering"] = fixture(
    [src("s3", n) for n in [
        "PutBucketLogging",
        "PutBucketWebsite",
        "PutEncryptionConfiguration",
        "PutLifecycleConfiguration",
        "PutReplicationConfiguration",
        "ReplicateObject",
        "RestoreObject",
    ]],
    [{"eventName": "GetBucketLogging"}, {"eventSource": "s3-outposts.amazonaws.com"}],
)
F["aws_securityhub_finding_evasion"] = fixture(
    [src("securityhub", n) for n in ["BatchUpdateFindings", "DeleteInsight", "UpdateFindings", "UpdateInsight"]],
    [{"eventName": "GetFindings"}, {"eventSource": "guardduty.amazonaws.com"}],
)
F["aws_snapshot_backup_exfiltration"] = fixture(
    [src("ec2", "ModifySnapshotAttribute", **{"requestParameters": {"snapshotId": "snap-1", "attributeType": "CREATE_VOLUME_PERMISSION"}})],
    [{"eventName": "DescribeSnapshotAttribute"}, {"eventSource": "rds.amazonaws.com"}],
)
F["aws_sso_idp_change"] = fixture(
    [
        src("sso-directory", "AssociateDirectory"),
        src("sso", "DisableExternalIdPConfigurationForDirectory"),
        src("sso", "DisassociateDirectory"),
        src("sso-directory", "EnableExternalIdPConfigurationForDirectory"),
    ],
    [{"eventSource": "identitystore.amazonaws.com"}, {"eventName": "DescribeDirectory"}],
)
F["aws_sts_assumerole_misuse"] = fixture(
    [{"userIdentity": ROLE_IDENTITY, "eventSource": "s3.amazonaws.com", "eventName": "ListBuckets"}],
    [
        {"userIdentity.sessionContext.sessionIssuer.type": "IAMUser"},
        {"userIdentity.type": "FederatedUser"},
    ],
)
F["aws_sts_getcalleridentity_trufflehog"] = fixture(
    [
        src("sts", "GetCallerIdentity", userAgent="TruffleHog"),
        src("sts", "GetCallerIdentity", userAgent="aws-sdk-go/1.50 (go1.22; linux; amd64) trufflehog/3.63.2"),
    ],
    [{"userAgent": "aws-cli/2.15.30"}, {"eventName": "GetAccessKeyInfo"}, {"eventSource": "iam.amazonaws.com"}],
)
F["aws_sts_getsessiontoken_misuse"] = fixture(
    [src("sts", "GetSessionToken", **{"requestParameters": {"durationSeconds": 3600}})],
    [{"userIdentity": ROLE_IDENTITY}, {"eventName": "GetFederationToken"}, {"eventSource": "iam.amazonaws.com"}],
)
F["aws_susp_saml_activity"] = fixture(
    [src("sts", "AssumeRoleWithSAML"), src("iam", "UpdateSAMLProvider")],
    [{"eventName": "UpdateSAMLProvider"}, {"eventName": "AssumeRoleWithWebIdentity"}, {"eventSource": "iam.amazonaws.com"}],
)
F["aws_update_login_profile"] = fixture(
    [
        src("iam", "UpdateLoginProfile", **{"requestParameters": {"userName": "bob"}}),
        # alice changing her own password: the ARN is not equal to the bare user name, so the
        # fieldref filter does not hold and the rule matches (as written)
        src("iam", "UpdateLoginProfile", **{"requestParameters": {"userName": "alice"}}),
    ],
    [
        {"requestParameters.userName": f"arn:aws:iam::{ACCOUNT}:user/alice"},
        {"eventName": "CreateLoginProfile"},
        {"eventSource": "sts.amazonaws.com"},
    ],
)

# ---------------------------------------------------------------- Trailglass findings


def names(service: str, *ns: str) -> list[dict]:
    return [src(service, n) for n in ns]


F["trailglass_logging"] = fixture(
    names("cloudtrail", "StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"),
    [{"eventName": "StartLogging"}, {"eventName": "GetEventSelectors"}],
)
F["trailglass_defenses"] = fixture(
    [
        src("guardduty", "DeleteDetector"),
        src("guardduty", "DisassociateFromMasterAccount"),
        src("guardduty", "UpdateDetector"),
        src("securityhub", "DisableSecurityHub"),
        src("config", "StopConfigurationRecorder"),
        src("config", "DeleteConfigurationRecorder"),
        src("config", "DeleteDeliveryChannel"),
        src("access-analyzer", "DeleteAnalyzer"),
        src("ec2", "DeleteFlowLogs"),
    ],
    [{"eventName": "CreateDetector"}, {"eventName": "EnableSecurityHub"}],
)
F["trailglass_root"] = fixture(
    [{"userIdentity": root_identity, "eventSource": "iam.amazonaws.com", "eventName": "CreateUser"}],
    [{"userIdentity.type": "IAMUser"}, {"userIdentity": ROLE_IDENTITY}],
)
F["trailglass_console_no_mfa"] = fixture(
    [{**ok_login, "additionalEventData.MFAUsed": "No"}],
    [{"additionalEventData.MFAUsed": "Yes"}, {"responseElements": {"ConsoleLogin": "Failure"}}, {"eventName": "CheckMfa"}],
)
F["trailglass_console_failed"] = fixture(
    [{**login, "responseElements": {"ConsoleLogin": "Failure"}, "errorMessage": "Failed authentication"}],
    [{"responseElements": {"ConsoleLogin": "Success"}}, {"eventName": "CheckMfa"}],
)
F["trailglass_credentials"] = fixture(
    names("iam", "CreateUser", "CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile"),
    [{"eventName": "DeleteUser"}, {"eventName": "CreateUserPool"}],
)
F["trailglass_permissions"] = fixture(
    [
        src("iam", "AttachUserPolicy"),
        src("iam", "AttachRolePolicy"),
        src("iam", "AttachGroupPolicy"),
        src("iam", "PutRolePolicy"),
        src("iam", "PutUserPolicy"),
        {"eventSource": "iam", "eventName": "PutGroupPolicy"},
        src("iam", "CreatePolicyVersion"),
        src("iam", "UpdateAssumeRolePolicy"),
        src("iam", "AddUserToGroup"),
        # Attach*Policy is not restricted to IAM
        src("organizations", "AttachPolicy"),
    ],
    [
        {"eventName": "DetachUserPolicy"},
        {"eventSource": "s3.amazonaws.com", "eventName": "PutBucketPolicy"},
        {"eventName": "GetUserPolicy"},
    ],
)
F["trailglass_public_data"] = fixture(
    [
        src("s3", "PutBucketPolicy"),
        src("s3", "PutBucketAcl"),
        src("s3", "DeleteBucketPublicAccessBlock"),
        src("s3", "DeletePublicAccessBlock"),
        src("s3", "PutBucketPublicAccessBlock"),
        src("ec2", "ModifySnapshotAttribute"),
        src("ec2", "ModifyImageAttribute"),
        src("rds", "ModifyDBSnapshotAttribute"),
    ],
    [{"eventName": "GetBucketPolicy"}, {"eventName": "PutBucketTagging"}],
)
F["trailglass_secrets"] = fixture(
    [src("secretsmanager", "GetSecretValue"), src("secretsmanager", "BatchGetSecretValue"), src("ec2", "GetPasswordData")],
    [{"eventName": "ListSecrets"}, {"eventName": "DescribeSecret"}],
)
F["trailglass_network"] = fixture(
    [src("ec2", "AuthorizeSecurityGroupIngress"), src("ec2", "CreateKeyPair"), src("ec2", "ImportKeyPair")],
    [{"eventName": "AuthorizeSecurityGroupEgress"}, {"eventName": "DeleteKeyPair"}],
)
F["trailglass_kms"] = fixture(
    [src("kms", "ScheduleKeyDeletion"), src("kms", "DisableKey")],
    [{"eventName": "EnableKey"}, {"eventName": "CancelKeyDeletion"}],
)
F["trailglass_denied"] = fixture(
    [
        {**src("s3", "GetObject"), "errorCode": "AccessDenied", "errorMessage": "Access Denied"},
        {**src("ec2", "RunInstances"), "errorCode": "Client.UnauthorizedOperation"},
        {**src("kms", "Decrypt"), "errorCode": "AccessDeniedException"},
        {**src("sts", "AssumeRole"), "errorCode": "accessdenied"},
    ],
    [
        {"errorCode": "ThrottlingException", "errorMessage": "Rate exceeded"},
        {"errorCode": DELETE},
    ],
)

# ---------------------------------------------------------------- correlations


def burst(prefix: str, n: int, fields: dict, step_min: float, start_min: float = 0) -> list[dict]:
    return [ev(f"{prefix}-{i + 1:02}", fields, start_min + i * step_min) for i in range(n)]


def other_caller(name: str) -> dict:
    return {"userIdentity": {**ROLE_IDENTITY, "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/Scanner/{name}"}}


def count_fixture(fields: list[dict], over: int, span_min: float, group: str = "arn") -> list[dict]:
    """For `event_count > over` within `span_min`: a burst of over+1 events by one caller within
    the span (match), `over` events by another caller within the span (miss: just under), and
    over+1 events by a third caller spread beyond the span (spread-miss: the spec does not fire,
    as no window of `span_min` holds more than `over`)."""
    def who(name: str, ip: str) -> dict:
        return other_caller(name) if group == "arn" else {"sourceIPAddress": ip}

    def pick(i: int) -> dict:
        return fields[i % len(fields)]

    out = []
    step = span_min / (over + 2)
    for i in range(over + 1):
        out.append(ev(f"match-1-{i + 1:02}", {**pick(i), **who("burst", "203.0.113.10")}, i * step))
    for i in range(over):
        out.append(ev(f"miss-1-{i + 1:02}", {**pick(i), **who("under", "203.0.113.20")}, i * step))
    wide = 2 * span_min / over
    for i in range(over + 1):
        out.append(ev(f"miss-spread-{i + 1:02}", {**pick(i), **who("spread", "203.0.113.30")}, i * wide))
    # the burst caller, but an event of another kind: never counted
    out.append(ev("miss-2", {**pick(0), "eventName": "DescribeInstances", "eventSource": "ec2.amazonaws.com", **who("burst", "203.0.113.10")}, 1))
    return out


F["aws_ec2_download_userdata"] = count_fixture(
    [src("ec2", "DescribeInstanceAttribute", **{"requestParameters": {"instanceId": "i-1", "attribute": "userData"}})], 10, 30
)
F["aws_enum_backup"] = count_fixture(
    names("ec2", "GetPasswordData", "DescribeVolumes", "DescribeSnapshotAttribute", "DescribeImages", "GetEbsEncryptionByDefault"), 5, 10
)
F["aws_enum_listing"] = count_fixture(
    names("s3", "ListBuckets", "ListObjects") + names("iam", "ListUsers", "ListRoles"), 50, 10
)
F["aws_enum_network"] = count_fixture(
    names("ec2", "DescribeCarrierGateways", "DescribeDhcpOptions", "DescribeClientVpnRoutes", "GetTransitGatewayRouteTableAssociations"), 5, 10
)
F["aws_enum_storage"] = count_fixture(
    names("s3", "ListBuckets", "GetBucketCors", "GetBucketPolicy", "GetBucketTagging", "GetBucketPublicAccessBlock"), 5, 10
)
F["aws_macic_evasion"] = count_fixture(
    names("macie2", "ArchiveFindings", "CreateFindingsFilter", "DisableMacie", "UpdateClassificationJob"), 5, 10, group="ip"
)


def temporal_fixture(first: dict, second: dict, span_min: float, group: str) -> list[dict]:
    """Both events by one group within the span (match), only the first (miss), both but further
    apart than the span (miss)."""
    def who(tag: str) -> dict:
        if group == "arn":
            return other_caller(tag)
        return {"recipientAccountId": {"a": "111122220001", "b": "111122220002", "c": "111122220003"}[tag]}

    return [
        ev("match-1-01", {**first, **who("a")}, 0),
        ev("match-1-02", {**second, **who("a")}, span_min / 2),
        ev("miss-1-01", {**first, **who("b")}, 0),
        ev("miss-2-01", {**first, **who("c")}, 0),
        ev("miss-2-02", {**second, **who("c")}, span_min * 2),
    ]


F["aws_lambda_function_created_or_invoked"] = temporal_fixture(
    src("lambda", "CreateFunction20150331", **{"requestParameters": {"functionName": "f"}}),
    {**src("lambda", "Invoke"), "eventCategory": "Data", "managementEvent": False},
    30,
    "arn",
)
F["aws_ses_messaging_enabled"] = temporal_fixture(
    src("ses", "UpdateAccountSendingEnabled", **{"requestParameters": {"enabled": True}}),
    src("ses", "VerifyEmailIdentity", **{"requestParameters": {"emailAddress": "x@example.com"}}),
    5,
    "account",
)


def main() -> None:
    for stem, events in sorted(F.items()):
        with open(os.path.join(HERE, stem + ".json"), "w", encoding="utf-8") as f:
            json.dump({"Records": events}, f, indent=1, ensure_ascii=False)
            f.write("\n")
    print(f"{len(F)} fixtures written to {HERE}")


if __name__ == "__main__":
    main()
