//! The details of S3's events: data and management calls, their request parameters and
//! resources, and the data events' category.

use super::super::Gen;
use crate::catalogue::*;
use crate::event::*;
use crate::json::*;

impl Gen<'_> {
    /// Fills the event's details when its action is one of these (`super::Gen::details`); false
    /// when it is not.
    pub(super) fn s3_details(
        &mut self,
        ev: &mut Ev,
        svc: &Svc,
        ctx: &Ctx<'_>,
        _actor: &str,
    ) -> bool {
        let acct = ctx.account;
        let region = ctx.region;
        match (svc.name, ev.name) {
            ("s3", "GetObject" | "PutObject" | "HeadObject" | "DeleteObject" | "ListObjects") => {
                let bucket = *self.rng.pick(BUCKETS);
                let host = format!("{bucket}.s3.{region}.amazonaws.com");
                ev.category = "Data";
                ev.management = false;
                ev.version = "1.10";
                ev.request_id = self.s3_request_id();
                let (req, res) = if ev.name == "ListObjects" {
                    (
                        obj(vec![
                            ("bucketName", s(bucket)),
                            ("Host", st(host.clone())),
                            ("prefix", s("exports/")),
                            ("list-type", s("2")),
                            ("encoding-type", s("url")),
                        ]),
                        J::Arr(vec![obj(vec![
                            ("accountId", st(acct)),
                            ("type", s("AWS::S3::Bucket")),
                            ("ARN", st(format!("arn:aws:s3:::{bucket}"))),
                        ])]),
                    )
                } else {
                    let key = self.object_key();
                    (
                        obj(vec![
                            ("bucketName", s(bucket)),
                            ("Host", st(host.clone())),
                            ("key", st(key.clone())),
                        ]),
                        J::Arr(vec![
                            obj(vec![
                                ("type", s("AWS::S3::Object")),
                                ("ARN", st(format!("arn:aws:s3:::{bucket}/{key}"))),
                            ]),
                            obj(vec![
                                ("accountId", st(acct)),
                                ("type", s("AWS::S3::Bucket")),
                                ("ARN", st(format!("arn:aws:s3:::{bucket}"))),
                            ]),
                        ]),
                    )
                };
                ev.req = req;
                ev.resources = Some(res);
                let out = if ev.name == "GetObject" { self.rng.range(200, 40_000_000) } else { 0 };
                let inb = if ev.name == "PutObject" { self.rng.range(200, 40_000_000) } else { 0 };
                let amzid = chars(&mut self.rng, B64, 76);
                ev.additional = Some(obj(vec![
                    ("SignatureVersion", s("SigV4")),
                    ("CipherSuite", s("TLS_AES_128_GCM_SHA256")),
                    ("bytesTransferredIn", J::I(inb as i64)),
                    ("AuthenticationMethod", s("AuthHeader")),
                    ("x-amz-id-2", st(amzid)),
                    ("bytesTransferredOut", J::I(out as i64)),
                ]));
                if ev.name == "PutObject" {
                    ev.resp = obj(vec![
                        ("x-amz-server-side-encryption", s("aws:kms")),
                        (
                            "x-amz-server-side-encryption-aws-kms-key-id",
                            st(format!("arn:aws:kms:{region}:{acct}:key/{}", uuid(&mut self.rng))),
                        ),
                        ("x-amz-version-id", st(chars(&mut self.rng, ALNUM, 32))),
                    ]);
                }
                ev.tls_host = Some(host);
            }
            ("s3", _) => {
                let bucket = *self.rng.pick(BUCKETS);
                let host = format!("s3.{region}.amazonaws.com");
                ev.request_id = self.s3_request_id();
                let mut req = vec![("Host", st(host.clone()))];
                if ev.name != "ListBuckets" {
                    req.insert(0, ("bucketName", s(bucket)));
                    ev.resources = Some(J::Arr(vec![obj(vec![
                        ("accountId", st(acct)),
                        ("type", s("AWS::S3::Bucket")),
                        ("ARN", st(format!("arn:aws:s3:::{bucket}"))),
                    ])]));
                }
                match ev.name {
                    "GetBucketAcl" => req.push(("acl", s(""))),
                    "GetBucketPolicy" | "PutBucketPolicy" => req.push(("policy", s(""))),
                    "PutBucketTagging" => {
                        let t = self.tag();
                        req.push(("tagging", s("")));
                        req.push((
                            "Tagging",
                            obj(vec![
                                ("xmlns", s("http://s3.amazonaws.com/doc/2006-03-01/")),
                                ("TagSet", obj(vec![("Tag", t)])),
                            ]),
                        ));
                    }
                    "GetBucketLocation" => req.push(("location", s(""))),
                    _ => {}
                }
                ev.req = obj(req);
                let amzid = chars(&mut self.rng, B64, 76);
                ev.additional = Some(obj(vec![
                    ("SignatureVersion", s("SigV4")),
                    ("CipherSuite", s("TLS_AES_128_GCM_SHA256")),
                    ("bytesTransferredIn", J::I(0)),
                    ("AuthenticationMethod", s("AuthHeader")),
                    ("x-amz-id-2", st(amzid)),
                    ("bytesTransferredOut", J::I(self.rng.range(0, 2000) as i64)),
                ]));
                ev.tls_host = Some(host);
            }
            _ => return false,
        }
        true
    }
}
