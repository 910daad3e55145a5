//! A digest file read by content: a JSON object with `logFiles` and `digestEndTime` or
//! `digestS3Object` (its name may have been changed; its fields say what it is). Every field is
//! taken as an optional JSON value and then as text, so a wrong type leaves that field unknown
//! instead of failing the file, and the `Records` of a log file are skipped without being built.

use serde::Deserialize;
use serde_json::Value;

/// The fields of a digest this module uses (CloudTrail's names).
#[derive(Deserialize)]
struct Doc {
    #[serde(rename = "logFiles")]
    log_files: Option<Value>,
    #[serde(rename = "digestStartTime")]
    start: Option<Value>,
    #[serde(rename = "digestEndTime")]
    end: Option<Value>,
    #[serde(rename = "digestS3Bucket")]
    bucket: Option<Value>,
    #[serde(rename = "digestS3Object")]
    object: Option<Value>,
    #[serde(rename = "previousDigestS3Bucket")]
    prev_bucket: Option<Value>,
    #[serde(rename = "previousDigestS3Object")]
    prev_object: Option<Value>,
    #[serde(rename = "previousDigestHashValue")]
    prev_hash: Option<Value>,
    #[serde(rename = "previousDigestSignature")]
    prev_signature: Option<Value>,
    #[serde(rename = "digestPublicKeyFingerprint")]
    fingerprint: Option<Value>,
    #[serde(rename = "digestSignatureAlgorithm")]
    algorithm: Option<Value>,
}

/// One entry of `logFiles`.
pub(crate) struct Listed {
    pub bucket: Option<String>,
    pub object: String,
    pub hash: Option<String>,
}

/// A digest as dropped.
pub(crate) struct Digest {
    pub path: String,
    /// Lowercase hex SHA-256 of its uncompressed bytes.
    pub sha256: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub bucket: Option<String>,
    pub object: Option<String>,
    pub prev_bucket: Option<String>,
    pub prev_object: Option<String>,
    pub prev_hash: Option<String>,
    /// `None` when null or absent (the first digest of a chain).
    pub prev_signature: Option<String>,
    pub fingerprint: Option<String>,
    pub algorithm: Option<String>,
    pub logs: Vec<Listed>,
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

/// The digest in `json`, or `None` when it is not one.
pub(crate) fn parse(path: &str, json: &[u8], sha256: &str) -> Option<Digest> {
    memchr::memmem::find(json, b"\"logFiles\"")?;
    let doc: Doc = serde_json::from_slice(json).ok()?;
    let logs = doc.log_files.as_ref()?.as_array()?;
    if doc.end.is_none() && doc.object.is_none() {
        return None;
    }
    let logs = logs
        .iter()
        .filter_map(|l| {
            Some(Listed {
                bucket: text(l.get("s3Bucket")),
                object: text(l.get("s3Object"))?,
                hash: text(l.get("hashValue")),
            })
        })
        .collect();
    Some(Digest {
        path: path.to_owned(),
        sha256: sha256.to_owned(),
        start: text(doc.start.as_ref()),
        end: text(doc.end.as_ref()),
        bucket: text(doc.bucket.as_ref()),
        object: text(doc.object.as_ref()),
        prev_bucket: text(doc.prev_bucket.as_ref()),
        prev_object: text(doc.prev_object.as_ref()),
        prev_hash: text(doc.prev_hash.as_ref()),
        prev_signature: text(doc.prev_signature.as_ref()),
        fingerprint: text(doc.fingerprint.as_ref()),
        algorithm: text(doc.algorithm.as_ref()),
        logs,
    })
}

impl Digest {
    /// Whether `self` names `other` as its predecessor: the S3 key, and the bucket when both say.
    pub(crate) fn follows(&self, other: &Digest) -> bool {
        let same_key = self.prev_object.is_some() && self.prev_object == other.object;
        let bucket_ok = match (&self.prev_bucket, &other.bucket) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        same_key && bucket_ok
    }
}
