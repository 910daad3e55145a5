//! The details of EC2's events: instances run, described, started and stopped, tags, security
//! group rules.

use super::super::Gen;
use crate::catalogue::*;
use crate::event::*;
use crate::json::*;

impl Gen<'_> {
    /// Fills the event's details when its action is one of these (`super::Gen::details`); false
    /// when it is not.
    pub(super) fn ec2_details(
        &mut self,
        ev: &mut Ev,
        svc: &Svc,
        ctx: &Ctx<'_>,
        _actor: &str,
    ) -> bool {
        let acct = ctx.account;
        let region = ctx.region;
        match (svc.name, ev.name) {
            ("ec2", "RunInstances") => {
                let itype = *self.rng.pick(INSTANCE_TYPES);
                let ami = format!("ami-{}", chars(&mut self.rng, HEX, 17));
                let subnet = format!("subnet-{}", self.resource_hex());
                let sg = format!("sg-{}", self.resource_hex());
                let t1 = self.tag();
                let t2 = self.tag();
                ev.req = obj(vec![
                    (
                        "instancesSet",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("imageId", st(ami.clone())),
                                ("minCount", J::I(1)),
                                ("maxCount", J::I(1)),
                            ])]),
                        )]),
                    ),
                    ("instanceType", s(itype)),
                    (
                        "blockDeviceMapping",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("deviceName", s("/dev/xvda")),
                                (
                                    "ebs",
                                    obj(vec![
                                        ("volumeSize", J::I(50)),
                                        ("deleteOnTermination", J::B(true)),
                                        ("volumeType", s("gp3")),
                                        ("encrypted", J::B(true)),
                                    ]),
                                ),
                            ])]),
                        )]),
                    ),
                    ("monitoring", obj(vec![("enabled", J::B(false))])),
                    ("disableApiTermination", J::B(false)),
                    ("subnetId", st(subnet.clone())),
                    ("iamInstanceProfile", obj(vec![("name", s("eks-node-group-role"))])),
                    (
                        "tagSpecificationSet",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("resourceType", s("instance")),
                                ("tags", J::Arr(vec![t1, t2])),
                            ])]),
                        )]),
                    ),
                    (
                        "metadataOptions",
                        obj(vec![
                            ("httpTokens", s("required")),
                            ("httpPutResponseHopLimit", J::I(2)),
                        ]),
                    ),
                ]);
                let iid = format!("i-{}", self.resource_hex());
                let eni = format!("eni-{}", self.resource_hex());
                let ip4 = format!(
                    "10.{}.{}.{}",
                    self.rng.below(256),
                    self.rng.below(256),
                    self.rng.below(254) + 1
                );
                ev.resp = obj(vec![
                    ("requestId", st(uuid(&mut self.rng))),
                    ("reservationId", st(format!("r-{}", self.resource_hex()))),
                    ("ownerId", st(acct)),
                    ("groupSet", obj(vec![])),
                    (
                        "instancesSet",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("instanceId", st(iid)),
                                ("imageId", st(ami)),
                                ("currentInstanceBootMode", s("uefi")),
                                (
                                    "instanceState",
                                    obj(vec![("code", J::I(0)), ("name", s("pending"))]),
                                ),
                                (
                                    "privateDnsName",
                                    st(format!("ip-{}.ec2.internal", ip4.replace('.', "-"))),
                                ),
                                ("amiLaunchIndex", J::I(0)),
                                ("instanceType", s(itype)),
                                ("launchTime", J::I(ctx.time)),
                                (
                                    "placement",
                                    obj(vec![
                                        ("availabilityZone", st(format!("{region}a"))),
                                        ("tenancy", s("default")),
                                    ]),
                                ),
                                ("subnetId", st(subnet)),
                                ("privateIpAddress", st(ip4.clone())),
                                (
                                    "groupSet",
                                    obj(vec![(
                                        "items",
                                        J::Arr(vec![obj(vec![
                                            ("groupId", st(sg)),
                                            ("groupName", s("eks-nodes")),
                                        ])]),
                                    )]),
                                ),
                                (
                                    "networkInterfaceSet",
                                    obj(vec![(
                                        "items",
                                        J::Arr(vec![obj(vec![
                                            ("networkInterfaceId", st(eni)),
                                            ("status", s("in-use")),
                                            ("privateIpAddress", st(ip4)),
                                        ])]),
                                    )]),
                                ),
                                ("ebsOptimized", J::B(true)),
                                ("enaSupport", J::B(true)),
                            ])]),
                        )]),
                    ),
                ]);
                ev.api_version = None;
            }
            ("ec2", "DescribeInstances" | "DescribeInstanceStatus") => {
                ev.req = obj(vec![
                    ("instancesSet", obj(vec![])),
                    (
                        "filterSet",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("name", s("instance-state-name")),
                                (
                                    "valueSet",
                                    obj(vec![(
                                        "items",
                                        J::Arr(vec![
                                            obj(vec![("value", s("running"))]),
                                            obj(vec![("value", s("pending"))]),
                                        ]),
                                    )]),
                                ),
                            ])]),
                        )]),
                    ),
                    ("maxResults", J::I(1000)),
                ]);
            }
            ("ec2", "StartInstances" | "StopInstances" | "TerminateInstances") => {
                let iid = format!("i-{}", self.resource_hex());
                ev.req = obj(vec![(
                    "instancesSet",
                    obj(vec![("items", J::Arr(vec![obj(vec![("instanceId", st(iid.clone()))])]))]),
                )]);
                ev.resp = obj(vec![
                    ("requestId", st(uuid(&mut self.rng))),
                    (
                        "instancesSet",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("instanceId", st(iid)),
                                (
                                    "currentState",
                                    obj(vec![("code", J::I(64)), ("name", s("stopping"))]),
                                ),
                                (
                                    "previousState",
                                    obj(vec![("code", J::I(16)), ("name", s("running"))]),
                                ),
                            ])]),
                        )]),
                    ),
                ]);
            }
            ("ec2", "CreateTags") => {
                let t = self.tag();
                ev.req = obj(vec![
                    (
                        "resourcesSet",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![(
                                "resourceId",
                                st(format!("i-{}", self.resource_hex())),
                            )])]),
                        )]),
                    ),
                    ("tagSet", obj(vec![("items", J::Arr(vec![t]))])),
                ]);
                ev.resp =
                    obj(vec![("requestId", st(uuid(&mut self.rng))), ("_return", J::B(true))]);
            }
            ("ec2", "AuthorizeSecurityGroupIngress") => {
                let cidr = if self.rng.chance(0.3) { "0.0.0.0/0" } else { "10.0.0.0/8" };
                ev.req = obj(vec![
                    ("groupId", st(format!("sg-{}", self.resource_hex()))),
                    (
                        "ipPermissions",
                        obj(vec![(
                            "items",
                            J::Arr(vec![obj(vec![
                                ("ipProtocol", s("tcp")),
                                ("fromPort", J::I(22)),
                                ("toPort", J::I(22)),
                                ("groups", obj(vec![])),
                                (
                                    "ipRanges",
                                    obj(vec![(
                                        "items",
                                        J::Arr(vec![obj(vec![
                                            ("cidrIp", s(cidr)),
                                            ("description", s("ssh from bastion — temporaire")),
                                        ])]),
                                    )]),
                                ),
                            ])]),
                        )]),
                    ),
                ]);
                ev.resp =
                    obj(vec![("requestId", st(uuid(&mut self.rng))), ("_return", J::B(true))]);
            }
            ("ec2", _) => {
                ev.req = if ev.name.starts_with("Describe") {
                    obj(vec![("maxResults", J::I(1000)), ("filterSet", obj(vec![]))])
                } else {
                    obj(vec![("resourceId", st(format!("vol-{}", self.resource_hex())))])
                };
            }
            _ => return false,
        }
        true
    }
}
