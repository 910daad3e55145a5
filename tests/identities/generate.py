#!/usr/bin/env python3
"""Independent test data for Trailglass identity chains (who made each event, back to its origin).

    python3 tests/identities/generate.py OUTDIR [--seed N] [--events N]

writes
    OUTDIR/logs/AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<stamp>_<rand>.json[.gz]
    OUTDIR/expected.jsonl   {"id", "origin", "chain", "session"} per event
    OUTDIR/labels.jsonl     {"id", "label"} per event (the scenario or trap that made it)

Scan OUTDIR/logs (not OUTDIR: the .jsonl files are not CloudTrail). The expected values are not
resolved from the logs: every event is written by a scenario that knows who its caller is, and the
caller carries the origin and chain it was built with. A self-check runs at the end (see README.md).
Python 3.11, standard library only, deterministic for a given --seed and --events.
"""

import argparse
import copy
import datetime as dt
import gzip
import json
import os
import random
import shutil
import sys
import uuid
from collections import Counter, defaultdict

UTC = dt.timezone.utc
A, B, C = "111111111111", "222222222222", "333333333333"
ACCOUNTS = (A, B, C)
T0 = int(dt.datetime(2024, 5, 6, 6, 0, 0, tzinfo=UTC).timestamp())
WINDOW = 24 * 3600
STORE_ID = "d-9067a1b2c3"
STORE_ARN = f"arn:aws:identitystore::{A}:identitystore/{STORE_ID}"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
DEFAULT_LIFETIME = {
    "AssumeRole": 3600,
    "AssumeRoleWithSAML": 3600,
    "AssumeRoleWithWebIdentity": 3600,
    "GetSessionToken": 43200,
    "GetFederationToken": 43200,
}
STS_ISSUERS = tuple(DEFAULT_LIFETIME)

CLI_UA = [
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/{cmd}",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.79 md/arch#x86_64 lang/python#3.12.2 cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/{svc}#1.28.6",
    "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.43.0 aws-sdk-go-v2/1.26.0",
]
BROWSER_UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"


def iso(t):
    return dt.datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def expfmt(t):
    d = dt.datetime.fromtimestamp(t, UTC)
    h = d.hour % 12 or 12
    return f"{d:%b} {d.day}, {d.year}, {h}:{d:%M:%S} {'AM' if d.hour < 12 else 'PM'}"


def collapse(xs):
    out = []
    for x in xs:
        if not out or out[-1] != x:
            out.append(x)
    return out


# ---------------------------------------------------------------------------------------------
# Actors: whoever signs a request. Each carries the origin and chain it was built with.


class Actor:
    account = None
    key = None  # accessKeyId as written in userIdentity ("" or None: absent)
    arn = None
    origin = None
    chain = ()
    principal_id = None
    source_identity = None
    console = False  # calls carry sessionCredentialFromConsole "true"
    ip = "198.51.100.7"
    ua = CLI_UA[0]

    def identity(self):
        raise NotImplementedError

    def variant(self, **kw):
        v = copy.copy(self)
        for k, x in kw.items():
            setattr(v, k, x)
        return v


class IAMUser(Actor):
    def __init__(self, g, acct, name):
        self.account, self.name = acct, name
        self.arn = f"arn:aws:iam::{acct}:user/{name}"
        self.principal_id = "AIDA" + g.rid(17)
        self.key = g.new_key("AKIA")
        self.origin, self.chain = self.arn, [self.arn]
        self.ip = g.ip()
        self.ua = g.rng.choice(CLI_UA)
        self.creation = None  # console or GetSessionToken sessions

    def identity(self):
        d = {"type": "IAMUser", "principalId": self.principal_id, "arn": self.arn, "accountId": self.account}
        if self.key is not None:
            d["accessKeyId"] = self.key
        d["userName"] = self.name
        if self.creation is not None:
            d["sessionContext"] = {"sessionIssuer": {}, "webIdFederationData": {},
                                   "attributes": {"creationDate": iso(self.creation), "mfaAuthenticated": "true"}}
        return d


class Root(Actor):
    def __init__(self, g, acct):
        self.account = acct
        self.arn = f"arn:aws:iam::{acct}:root"
        self.principal_id = acct
        self.key = g.new_key("AKIA")
        self.origin, self.chain = self.arn, [self.arn]
        self.ip = g.ip()
        self.creation = None

    def identity(self):
        d = {"type": "Root", "principalId": self.principal_id, "arn": self.arn, "accountId": self.account}
        if self.key is not None:
            d["accessKeyId"] = self.key
        if self.creation is not None:
            d["sessionContext"] = {"sessionIssuer": {}, "webIdFederationData": {},
                                   "attributes": {"creationDate": iso(self.creation), "mfaAuthenticated": "true"}}
        return d


class Service(Actor):
    def __init__(self, name):
        self.name = name
        self.origin, self.chain = name, [name]
        self.ip = self.ua = name

    def identity(self):
        return {"type": "AWSService", "invokedBy": self.name}


class Federated(Actor):
    """The SAMLUser / WebIdentityUser that calls AssumeRoleWithSAML / AssumeRoleWithWebIdentity."""

    def __init__(self, ui, origin, ip, ua):
        self.ui = ui
        self.origin, self.chain = origin, [origin]
        self.ip, self.ua = ip, ua

    def identity(self):
        return dict(self.ui)


class Role:
    def __init__(self, g, acct, name, path="/"):
        self.account, self.name = acct, name
        self.id = "AROA" + g.rid(17)
        self.arn = f"arn:aws:iam::{acct}:role{path}{name}"


class Session(Actor):
    """Temporary credentials: an assumed-role session, a federated user, or a GetSessionToken user."""

    def __init__(self, kind, arn, key, account, creation, origin, chain, role=None, sess_name=None,
                 user=None, fed_name=None, source_identity=None, web_fed=None, ip=None, ua=None, mfa="false",
                 lifetime=3600):
        self.kind, self.arn, self.key, self.account, self.creation = kind, arn, key, account, creation
        self.origin, self.chain = origin, list(chain)
        self.role, self.sess_name, self.user, self.fed_name = role, sess_name, user, fed_name
        self.source_identity, self.web_fed, self.mfa, self.lifetime = source_identity, web_fed, mfa, lifetime
        self.ip, self.ua = ip, ua
        if kind == "AssumedRole":
            self.principal_id = f"{role.id}:{sess_name}"
        elif kind == "FederatedUser":
            self.principal_id = f"{account}:{fed_name}"
        else:
            self.principal_id = user.principal_id

    def identity(self):
        attrs = {"creationDate": iso(self.creation), "mfaAuthenticated": self.mfa}
        if self.kind == "AssumedRole":
            d = {"type": "AssumedRole", "principalId": self.principal_id, "arn": self.arn, "accountId": self.account}
            if self.key:
                d["accessKeyId"] = self.key
            sc = {"sessionIssuer": {"type": "Role", "principalId": self.role.id, "arn": self.role.arn,
                                    "accountId": self.role.account, "userName": self.role.name},
                  "webIdFederationData": dict(self.web_fed or {}), "attributes": attrs}
            if self.source_identity:
                sc["sourceIdentity"] = self.source_identity
            d["sessionContext"] = sc
            return d
        if self.kind == "FederatedUser":
            u = self.user
            d = {"type": "FederatedUser", "principalId": self.principal_id, "arn": self.arn, "accountId": self.account}
            if self.key:
                d["accessKeyId"] = self.key
            d["sessionContext"] = {"sessionIssuer": {"type": "IAMUser", "principalId": u.principal_id, "arn": u.arn,
                                                     "accountId": u.account, "userName": u.name},
                                   "webIdFederationData": {}, "attributes": attrs}
            return d
        u = self.user  # GetSessionToken: the IAM user with temporary keys
        d = {"type": "IAMUser", "principalId": u.principal_id, "arn": u.arn, "accountId": u.account}
        if self.key:
            d["accessKeyId"] = self.key
        d["userName"] = u.name
        d["sessionContext"] = {"sessionIssuer": {}, "webIdFederationData": {}, "attributes": attrs}
        return d


