//! One event: the parts that vary ([`Ev`]) and [`render`], which adds the rest in CloudTrail's key
//! order and writes it.

use crate::calendar::*;
use crate::catalogue::*;
use crate::json::*;
use crate::rng::*;

pub(crate) struct Ctx<'a> {
    pub(crate) time: i64,
    pub(crate) region: &'static str,
    pub(crate) account: &'a str,
}

/// The parts of one event that vary; [`render`] adds the rest in CloudTrail's key order.
pub(crate) struct Ev {
    pub(crate) version: &'static str,
    pub(crate) identity: J,
    pub(crate) source: &'static str,
    pub(crate) name: &'static str,
    pub(crate) ip: String,
    pub(crate) ua: String,
    pub(crate) error: Option<(String, String)>,
    pub(crate) req: J,
    pub(crate) resp: J,
    pub(crate) additional: Option<J>,
    pub(crate) request_id: String,
    pub(crate) read_only: bool,
    pub(crate) resources: Option<J>,
    pub(crate) event_type: &'static str,
    pub(crate) api_version: Option<&'static str>,
    pub(crate) management: bool,
    pub(crate) shared_event_id: bool,
    /// A given sharedEventID (the copies of one cross-account call share it); else
    /// `shared_event_id` draws one.
    pub(crate) shared_id: Option<String>,
    pub(crate) vpce: Option<String>,
    pub(crate) category: &'static str,
    pub(crate) tls_host: Option<String>,
    pub(crate) console: bool,
}

impl Ev {
    pub(crate) fn new(source: &'static str, name: &'static str) -> Ev {
        Ev {
            version: "1.09",
            identity: J::Null,
            source,
            name,
            ip: String::new(),
            ua: String::new(),
            error: None,
            req: J::Null,
            resp: J::Null,
            additional: None,
            request_id: String::new(),
            read_only: is_read_only(name),
            resources: None,
            event_type: "AwsApiCall",
            api_version: None,
            management: true,
            shared_event_id: false,
            shared_id: None,
            vpce: None,
            category: "Management",
            tls_host: None,
            console: false,
        }
    }
}

pub(crate) fn is_read_only(name: &str) -> bool {
    const RO: &[&str] = &[
        "Get",
        "List",
        "Describe",
        "Head",
        "Lookup",
        "Search",
        "Scan",
        "Query",
        "BatchGet",
        "Check",
        "Decrypt",
        "Encrypt",
        "GenerateDataKey",
        "AssumeRole",
        "Filter",
        "Validate",
    ];
    RO.iter().any(|p| name.starts_with(p))
}

pub(crate) fn render(rng: &mut Rng, ctx: &Ctx<'_>, ev: Ev, out: &mut Vec<u8>) {
    let mut o: Vec<(&'static str, J)> = Vec::with_capacity(28);
    o.push(("eventVersion", s(ev.version)));
    o.push(("userIdentity", ev.identity));
    o.push(("eventTime", st(fmt_time(ctx.time))));
    o.push(("eventSource", s(ev.source)));
    o.push(("eventName", s(ev.name)));
    o.push(("awsRegion", s(ctx.region)));
    o.push(("sourceIPAddress", st(ev.ip)));
    o.push(("userAgent", st(ev.ua)));
    let failed = ev.error.is_some();
    if let Some((code, msg)) = ev.error {
        o.push(("errorCode", st(code)));
        o.push(("errorMessage", st(msg)));
    }
    o.push(("requestParameters", ev.req));
    o.push(("responseElements", if failed { J::Null } else { ev.resp }));
    if let Some(a) = ev.additional {
        o.push(("additionalEventData", a));
    }
    o.push(("requestID", st(ev.request_id)));
    o.push(("eventID", st(uuid(rng))));
    o.push(("readOnly", J::B(ev.read_only)));
    if let Some(r) = ev.resources {
        o.push(("resources", r));
    }
    o.push(("eventType", s(ev.event_type)));
    if let Some(v) = ev.api_version {
        o.push(("apiVersion", s(v)));
    }
    o.push(("managementEvent", J::B(ev.management)));
    o.push(("recipientAccountId", st(ctx.account)));
    if let Some(id) = ev.shared_id {
        o.push(("sharedEventID", st(id)));
    } else if ev.shared_event_id {
        o.push(("sharedEventID", st(uuid(rng))));
    }
    if let Some(v) = ev.vpce {
        o.push(("vpcEndpointId", st(v)));
        o.push(("vpcEndpointAccountId", st(ctx.account)));
    }
    o.push(("eventCategory", s(ev.category)));
    if let Some(host) = ev.tls_host {
        let (v, c) = if rng.chance(0.8) {
            ("TLSv1.3", "TLS_AES_128_GCM_SHA256")
        } else {
            ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256")
        };
        o.push((
            "tlsDetails",
            obj(vec![
                ("tlsVersion", s(v)),
                ("cipherSuite", s(c)),
                ("clientProvidedHostHeader", st(host)),
            ]),
        ));
    }
    if ev.console {
        o.push(("sessionCredentialFromConsole", s("true")));
    }
    write_json(out, &J::Obj(o));
}