# ---------------------------------------------------------------------------------------------
# Ordinary API calls (identity-neutral payloads)

BUCKETS = ["acme-prod-assets", "acme-logs-archive", "acme-data-lake", "acme-tfstate"]


def _actions():
    return [
        ("ec2.amazonaws.com", "DescribeInstances", True, lambda r: {"instancesSet": {}, "filterSet": {}}, None),
        ("ec2.amazonaws.com", "DescribeSecurityGroups", True, lambda r: {"securityGroupSet": {}, "filterSet": {}}, None),
        ("ec2.amazonaws.com", "DescribeVolumes", True, lambda r: {"volumeSet": {}, "filterSet": {}}, None),
        ("s3.amazonaws.com", "ListBuckets", True, lambda r: {"Host": "s3.amazonaws.com"}, None),
        ("s3.amazonaws.com", "GetBucketAcl", True, lambda r: {"bucketName": r.choice(BUCKETS), "acl": ""}, None),
        ("s3.amazonaws.com", "GetBucketPolicy", True, lambda r: {"bucketName": r.choice(BUCKETS), "policy": ""}, None),
        ("iam.amazonaws.com", "ListRoles", True, lambda r: None, None),
        ("iam.amazonaws.com", "GetRole", True, lambda r: {"roleName": r.choice(["Admin", "ReadOnly", "DataEng"])}, None),
        ("iam.amazonaws.com", "ListAttachedRolePolicies", True, lambda r: {"roleName": "ReadOnly"}, None),
        ("sts.amazonaws.com", "GetCallerIdentity", True, lambda r: None, None),
        ("kms.amazonaws.com", "Decrypt", True, lambda r: {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}, None),
        ("ssm.amazonaws.com", "GetParameter", True,
         lambda r: {"name": r.choice(["/app/db/host", "/app/api/url", "/ci/token"]), "withDecryption": True}, None),
        ("lambda.amazonaws.com", "ListFunctions20150331", True, lambda r: None, None),
        ("logs.amazonaws.com", "CreateLogStream", False,
         lambda r: {"logGroupName": "/aws/app/orders", "logStreamName": "2024/05/06/" + "".join(r.choice("0123456789abcdef") for _ in range(32))}, None),
        ("dynamodb.amazonaws.com", "DescribeTable", True, lambda r: {"tableName": r.choice(["orders", "sessions", "audit"])}, None),
        ("cloudformation.amazonaws.com", "DescribeStacks", True, lambda r: {"stackName": "app-prod"}, None),
        ("ecr.amazonaws.com", "GetAuthorizationToken", True, lambda r: None, None),
        ("secretsmanager.amazonaws.com", "GetSecretValue", True, lambda r: {"secretId": "prod/db/password"}, None),
        ("cloudtrail.amazonaws.com", "LookupEvents", True, lambda r: {"maxResults": 50}, None),
        ("ec2.amazonaws.com", "CreateTags", False,
         lambda r: {"resourcesSet": {"items": [{"resourceId": "i-0" + "".join(r.choice("0123456789abcdef") for _ in range(16))}]},
                    "tagSet": {"items": [{"key": "owner", "value": "platform"}]}}, lambda r: {"_return": True}),
    ]


SERVICE_CALLS = [
    ("cloudtrail.amazonaws.com", "s3.amazonaws.com", "PutObject", False, "Data"),
    ("cloudtrail.amazonaws.com", "kms.amazonaws.com", "GenerateDataKey", True, "Management"),
    ("config.amazonaws.com", "s3.amazonaws.com", "GetBucketAcl", True, "Data"),
    ("delivery.logs.amazonaws.com", "s3.amazonaws.com", "PutObject", False, "Data"),
    ("elasticloadbalancing.amazonaws.com", "kms.amazonaws.com", "Decrypt", True, "Management"),
    ("autoscaling.amazonaws.com", "ec2.amazonaws.com", "DescribeInstances", True, "Management"),
]


# ---------------------------------------------------------------------------------------------


class Gen:
    def __init__(self, seed, target):
        self.rng = random.Random(seed)
        self.target = target
        self.events = []  # {"rec", "label", "exp": (origin, chain, session), "delay"}
        self.keys = set()
        self.actions = _actions()
        self.sso_store_seen = set()  # users whose identity store shows in the logs
        self.build_world()

    # ids -------------------------------------------------------------------------------------
    def rid(self, n, alphabet=B32):
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def new_key(self, prefix):
        while True:
            k = prefix + self.rid(16)
            if k not in self.keys:
                self.keys.add(k)
                return k

    def uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def ip(self):
        r = self.rng
        return r.choice(["203.0.113.", "198.51.100.", "192.0.2."]) + str(r.randint(2, 250))

    def token(self):
        return "IQoJb3JpZ2luX2VjE" + self.rid(160, ALNUM + "+/") + "=="

    # world -----------------------------------------------------------------------------------
    def build_world(self):
        g = self
        self.users = {}
        for acct, names in ((A, ["alice", "bob", "carol", "dave", "erin", "frank", "ci-bot"]),
                            (B, ["svc-backup", "grace"]), (C, ["reporting", "heidi"])):
            for n in names:
                self.users[(acct, n)] = IAMUser(g, acct, n)
        self.roots = {a: Root(g, a) for a in ACCOUNTS}
        R = lambda acct, name, path="/": Role(g, acct, name, path)
        self.roles = {
            "A/Admin": R(A, "Admin"), "A/ReadOnly": R(A, "ReadOnly"), "A/DataEng": R(A, "DataEng"),
            "A/BreakGlass": R(A, "BreakGlass"), "A/Auditor": R(A, "Auditor"), "A/LegacyApp": R(A, "LegacyApp"),
            "A/web-server": R(A, "web-server"), "A/orders-fn": R(A, "orders-fn-role", "/service-role/"),
            "A/Pipeline": R(A, "Pipeline"), "A/Reports": R(A, "Reports"),
            "B/CrossAccountAdmin": R(B, "CrossAccountAdmin"), "B/gha-deploy": R(B, "gha-deploy"),
            "B/OktaDevelopers": R(B, "OktaDevelopers"), "B/Backup": R(B, "Backup"), "B/ReadOnly": R(B, "ReadOnly"),
            "B/SSOAdmin": R(B, "AWSReservedSSO_Admin_abc123", "/aws-reserved/sso.amazonaws.com/us-east-1/"),
            "C/DeployRole": R(C, "DeployRole"), "C/batch-worker": R(C, "batch-worker"), "C/ReadOnly": R(C, "ReadOnly"),
            "C/SSOReadOnly": R(C, "AWSReservedSSO_ReadOnly_def456", "/aws-reserved/sso.amazonaws.com/us-east-1/"),
            "C/SSOAdmin": R(C, "AWSReservedSSO_Admin_abc123", "/aws-reserved/sso.amazonaws.com/us-east-1/"),
        }
        self.saml_providers = {
            acct: (f"arn:aws:iam::{acct}:saml-provider/AWSSSO_{self.rid(16, '0123456789abcdef')}_DO_NOT_DELETE",
                   self.rid(27, ALNUM + "+/") + "=")
            for acct in ACCOUNTS
        }
        self.sso_issuer = "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/" + self.rid(40, ALNUM)
        self.okta_issuer = "http://www.okta.com/exk8a1b2c3d4E5f6g7h8"
        self.okta_provider = f"arn:aws:iam::{B}:saml-provider/Okta"
        self.okta_qualifier = self.rid(27, ALNUM + "+/") + "="
        self.gh_host = "token.actions.githubusercontent.com"
        self.gh_provider = f"arn:aws:iam::{B}:oidc-provider/{self.gh_host}"
        self.sso_user_ids = {u: self.uuid() for u in ("alice@example.com", "carol@example.com", "bob@example.com")}

    def user(self, acct, name):
        return self.users[(acct, name)]

    # records ---------------------------------------------------------------------------------
    def record(self, ui, t, source, name, region, recipient, params=None, resp=None, read_only=True,
               etype="AwsApiCall", category="Management", error=None, ip=None, ua=None, resources=None,
               shared=None, request_id=True, extra=None, add_data=None):
        rec = {"eventVersion": "1.08", "userIdentity": ui, "eventTime": iso(t), "eventSource": source,
               "eventName": name, "awsRegion": region, "sourceIPAddress": ip or "AWS Internal",
               "userAgent": ua or "AWS Internal"}
        if error:
            rec["errorCode"], rec["errorMessage"] = error
        rec["requestParameters"] = params
        rec["responseElements"] = resp
        if add_data is not None:
            rec["additionalEventData"] = add_data
        if request_id:
            rec["requestID"] = request_id if isinstance(request_id, str) else self.uuid()
        rec["eventID"] = self.uuid()
        rec["readOnly"] = read_only
        if resources:
            rec["resources"] = resources
        rec["eventType"] = etype
        rec["managementEvent"] = category == "Management"
        rec["recipientAccountId"] = recipient
        if shared:
            rec["sharedEventID"] = shared
        rec["eventCategory"] = category
        if extra:
            rec.update(extra)
        if source not in ("signin.amazonaws.com",) and self.rng.random() < 0.6 and ip and not ip.endswith(".com"):
            rec["tlsDetails"] = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                                 "clientProvidedHostHeader": source.replace(".amazonaws.com", f".{region}.amazonaws.com")}
        return rec

    def emit(self, rec, label, origin, chain, delay=None):
        ui = rec.get("userIdentity") or {}
        session = ui.get("accessKeyId") or None
        chain = list(chain)
        assert chain == collapse(chain), (label, chain)
        assert origin is None or chain[0] == origin, (label, origin, chain)
        self.events.append({"rec": rec, "label": label, "exp": (origin, chain, session), "delay": delay})
        return rec

    def call(self, actor, t, label, account=None, region=None, action=None, exp=None, delay=None, error=None):
        r = self.rng
        source, name, ro, pf, rf = action or r.choice(self.actions)
        if region is None:
            region = "us-east-1" if source in ("iam.amazonaws.com",) or r.random() < 0.75 else "eu-west-1"
        ua = actor.ua
        if "{cmd}" in ua or "{svc}" in ua:
            ua = ua.replace("{cmd}", source.split(".")[0] + "." + name.lower()).replace("{svc}", source.split(".")[0])
        extra = None
        if actor.console:
            extra = {"sessionCredentialFromConsole": "true"}
            ua = r.choice([BROWSER_UA, "AWS Internal", "console.amazonaws.com"])
        if error is None and r.random() < 0.03 and ro:
            error = ("AccessDenied", f"User: {actor.arn} is not authorized to perform: "
                                     f"{source.split('.')[0]}:{name} because no identity-based policy allows the action")
        rec = self.record(actor.identity(), t, source, name, region, account or actor.account,
                          params=pf(r), resp=None if error or rf is None else rf(r), read_only=ro, error=error,
                          ip=actor.ip, ua=ua, extra=extra)
        origin, chain = exp if exp is not None else (actor.origin, actor.chain)
        return self.emit(rec, label, origin, chain, delay)

    def uses(self, actor, t_from, t_to, n, label, **kw):
        ts = sorted(self.rng.randint(int(t_from), int(t_to)) for _ in range(n))
        for t in ts:
            self.call(actor, t, label, **kw)
        return ts

    def service_call(self, t, label, account=None):
        r = self.rng
        svc, source, name, ro, cat = r.choice(SERVICE_CALLS)
        account = account or r.choice(ACCOUNTS)
        params = {"bucketName": r.choice(BUCKETS)} if source == "s3.amazonaws.com" else None
        if name == "PutObject":
            params["key"] = f"AWSLogs/{account}/{r.randint(100000, 999999)}.json.gz"
        if source == "kms.amazonaws.com":
            params = {"keySpec": "AES_256", "encryptionContext": {"aws:cloudtrail:arn": f"arn:aws:cloudtrail:us-east-1:{account}:trail/org"}}
        act = Service(svc)
        rec = self.record(act.identity(), t, source, name, "us-east-1", account, params=params, read_only=ro,
                          category=cat, ip=svc, ua=svc, shared=self.uuid() if r.random() < 0.5 else None)
        self.emit(rec, label, act.origin, act.chain)

    # STS -------------------------------------------------------------------------------------
    def _sts(self, caller, t, name, params, resp, label, target_acct, resources=None, error=None, delay=None,
             region="us-east-1"):
        """Write the STS call: one record, or two tied copies when the role is in another account."""
        ui = caller.identity()
        ua = caller.ua.replace("{cmd}", "sts." + name.lower()).replace("{svc}", "sts")
        if caller.console:
            ua = BROWSER_UA
        caller_acct = caller.account
        extra = {"sessionCredentialFromConsole": "true"} if caller.console else None
        common = dict(params=params, resp=resp, read_only=False, error=error, ip=caller.ip, ua=ua,
                      resources=resources, extra=extra)
        origin, chain = caller.origin, caller.chain
        if caller_acct is None or caller_acct == target_acct:
            shared = self.uuid() if isinstance(caller, Service) else None  # the service's own copy is not ours
            rec = self.record(ui, t, "sts.amazonaws.com", name, region, target_acct, shared=shared, **common)
            self.emit(rec, label + ":issuer", origin, chain, delay)
            return [rec]
        shared, req = self.uuid(), self.uuid()
        rec1 = self.record(ui, t, "sts.amazonaws.com", name, region, caller_acct, shared=shared, request_id=req, **common)
        self.emit(rec1, label + ":issuer", origin, chain, delay)
        ui2 = {"type": "AWSAccount", "principalId": caller.principal_id, "accountId": caller_acct}
        common["extra"] = None
        rec2 = self.record(ui2, t, "sts.amazonaws.com", name, region, target_acct, shared=shared, request_id=req, **common)
        # the role owner's copy is the same call, by the same caller: same origin and chain, no key of its own
        self.emit(rec2, "xacct_owner_copy", origin, chain, delay)
        return [rec1, rec2]

    def _creds(self, key, t, lifetime):
        return {"accessKeyId": key, "sessionToken": self.token(), "expiration": expfmt(t + lifetime)}

    def assume_role(self, caller, t, role, sess_name, label, duration=None, source_identity=None, logged=True,
                    key=None, error=None, delay=None, ip=None, ua=None):
        """AssumeRole by caller. Returns the session (None when the call failed)."""
        si = source_identity or caller.source_identity
        params = {"roleArn": role.arn, "roleSessionName": sess_name}
        if duration:
            params["durationSeconds"] = duration
        if si:
            params["sourceIdentity"] = si
        lifetime = duration or DEFAULT_LIFETIME["AssumeRole"]
        arn = f"arn:aws:sts::{role.account}:assumed-role/{role.name}/{sess_name}"
        res = [{"accountId": role.account, "type": "AWS::IAM::Role", "ARN": role.arn}]
        if error:
            self._sts(caller, t, "AssumeRole", params, None, label, role.account, res, error=error, delay=delay)
            return None
        key = key or self.new_key("ASIA")
        resp = {"credentials": self._creds(key, t, lifetime),
                "assumedRoleUser": {"assumedRoleId": f"{role.id}:{sess_name}", "arn": arn}}
        if si:
            resp["sourceIdentity"] = si
        if logged:
            self._sts(caller, t, "AssumeRole", params, resp, label, role.account, res, delay=delay)
            origin, chain = caller.origin, collapse(list(caller.chain) + [arn])
        else:
            origin, chain = None, [arn]
        return Session("AssumedRole", arn, key, role.account, t, origin, chain, role=role, sess_name=sess_name,
                       source_identity=si, ip=ip or caller.ip, ua=ua or caller.ua, lifetime=lifetime)

    def service_assume(self, svc, t, role, sess_name, label, duration=None):
        return self.assume_role(Service(svc), t, role, sess_name, label, duration=duration, ip=svc, ua=svc)

    def saml_assume(self, t, role, subject, label, sso=False, duration=None, delay=None, ip=None):
        acct = role.account
        if sso:
            provider, qualifier = self.saml_providers[acct]
            issuer = self.sso_issuer
            origin = (f"sso:{STORE_ID}/{subject}" if self.sso_store_seen else f"sso:{subject}")
        else:
            provider, qualifier, issuer = self.okta_provider, self.okta_qualifier, self.okta_issuer
            origin = f"saml:{issuer}/{subject}"
        ip = ip or self.ip()
        ui = {"type": "SAMLUser", "principalId": f"{qualifier}:{subject}", "userName": subject,
              "identityProvider": qualifier}
        caller = Federated(ui, origin, ip, "aws-internal/3 aws-sdk-java/1.12.671 Linux/5.10.213 OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402")
        caller.account = acct
        lifetime = duration or DEFAULT_LIFETIME["AssumeRoleWithSAML"]
        key = self.new_key("ASIA")
        arn = f"arn:aws:sts::{acct}:assumed-role/{role.name}/{subject}"
        params = {"sAMLAssertionID": "_" + self.uuid(), "roleSessionName": subject, "roleArn": role.arn,
                  "principalArn": provider}
        if duration:
            params["durationSeconds"] = duration
        resp = {"subjectType": "persistent", "issuer": issuer, "credentials": self._creds(key, t, lifetime),
                "nameQualifier": qualifier,
                "assumedRoleUser": {"assumedRoleId": f"{role.id}:{subject}", "arn": arn},
                "subject": subject, "audience": "https://signin.aws.amazon.com/saml"}
        res = [{"accountId": acct, "type": "AWS::IAM::Role", "ARN": role.arn},
               {"accountId": acct, "type": "AWS::IAM::SAMLProvider", "ARN": provider}]
        self._sts(caller, t, "AssumeRoleWithSAML", params, resp, label, acct, res, delay=delay)
        return Session("AssumedRole", arn, key, acct, t, origin, collapse([origin, arn]), role=role,
                       sess_name=subject, ip=ip, ua=CLI_UA[1], lifetime=lifetime)

    def web_assume(self, t, role, subject, sess_name, label, duration=None):
        acct = role.account
        origin = f"web:{self.gh_host}/{subject}"
        ui = {"type": "WebIdentityUser", "principalId": f"{self.gh_provider}:sts.amazonaws.com:{subject}",
              "userName": subject, "identityProvider": self.gh_provider}
        ip = "140.82.11" + str(self.rng.randint(2, 9)) + "." + str(self.rng.randint(2, 250))
        ua = "aws-sdk-nodejs/2.1583.0 linux/v20.12.0 configure-aws-credentials-for-github-actions promise"
        caller = Federated(ui, origin, ip, ua)
        caller.account = acct
        lifetime = duration or DEFAULT_LIFETIME["AssumeRoleWithWebIdentity"]
        key = self.new_key("ASIA")
        arn = f"arn:aws:sts::{acct}:assumed-role/{role.name}/{sess_name}"
        params = {"roleArn": role.arn, "roleSessionName": sess_name}
        if duration:
            params["durationSeconds"] = duration
        resp = {"credentials": self._creds(key, t, lifetime), "subjectFromWebIdentityToken": subject,
                "assumedRoleUser": {"assumedRoleId": f"{role.id}:{sess_name}", "arn": arn},
                "provider": self.gh_provider, "audience": "sts.amazonaws.com"}
        res = [{"accountId": acct, "type": "AWS::IAM::Role", "ARN": role.arn}]
        self._sts(caller, t, "AssumeRoleWithWebIdentity", params, resp, label, acct, res)
        web_fed = {"federatedProvider": self.gh_provider, "attributes": {}}
        return Session("AssumedRole", arn, key, acct, t, origin, [origin, arn], role=role, sess_name=sess_name,
                       web_fed=web_fed, ip=ip, ua=ua, lifetime=lifetime)

    def get_session_token(self, user, t, label, duration=None):
        lifetime = duration or DEFAULT_LIFETIME["GetSessionToken"]
        key = self.new_key("ASIA")
        params = {"durationSeconds": duration} if duration else None
        resp = {"credentials": self._creds(key, t, lifetime)}
        self._sts(user, t, "GetSessionToken", params, resp, label, user.account)
        return Session("IAMUser", user.arn, key, user.account, t, user.origin, collapse(user.chain + [user.arn]),
                       user=user, ip=user.ip, ua=user.ua, mfa="true", lifetime=lifetime)

    def get_federation_token(self, user, t, name, label, duration=None, logged=True):
        lifetime = duration or DEFAULT_LIFETIME["GetFederationToken"]
        key = self.new_key("ASIA")
        arn = f"arn:aws:sts::{user.account}:federated-user/{name}"
        params = {"name": name, "policy": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'}
        if duration:
            params["durationSeconds"] = duration
        resp = {"credentials": self._creds(key, t, lifetime),
                "federatedUser": {"arn": arn, "federatedUserId": f"{user.account}:{name}"}, "packedPolicySize": 9}
        if logged:
            self._sts(user, t, "GetFederationToken", params, resp, label, user.account)
            origin, chain = user.origin, collapse(user.chain + [arn])
        else:
            origin, chain = None, [arn]
        return Session("FederatedUser", arn, key, user.account, t, origin, chain, user=user, fed_name=name,
                       ip=user.ip, ua=user.ua, lifetime=lifetime)

    # sign-in ---------------------------------------------------------------------------------
    def console_login(self, actor, t, label, region="us-east-1"):
        """ConsoleLogin for an IAM user, root, or a federated (assumed-role) session: no key."""
        ui = actor.variant(key=None).identity()
        if isinstance(actor, (IAMUser, Root)):
            ui.pop("sessionContext", None)
            add = {"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
                   "MobileVersion": "No", "MFAUsed": "Yes"}
        else:
            add = {"MobileVersion": "No", "MFAUsed": "No"}
        rec = self.record(ui, t, "signin.amazonaws.com", "ConsoleLogin", region, actor.account,
                          resp={"ConsoleLogin": "Success"}, read_only=False, etype="AwsConsoleSignIn",
                          ip=actor.ip, ua=BROWSER_UA, request_id=False, add_data=add)
        self.emit(rec, label, actor.origin, actor.chain)

    def sso_signin(self, user, t, label, style=0):
        """An IAM Identity Center sign-in naming the user and the identity store."""
        self.sso_store_seen.add(user)
        uid = self.sso_user_ids[user]
        if style == 0:
            ui = {"type": "IdentityCenterUser", "accountId": A,
                  "onBehalfOf": {"userId": uid, "identityStoreArn": STORE_ARN},
                  "credentialId": self.rid(40, ALNUM + "_-"), "userName": user}
            name = "UserAuthentication"
            add = {"AuthWorkflowID": self.uuid(), "LoginTo": "https://d-9067a1b2c3.awsapps.com/start/",
                   "CredentialType": "PASSWORD", "UserName": user}
            resp = None
        else:
            ui = {"type": "IdentityCenterUser", "userId": uid, "identityStoreArn": STORE_ARN,
                  "userName": user, "accountId": A, "accessKeyId": ""}
            name = "ConsoleLogin"
            add = {"MFAUsed": True, "MobileVersion": "No", "LoginTo": "https://console.aws.amazon.com/console/home"}
            resp = {"ConsoleLogin": "Success"}
        rec = self.record(ui, t, "signin.amazonaws.com", name, "us-east-1", A, resp=resp, read_only=False,
                          etype="AwsConsoleSignIn", ip=self.ip(), ua=BROWSER_UA, request_id=False, add_data=add)
        o = f"sso:{STORE_ID}/{user}"
        self.emit(rec, label, o, [o])

    # ---------------------------------------------------------------------------------------
    # Scenarios

    def t(self, lo=0.02, hi=0.85):
        return T0 + self.rng.randint(int(WINDOW * lo), int(WINDOW * hi))

    def traps(self):
        r, U, R = self.rng, self.user, self.roles

        # Identity Center sign-ins first (they decide sso:<store>/<user> for alice and carol)
        self.sso_signin("alice@example.com", T0 + 300, "sso_signin", style=0)
        self.sso_signin("alice@example.com", T0 + 9 * 3600, "sso_signin", style=1)
        self.sso_signin("carol@example.com", T0 + 2 * 3600, "sso_signin", style=0)

        # root: long-term key, and a console session
        root = self.roots[A]
        t = self.t()
        self.uses(root, t, t + 6 * 3600, 10, "root_akia", region="us-east-1")
        tl = self.t()
        self.console_login(root, tl, "root_console")
        rc = root.variant(key=self.new_key("ASIA"), creation=tl, console=True)
        self.uses(rc, tl + 20, tl + 1800, 8, "root_console")

        # IAM users' console sessions (ConsoleLogin, then ASIA keys never issued by STS)
        for acct, name in ((A, "bob"), (B, "grace")):
            u = U(acct, name)
            tl = self.t()
            self.console_login(u, tl, "iam_user_console")
            uc = u.variant(key=self.new_key("ASIA"), creation=tl, console=True, ip=u.ip)
            self.uses(uc, tl + 15, tl + 5400, 10, "iam_user_console")

        # IAM user events whose accessKeyId is empty (session null)
        for _ in range(5):
            u = U(A, r.choice(["alice", "erin"]))
            self.call(u.variant(key=""), self.t(), "iam_user_empty_key", region="us-east-1")

        # two users assume the same role with the same session name at once (same second once)
        for gap in (0, 20, 45):
            t = self.t()
            sa = self.assume_role(U(A, "alice"), t, R["A/Admin"], "admin", "overlap_same_session")
            sb = self.assume_role(U(A, "bob"), t + gap, R["A/Admin"], "admin", "overlap_same_session")
            sb.ua = sa.ua
            self.uses(sa, t + gap + 5, t + 1500, 12, "overlap_same_session", region="us-east-1")
            self.uses(sb, t + gap + 5, t + 1500, 12, "overlap_same_session", region="us-east-1")

        # a key ID issued twice, hours apart, to different callers; a use before the first issue
        t1 = T0 + 3 * 3600 + r.randint(0, 1800)
        s1 = self.assume_role(U(A, "alice"), t1, R["A/DataEng"], "etl", "key_reuse", duration=3600)
        self.uses(s1, t1 + 30, t1 + 3300, 12, "key_reuse", region="us-east-1")
        t2 = t1 + 5 * 3600 + r.randint(0, 900)
        s2 = self.assume_role(U(C, "heidi"), t2, R["A/Auditor"], "audit", "key_reuse", key=s1.key)
        self.uses(s2, t2 + 30, t2 + 3300, 12, "key_reuse", region="us-east-1")
        ghost = s1.variant(creation=t1 - 1200, origin=None, chain=[s1.arn])
        self.uses(ghost, t1 - 900, t1 - 60, 3, "use_before_issue", region="us-east-1")

        # the issuing call is delivered (much) later than the calls made with its key
        for who, role in (("carol", "A/ReadOnly"), ("erin", "A/Admin"), ("frank", "A/Pipeline")):
            t = self.t()
            s = self.assume_role(U(A, who), t, R[role], f"{who}-late", "delivered_before_issuer",
                                 delay=r.randint(45 * 60, 80 * 60))
            self.uses(s, t + 5, t + 600, 15, "delivered_before_issuer", region="us-east-1")

        # three hops over two accounts: user in A -> role in B -> role in C (or back into A)
        for last in ("C/DeployRole", "A/Reports"):
            t = self.t(0.05, 0.7)
            alice = U(A, "alice")
            s1 = self.assume_role(alice, t, R["B/CrossAccountAdmin"], "alice", "xacct_three_hops")
            self.uses(s1, t + 10, t + 900, 10, "xacct_three_hops")
            t2 = t + r.randint(950, 1500)
            s2 = self.assume_role(s1, t2, R[last], "deploy-alice", "xacct_three_hops")
            self.uses(s2, t2 + 10, t2 + 2400, 15, "xacct_three_hops")

        # the issuing call is absent: origin null, chain = the session alone
        for role, sess in (("A/LegacyApp", "app-1"), ("C/ReadOnly", "nightly"), ("B/Backup", "backup-job")):
            t = self.t()
            s = self.assume_role(U(A, "dave"), t, R[role], sess, "missing_issuer", logged=False)
            self.uses(s, t + 60, t + 3000, 10, "missing_issuer")
        t = self.t()
        fu = self.get_federation_token(U(A, "ci-bot"), t, "ghost-fed", "missing_issuer", logged=False)
        self.uses(fu, t + 60, t + 3000, 5, "missing_issuer")

        # a hop in the middle is absent: user -> R1 (logged) -> R2 (absent) -> calls
        t = self.t()
        s1 = self.assume_role(U(A, "erin"), t, R["A/DataEng"], "erin", "missing_midchain")
        self.uses(s1, t + 10, t + 600, 4, "missing_midchain")
        s2 = self.assume_role(s1, t + 700, R["C/ReadOnly"], "erin-ro", "missing_midchain", logged=False)
        self.uses(s2, t + 720, t + 2400, 8, "missing_midchain")

        # the first hop is absent, the second is logged: chain starts at the first known hop
        t = self.t()
        s1 = self.assume_role(U(A, "frank"), t, R["A/Pipeline"], "build-4711", "missing_upstream", logged=False)
        self.uses(s1, t + 10, t + 500, 5, "missing_upstream")
        s2 = self.assume_role(s1, t + 600, R["B/Backup"], "pipeline-backup", "missing_upstream")
        self.uses(s2, t + 620, t + 2400, 10, "missing_upstream")

        # a failed AssumeRole; a key with the would-be session's ARN never issued successfully
        t = self.t()
        dave = U(A, "dave")
        denied = ("AccessDenied", f"User: {dave.arn} is not authorized to perform: sts:AssumeRole on resource: "
                                  f"{R['A/BreakGlass'].arn}")
        self.assume_role(dave, t, R["A/BreakGlass"], "dave", "failed_assume_role", error=denied)
        self.assume_role(dave, t + 40, R["A/BreakGlass"], "dave", "failed_assume_role", error=denied)
        phantom = Session("AssumedRole", f"arn:aws:sts::{A}:assumed-role/BreakGlass/dave", self.new_key("ASIA"), A,
                          t, None, [f"arn:aws:sts::{A}:assumed-role/BreakGlass/dave"], role=R["A/BreakGlass"],
                          sess_name="dave", ip=dave.ip, ua=dave.ua)
        self.uses(phantom, t + 60, t + 1800, 8, "failed_assume_role")
        # denied, then allowed a few seconds later: the uses belong to the successful call
        t = self.t()
        self.assume_role(U(A, "carol"), t, R["A/Auditor"], "carol", "failed_then_success",
                         error=("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code."))
        s = self.assume_role(U(A, "carol"), t + 25, R["A/Auditor"], "carol", "failed_then_success")
        self.uses(s, t + 40, t + 2000, 8, "failed_then_success")

        # lifetimes: durationSeconds 900; the AssumeRole default (3600)
        t = self.t()
        s = self.assume_role(U(A, "erin"), t, R["A/DataEng"], "short", "lifetime", duration=900)
        self.uses(s, t + 30, t + 800, 6, "lifetime")
        self.uses(s.variant(origin=None, chain=[s.arn]), t + 1000, t + 3000, 5, "expired_use")
        t = self.t()
        s = self.assume_role(U(A, "bob"), t, R["A/ReadOnly"], "default-life", "lifetime")
        self.uses(s, t + 2900, t + 3480, 4, "lifetime")
        self.uses(s.variant(origin=None, chain=[s.arn]), t + 3720, t + 5400, 4, "expired_use")

        # GetSessionToken by an IAM user (default 12 h): chain stays [user]; then a role from it
        t = T0 + r.randint(1800, 3 * 3600)
        gst = self.get_session_token(U(A, "alice"), t, "get_session_token")
        self.uses(gst, t + 60, t + 11 * 3600, 14, "get_session_token")
        t3 = t + 2 * 3600
        s = self.assume_role(gst, t3, R["A/Admin"], "alice-mfa", "get_session_token")
        self.uses(s, t3 + 10, t3 + 3000, 6, "get_session_token")

        # GetFederationToken -> federated user calls (default 12 h, and 3600 s with a late use)
        t = T0 + r.randint(1800, 3 * 3600)
        fu = self.get_federation_token(U(A, "ci-bot"), t, "build-bot", "get_federation_token")
        self.uses(fu, t + 30, t + 10 * 3600, 12, "get_federation_token", region="us-east-1")
        t = self.t()
        fu = self.get_federation_token(U(B, "svc-backup"), t, "backup-fed", "get_federation_token", duration=3600)
        self.uses(fu, t + 30, t + 3300, 5, "get_federation_token")
        self.uses(fu.variant(origin=None, chain=[fu.arn]), t + 3900, t + 6000, 2, "expired_use")

        # SAML (Okta) subject -> role; one continues into another role (nesting); a console session
        for subj in ("dev1@corp.example", "dev2@corp.example"):
            t = self.t()
            s = self.saml_assume(t, R["B/OktaDevelopers"], subj, "saml_role", duration=14400)
            self.uses(s, t + 10, t + 4 * 3600 - 120, 10, "saml_role")
        t = self.t()
        s = self.saml_assume(t, R["B/OktaDevelopers"], "dev3@corp.example", "saml_role")
        s2 = self.assume_role(s, t + 300, R["C/ReadOnly"], "dev3", "saml_role")
        self.uses(s2, t + 320, t + 3000, 6, "saml_role")
        t = self.t()
        s = self.saml_assume(t, R["B/OktaDevelopers"], "dev4@corp.example", "saml_console", duration=28800)
        self.console_login(s, t + 2, "saml_console")
        sc = s.variant(key=self.new_key("ASIA"), console=True)
        self.uses(sc, t + 20, t + 3 * 3600, 10, "saml_console")

        # GitHub OIDC -> role; one run goes on into account C
        for subject in ("repo:example-org/app:ref:refs/heads/main", "repo:example-org/infra:environment:prod"):
            t = self.t()
            s = self.web_assume(t, R["B/gha-deploy"], subject, "GitHubActions", "web_identity")
            self.uses(s, t + 10, t + 1500, 10, "web_identity")
        t = self.t()
        s = self.web_assume(t, R["B/gha-deploy"], "repo:example-org/app:ref:refs/heads/main", "GitHubActions",
                            "web_identity")
        s2 = self.assume_role(s, t + 60, R["C/DeployRole"], "gha-deploy-prod", "web_identity")
        self.uses(s2, t + 70, t + 1500, 8, "web_identity")

        # Identity Center: AssumeRoleWithSAML into AWSReservedSSO_*, store known (alice) / unknown (bob)
        t = T0 + 9 * 3600 + 40
        s = self.saml_assume(t, R["B/SSOAdmin"], "alice@example.com", "sso_store", sso=True, duration=28800)
        s.ua = CLI_UA[0]
        self.uses(s, t + 20, t + 4 * 3600, 12, "sso_store")
        s2 = self.assume_role(s, t + 1800, R["C/DeployRole"], "alice-deploy", "sso_store")
        self.uses(s2, t + 1820, t + 3600, 5, "sso_store")
        t = self.t()
        s = self.saml_assume(t, R["C/SSOReadOnly"], "bob@example.com", "sso_no_store", sso=True, duration=28800)
        self.uses(s, t + 20, t + 3 * 3600, 10, "sso_no_store")

        # Identity Center console session: ConsoleLogin without key, console calls with a key no STS call issued
        t = T0 + 9 * 3600 + 600
        s = self.saml_assume(t, R["C/SSOAdmin"], "alice@example.com", "sso_console", sso=True, duration=28800)
        self.console_login(s, t + 1, "sso_console")
        sc = s.variant(key=self.new_key("ASIA"), console=True)
        self.uses(sc, t + 15, t + 2 * 3600, 12, "sso_console")
        # the same user signs in to the same role again later: same ARN, new creationDate
        t = T0 + 2 * 3600 + 900
        s = self.saml_assume(t, R["C/SSOAdmin"], "carol@example.com", "sso_console", sso=True, duration=28800)
        self.console_login(s, t + 2, "sso_console")
        sc = s.variant(key=self.new_key("ASIA"), console=True)
        self.uses(sc, t + 15, t + 3600, 6, "sso_console")
        t = t + 5 * 3600
        s = self.saml_assume(t, R["C/SSOAdmin"], "carol@example.com", "sso_console", sso=True, duration=28800)
        self.console_login(s, t + 1, "sso_console")
        sc = s.variant(key=self.new_key("ASIA"), console=True)
        self.uses(sc, t + 15, t + 3600, 6, "sso_console")

        # Identity Center role session whose issuing call is not logged (CLI credentials come from the
        # SSO portal, not STS): the role and session name still name the SSO user
        for user, role, acct in (("alice@example.com", "C/SSOReadOnly", C), ("bob@example.com", "B/SSOAdmin", B)):
            rl = R[role]
            t = self.t()
            arn = f"arn:aws:sts::{acct}:assumed-role/{rl.name}/{user}"
            o = f"sso:{STORE_ID}/{user}" if self.sso_store_seen else f"sso:{user}"
            s = Session("AssumedRole", arn, self.new_key("ASIA"), acct, t, o, [o, arn], role=rl, sess_name=user,
                        ip=self.ip(), ua=CLI_UA[0])
            self.uses(s, t + 30, t + 3000, 8, "sso_no_issuer")

        # sourceIdentity set on the first AssumeRole and carried on the next hop
        t = self.t()
        s1 = self.assume_role(U(A, "bob"), t, R["A/DataEng"], "bob-etl", "source_identity",
                              source_identity="bob")
        self.uses(s1, t + 10, t + 600, 5, "source_identity")
        s2 = self.assume_role(s1, t + 700, R["B/ReadOnly"], "bob-etl-b", "source_identity")
        self.uses(s2, t + 720, t + 3000, 6, "source_identity")

        # AWS services on their own
        for _ in range(40):
            self.service_call(self.t(0, 1), "service")

    def ordinary(self):
        r, U, R = self.rng, self.user, self.roles
        a_users = ["alice", "bob", "carol", "dave", "erin", "frank", "ci-bot"]
        episodes = 0
        while len(self.events) < self.target:
            episodes += 1
            k = r.random()
            t = self.t(0, 0.92)
            if k < 0.22:  # IAM user with a long-term key
                acct, name = r.choice([(A, n) for n in a_users] + [(B, "svc-backup"), (C, "reporting")])
                self.uses(U(acct, name), t, t + 1800, r.randint(1, 8), "iam_user")
            elif k < 0.32:
                for _ in range(r.randint(1, 5)):
                    self.service_call(t + r.randint(0, 900), "service")
            elif k < 0.60:  # user -> role in the same account
                u = U(A, r.choice(a_users))
                role = R[r.choice(["A/Admin", "A/ReadOnly", "A/DataEng", "A/Pipeline"])]
                dur = r.choice([None, None, 900, 1800, 7200])
                name = r.choice([u.name, f"{u.name}-cli", f"botocore-session-{t}", "terraform"])
                s = self.assume_role(u, t, role, name, "user_role", duration=dur)
                life = dur or 3600
                self.uses(s, t + 3, t + life - 90, r.randint(2, 14), "user_role")
            elif k < 0.70:  # user -> role in another account (copies in both)
                u = U(A, r.choice(a_users)) if r.random() < 0.8 else U(C, "reporting")
                role = R[r.choice(["B/CrossAccountAdmin", "B/ReadOnly", "C/ReadOnly"])]
                if role.account == u.account:
                    role = R["B/ReadOnly"]
                s = self.assume_role(u, t, role, u.name, "xacct_role")
                self.uses(s, t + 3, t + 3400, r.randint(2, 12), "xacct_role")
            elif k < 0.82:  # service -> role -> calls
                svc, role, name = r.choice([
                    ("ec2.amazonaws.com", "A/web-server", "i-0" + self.rid(16, "0123456789abcdef")),
                    ("lambda.amazonaws.com", "A/orders-fn", "orders-handler"),
                    ("ec2.amazonaws.com", "C/batch-worker", "i-0" + self.rid(16, "0123456789abcdef")),
                ])
                s = self.service_assume(svc, t, R[role], name, "service_role", duration=r.choice([None, 21600]))
                s.ip = self.ip()
                s.ua = CLI_UA[1]
                self.uses(s, t + 5, t + min(s.lifetime, 3 * 3600) - 90, r.randint(3, 12), "service_role")
            elif k < 0.93:  # Identity Center user (store known) via AssumeRoleWithSAML
                user = r.choice(["alice@example.com", "carol@example.com"])
                role = R[r.choice(["B/SSOAdmin", "C/SSOReadOnly"])]
                s = self.saml_assume(t, role, user, "sso", sso=True, duration=r.choice([3600, 28800]))
                self.uses(s, t + 5, t + min(s.lifetime, 3 * 3600) - 90, r.randint(3, 12), "sso")
            else:  # GitHub Actions run
                subj = r.choice(["repo:example-org/app:ref:refs/heads/main", "repo:example-org/app:pull_request",
                                 "repo:example-org/infra:environment:prod"])
                s = self.web_assume(t, R["B/gha-deploy"], subj, "GitHubActions", "web_identity")
                self.uses(s, t + 5, t + 1800, r.randint(3, 10), "web_identity")
        return episodes

    # ---------------------------------------------------------------------------------------
    # Delivery: files per account, region and 5-minute stamp, delivered late, not in time order

    def write(self, outdir):
        r = self.rng
        logs = os.path.join(outdir, "logs")
        if os.path.isdir(logs):
            shutil.rmtree(logs)
        os.makedirs(logs)
        files = defaultdict(list)
        for ev in self.events:
            rec = ev["rec"]
            t = int(dt.datetime.strptime(rec["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())
            delay = ev["delay"] if ev["delay"] is not None else (
                r.randint(60, 840) if r.random() < 0.93 else r.randint(900, 2400))
            stamp = (t + delay) // 300 * 300
            files[(rec["recipientAccountId"], rec["awsRegion"], stamp)].append(rec)
        paths = {}
        for (acct, region, stamp), recs in sorted(files.items()):
            r.shuffle(recs)
            d = dt.datetime.fromtimestamp(stamp, UTC)
            folder = os.path.join(logs, "AWSLogs", acct, "CloudTrail", region, f"{d:%Y}", f"{d:%m}", f"{d:%d}")
            os.makedirs(folder, exist_ok=True)
            base = f"{acct}_CloudTrail_{region}_{d:%Y%m%dT%H%MZ}_{self.rid(16, ALNUM)}.json"
            data = json.dumps({"Records": recs}, separators=(",", ":")).encode()
            if r.random() < 0.7:
                path = os.path.join(folder, base + ".gz")
                with open(path, "wb") as f:
                    f.write(gzip.compress(data, mtime=0))
            else:
                path = os.path.join(folder, base)
                with open(path, "wb") as f:
                    f.write(data)
            for rec in recs:
                paths[rec["eventID"]] = os.path.relpath(path, logs)
        evs = sorted(self.events, key=lambda e: (e["rec"]["eventTime"], e["rec"]["eventID"]))
        with open(os.path.join(outdir, "expected.jsonl"), "w") as fe, open(os.path.join(outdir, "labels.jsonl"), "w") as fl:
            for ev in evs:
                o, ch, s = ev["exp"]
                eid = ev["rec"]["eventID"]
                fe.write(json.dumps({"id": eid, "origin": o, "chain": ch, "session": s}) + "\n")
                fl.write(json.dumps({"id": eid, "label": ev["label"]}) + "\n")
        return len(files)


# ---------------------------------------------------------------------------------------------
# Self-check: reads the written files back and checks each expected row against the records it
# was built with (the issuing call's own expected row, its lifetime, the console link).


def _ts(s):
    return int(dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def self_check(outdir):
    logs = os.path.join(outdir, "logs")
    recs, where = {}, {}
    for root, _, names in os.walk(logs):
        for n in names:
            p = os.path.join(root, n)
            raw = open(p, "rb").read()
            if n.endswith(".gz"):
                raw = gzip.decompress(raw)
            for rec in json.loads(raw)["Records"]:
                assert rec["eventID"] not in recs, "duplicate eventID"
                recs[rec["eventID"]] = rec
                where[rec["eventID"]] = os.path.relpath(p, logs)
    exp = {}
    for line in open(os.path.join(outdir, "expected.jsonl")):
        o = json.loads(line)
        exp[o["id"]] = o
    labels = {}
    for line in open(os.path.join(outdir, "labels.jsonl")):
        o = json.loads(line)
        labels[o["id"]] = o["label"]
    problems = []
    assert set(exp) == set(recs) == set(labels), "expected/labels/logs differ in their events"

    issuers = defaultdict(list)  # key -> [(start, end, rec)]
    by_arn_time = {}
    for rec in recs.values():
        re_ = rec.get("responseElements") or {}
        if rec["eventName"] in STS_ISSUERS and not rec.get("errorCode") and isinstance(re_.get("credentials"), dict):
            life = (rec.get("requestParameters") or {}).get("durationSeconds") or DEFAULT_LIFETIME[rec["eventName"]]
            t = _ts(rec["eventTime"])
            issuers[re_["credentials"]["accessKeyId"]].append((t, t + int(life), rec))
            hop = (re_.get("assumedRoleUser") or re_.get("federatedUser") or {}).get("arn")
            if hop:
                by_arn_time[(hop, rec["eventTime"])] = rec
        if rec["eventName"] == "ConsoleLogin" and rec["userIdentity"].get("type") in ("IAMUser", "Root"):
            by_arn_time[(rec["userIdentity"]["arn"], rec["eventTime"])] = rec

    def hop_of(rec):
        re_ = rec["responseElements"]
        return (re_.get("assumedRoleUser") or re_.get("federatedUser") or {}).get("arn") or rec["userIdentity"]["arn"]

    def derived(issuer):
        if issuer["userIdentity"].get("type") == "AWSAccount":  # use the caller's copy of a tied pair
            twins = [x for x in recs.values() if x.get("sharedEventID") == issuer.get("sharedEventID")
                     and x["userIdentity"].get("type") != "AWSAccount"]
            assert len(twins) == 1
            issuer = twins[0]
        e = exp[issuer["eventID"]]
        if issuer["eventName"] == "ConsoleLogin":
            return e["origin"], e["chain"]
        return e["origin"], collapse(e["chain"] + [hop_of(issuer)])

    later_file = 0
    for eid, rec in recs.items():
        e, ui, lab = exp[eid], rec.get("userIdentity") or {}, labels[eid]
        origin, chain = e["origin"], e["chain"]
        if e["session"] != (ui.get("accessKeyId") or None):
            problems.append((eid, lab, "session"))
        if chain != collapse(chain) or (origin is not None and chain[:1] != [origin]):
            problems.append((eid, lab, "chain shape"))
        own = ui.get("arn") or (ui.get("invokedBy") if ui.get("type") == "AWSService" else None)
        if own and ui.get("type") != "IdentityCenterUser" and chain[-1:] != [own]:
            problems.append((eid, lab, "chain does not end at the caller"))
        key = ui.get("accessKeyId") or ""
        t = _ts(rec["eventTime"])
        console = rec.get("sessionCredentialFromConsole") == "true" or (
            rec["eventName"] == "ConsoleLogin" and ui.get("type") == "AssumedRole")
        if console:
            link = by_arn_time.get((ui["arn"], ui["sessionContext"]["attributes"]["creationDate"]))
            if link is None or (origin, chain) != tuple(derived(link)):
                problems.append((eid, lab, "console link"))
            continue
        if not key.startswith("ASIA"):
            continue
        live = [x for x in issuers.get(key, []) if x[0] < t < x[1]]
        groups = {x[2].get("sharedEventID") or x[2]["eventID"] for x in live}
        if lab == "sso_no_issuer":
            if live:
                problems.append((eid, lab, "sso_no_issuer has an issuer"))
            continue
        if not live:
            if (origin, chain) != (None, [ui["arn"]]):
                problems.append((eid, lab, "no issuer, yet not (null, [own arn])"))
            continue
        if len(groups) != 1:
            problems.append((eid, lab, "several live issuers"))
            continue
        if (origin, chain) != tuple(derived(live[0][2])):
            problems.append((eid, lab, "differs from its issuer"))
        if min(where[x[2]["eventID"]] for x in live) > where[eid]:
            later_file += 1
        elif lab == "delivered_before_issuer":
            problems.append((eid, lab, "not in a file before its issuer's"))
    counts = Counter(labels.values())
    return problems, counts, later_file, len(recs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--events", type=int, default=3000)
    a = ap.parse_args()
    g = Gen(a.seed, a.events)
    g.traps()
    g.ordinary()
    os.makedirs(a.outdir, exist_ok=True)
    nfiles = g.write(a.outdir)
    problems, counts, later_file, n = self_check(a.outdir)
    print(f"{n} events in {nfiles} files under {os.path.join(a.outdir, 'logs')}")
    nulls = sum(1 for e in g.events if e["exp"][0] is None)
    print(f"origin null: {nulls}; uses whose issuing call is in a later file (path order): {later_file}")
    for lab, c in sorted(counts.items()):
        print(f"  {lab:34} {c}")
    if problems:
        for p in problems[:30]:
            print("SELF-CHECK:", *p, file=sys.stderr)
        print(f"self-check: {len(problems)} problems", file=sys.stderr)
        sys.exit(1)
    if later_file == 0:
        print("self-check: no use precedes its issuer in file order", file=sys.stderr)
        sys.exit(1)
    print("self-check: ok")


if __name__ == "__main__":
    main()
