//! Signed digest trees built here as CloudTrail builds them (string to sign, PKCS#1 v1.5 over
//! SHA-256, a 1024-bit key generated once), then damaged one way at a time.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::expect_used)]

use std::io::Write;
use std::sync::OnceLock;

use base64::Engine as _;
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::EncodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

use super::inflate::{hex, sha256_hex};
use super::*;

const PREFIX: &str = "AWSLogs/111122223333/CloudTrail";
const FINGERPRINT: &str = "0123456789abcdef0123456789abcdef";

fn key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap())
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn sign(message: &str) -> String {
    let sig = key().sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(message)).unwrap();
    hex(&sig)
}

fn keys_json(der: &[u8], fingerprint: &str) -> Vec<u8> {
    let value = base64::engine::general_purpose::STANDARD.encode(der);
    json!({"PublicKeyList": [{"Value": value, "ValidityStartTime": "2026-01-01T00:00:00Z",
        "ValidityEndTime": "2027-01-01T00:00:00Z", "Fingerprint": fingerprint}]})
    .to_string()
    .into_bytes()
}

fn pkcs1_keys() -> Vec<u8> {
    keys_json(key().to_public_key().to_pkcs1_der().unwrap().as_bytes(), FINGERPRINT)
}

/// Three hourly digests of two gzip log files each, as dropped: `files[..6]` logs, then digests.
struct Tree {
    files: Vec<(String, Vec<u8>)>,
    docs: Vec<Value>,
}

fn log_key(k: usize, j: usize) -> String {
    format!("{PREFIX}/us-east-1/2026/12/03/111122223333_CloudTrail_us-east-1_20261203T0{k}{j}5Z_x{k}{j}.json.gz")
}

fn digest_key(k: usize) -> String {
    format!("{PREFIX}-Digest/us-east-1/2026/12/03/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20261203T0{}0000Z.json.gz", k + 1)
}

fn log_body(k: usize, j: usize) -> Vec<u8> {
    format!(r#"{{"Records":[{{"eventTime":"2026-12-03T0{k}:{j}5:00Z","eventName":"E{k}{j}"}}]}}"#)
        .into_bytes()
}

fn tree() -> Tree {
    let mut files = Vec::new();
    let mut docs = Vec::new();
    let mut previous: Option<(String, String, String)> = None; // key, hash, signature
    for k in 0..3 {
        let mut listed = Vec::new();
        for j in 0..2 {
            let body = log_body(k, j);
            listed.push(json!({"s3Bucket": "logs", "s3Object": log_key(k, j),
                "hashValue": sha256_hex(&body), "hashAlgorithm": "SHA-256",
                "newestEventTime": "2026-12-03T00:00:00Z", "oldestEventTime": "2026-12-03T00:00:00Z"}));
            files.push((format!("dl/{}", log_key(k, j)), gz(&body)));
        }
        let (pk, ph, ps) = match &previous {
            Some((a, b, c)) => (json!("logs-d"), json!(a), (json!(b), json!(c))),
            None => (Value::Null, Value::Null, (Value::Null, Value::Null)),
        };
        let end = format!("2026-12-03T0{}:00:00Z", k + 1);
        let doc = json!({"awsAccountId": "111122223333",
            "digestStartTime": format!("2026-12-03T0{k}:00:00Z"), "digestEndTime": end,
            "digestS3Bucket": "logs-d", "digestS3Object": digest_key(k),
            "digestPublicKeyFingerprint": FINGERPRINT, "digestSignatureAlgorithm": "SHA256withRSA",
            "newestEventTime": end, "oldestEventTime": end,
            "previousDigestS3Bucket": pk, "previousDigestS3Object": ph,
            "previousDigestHashValue": ps.0, "previousDigestSignature": ps.1, "logFiles": listed});
        docs.push(doc);
        let bytes = serde_json::to_vec(docs.last().unwrap()).unwrap();
        let hash = sha256_hex(&bytes);
        let prev_sig = previous.as_ref().map_or("null".to_owned(), |p| p.2.clone());
        let signature = sign(&format!("{end}\nlogs-d/{}\n{hash}\n{prev_sig}", digest_key(k)));
        files.push((format!("dl/{}", digest_key(k)), gz(&bytes)));
        previous = Some((digest_key(k), hash, signature));
    }
    Tree { files, docs }
}

impl Tree {
    fn run(&self, keys: Option<&[u8]>) -> Report {
        let inputs: Vec<Input<'_>> =
            self.files.iter().map(|(p, b)| Input { path: p, bytes: b }).collect();
        verify(&inputs, keys, &Limits::default())
    }
    fn remove(&mut self, path_end: &str) {
        self.files.retain(|(p, _)| !p.ends_with(path_end));
    }
    fn set(&mut self, path_end: &str, bytes: Vec<u8>) {
        let f = self.files.iter_mut().find(|(p, _)| p.ends_with(path_end)).unwrap();
        f.1 = bytes;
    }
}

fn log_verdict(r: &Report, path_end: &str) -> LogVerdict {
    r.log_files.iter().find(|l| l.path.ends_with(path_end)).unwrap().verdict
}

fn digest(r: &Report, k: usize) -> &DigestResult {
    r.digests.iter().find(|d| d.path.ends_with(&digest_key(k))).unwrap()
}

#[test]
fn an_intact_tree_verifies_except_the_newest_signature() {
    let r = tree().run(Some(&pkcs1_keys()));
    assert_eq!(r.log_files.len(), 6, "{r:#?}");
    assert!(r.log_files.iter().all(|l| l.verdict == LogVerdict::Valid), "{r:#?}");
    let sigs: Vec<_> = r.digests.iter().map(|d| d.signature).collect();
    use SignatureVerdict::*;
    assert_eq!(sigs, [Valid, Valid, UncheckedNewest], "{r:#?}");
    assert!(r.digests.iter().all(|d| d.chain == ChainVerdict::Ok && d.accepted));
    let s = &r.summary;
    assert_eq!(
        (s.verified, s.modified, s.missing, s.not_covered, s.trailing_data),
        (6, 0, 0, 0, 0)
    );
    assert!(s.chain.complete && s.chain.gaps.is_empty());
    assert_eq!(s.chain.from.as_deref(), Some("2026-12-03T00:00:00Z"));
    assert_eq!(s.chain.to.as_deref(), Some("2026-12-03T03:00:00Z"));
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn spki_keys_are_accepted_too() {
    let spki = key().to_public_key().to_public_key_der().unwrap();
    let r = tree().run(Some(&keys_json(spki.as_bytes(), FINGERPRINT)));
    assert_eq!(digest(&r, 0).signature, SignatureVerdict::Valid, "{r:#?}");
}

#[test]
fn modified_missing_injected_and_appended_log_files() {
    let mut t = tree();
    t.set(&log_key(0, 0), gz(b"{\"Records\":[]}"));
    t.remove(&log_key(1, 0));
    t.files.push(("dl/extra/injected.json".into(), log_body(9, 9)));
    let mut appended = gz(&log_body(2, 1));
    appended.extend(gz(br#"{"Records":[{"eventName":"Hidden"}]}"#));
    t.set(&log_key(2, 1), appended);
    let r = t.run(Some(&pkcs1_keys()));
    assert_eq!(log_verdict(&r, &log_key(0, 0)), LogVerdict::Modified);
    assert_eq!(log_verdict(&r, &log_key(1, 0)), LogVerdict::Missing);
    assert_eq!(log_verdict(&r, "injected.json"), LogVerdict::NotCovered);
    assert_eq!(log_verdict(&r, &log_key(2, 1)), LogVerdict::TrailingData);
    assert_eq!(log_verdict(&r, &log_key(0, 1)), LogVerdict::Valid);
    let s = &r.summary;
    assert_eq!(
        (s.verified, s.modified, s.missing, s.not_covered, s.trailing_data),
        (3, 1, 1, 1, 1)
    );
    // The digests are untouched.
    assert!(s.chain.complete);
}

#[test]
fn a_deleted_middle_digest_is_a_gap_on_the_newer_one() {
    let mut t = tree();
    t.remove(&digest_key(1));
    let r = t.run(Some(&pkcs1_keys()));
    assert_eq!(digest(&r, 2).chain, ChainVerdict::Gap);
    assert_eq!(digest(&r, 0).chain, ChainVerdict::Ok);
    // Digest 0's signature was in the missing digest.
    assert_eq!(digest(&r, 0).signature, SignatureVerdict::UncheckedNewest);
    assert!(!r.summary.chain.complete);
    assert_eq!(r.summary.chain.gaps.len(), 1);
    assert_eq!(r.summary.chain.gaps[0].missing, digest_key(1));
    // Its log files are listed by nobody now.
    assert_eq!(log_verdict(&r, &log_key(1, 0)), LogVerdict::NotCovered);
}

#[test]
fn a_forged_digest_is_caught_by_the_next_one_and_vouches_for_nothing() {
    let mut t = tree();
    // The forger changes a log file and rewrites the digest's hash to match.
    let forged_log = br#"{"Records":[]}"#;
    t.set(&log_key(1, 0), gz(forged_log));
    let mut doc = t.docs[1].clone();
    doc["logFiles"][0]["hashValue"] = json!(sha256_hex(forged_log));
    t.set(&digest_key(1), gz(&serde_json::to_vec(&doc).unwrap()));
    let r = t.run(Some(&pkcs1_keys()));
    assert_eq!(digest(&r, 2).chain, ChainVerdict::HashMismatch, "{r:#?}");
    assert_eq!(digest(&r, 1).signature, SignatureVerdict::Invalid, "{r:#?}");
    assert!(!digest(&r, 1).accepted && digest(&r, 2).accepted && digest(&r, 0).accepted);
    assert_eq!(log_verdict(&r, &log_key(1, 0)), LogVerdict::NotCovered);
    assert_eq!(log_verdict(&r, &log_key(1, 1)), LogVerdict::NotCovered);
    assert_eq!(r.summary.chain.gaps[0].chain, ChainVerdict::HashMismatch);
    // Without keys the hash check alone still rejects it.
    let r = t.run(None);
    assert_eq!(digest(&r, 1).signature, SignatureVerdict::UncheckedNoKey);
    assert!(!digest(&r, 1).accepted);
    assert_eq!(log_verdict(&r, &log_key(1, 0)), LogVerdict::NotCovered);
}

#[test]
fn a_wrong_signature_is_invalid_and_rejects_its_digest() {
    let mut t = tree();
    let mut doc = t.docs[2].clone();
    let sig = doc["previousDigestSignature"].as_str().unwrap().to_owned();
    let flipped = if sig.starts_with('0') { "1" } else { "0" };
    doc["previousDigestSignature"] = json!(format!("{flipped}{}", &sig[1..]));
    t.set(&digest_key(2), gz(&serde_json::to_vec(&doc).unwrap()));
    let r = t.run(Some(&pkcs1_keys()));
    assert_eq!(digest(&r, 1).signature, SignatureVerdict::Invalid);
    assert_eq!(log_verdict(&r, &log_key(1, 0)), LogVerdict::NotCovered);
    assert_eq!(r.summary.signatures_invalid, 1);
}

#[test]
fn without_a_usable_key_signatures_stay_unchecked() {
    let t = tree();
    let r = t.run(None);
    use SignatureVerdict::*;
    let sigs: Vec<_> = r.digests.iter().map(|d| d.signature).collect();
    assert_eq!(sigs, [UncheckedNoKey, UncheckedNoKey, UncheckedNewest]);
    assert_eq!(r.summary.verified, 6);
    let der = key().to_public_key().to_pkcs1_der().unwrap();
    let r = t.run(Some(&keys_json(der.as_bytes(), "ffff")));
    assert_eq!(digest(&r, 0).signature, UncheckedNoKey);
    assert_eq!(r.summary.signatures_invalid, 0);
}

/// aws-cli `Sha256RSADigestValidator._create_string_to_sign`: a null previousDigestSignature is
/// the text "null" ("to match the Java implementation"); a signature over an empty previous part
/// does not verify.
#[test]
fn the_first_digest_signs_the_text_null() {
    let t = tree();
    let first = &t.docs[0];
    let bytes = serde_json::to_vec(first).unwrap();
    let d = digest::parse("d", &bytes, &sha256_hex(&bytes)).unwrap();
    assert!(keys::string_to_sign(&d).unwrap().ends_with("\nnull"));
    let wrong = sign(keys::string_to_sign(&d).unwrap().strip_suffix("null").unwrap());
    assert!(keys::check(&d, &key().to_public_key(), &wrong).is_err());
    let right = sign(&keys::string_to_sign(&d).unwrap());
    // binascii.unhexlify takes either case.
    assert!(keys::check(&d, &key().to_public_key(), &right.to_uppercase()).is_ok());
}

/// aws-cli `CloudTrailValidateLogs._download_log` compares `hexdigest()` (lowercase) with
/// `hashValue` by `!=`: an uppercase hashValue does not match.
#[test]
fn hash_values_compare_as_aws_cli_does() {
    let mut t = tree();
    // The newest digest: nothing after it contradicts its changed bytes.
    let mut doc = t.docs[2].clone();
    let upper = doc["logFiles"][0]["hashValue"].as_str().unwrap().to_uppercase();
    doc["logFiles"][0]["hashValue"] = json!(upper);
    t.set(&digest_key(2), gz(&serde_json::to_vec(&doc).unwrap()));
    let r = t.run(None);
    assert!(digest(&r, 2).accepted);
    assert_eq!(log_verdict(&r, &log_key(2, 0)), LogVerdict::Modified);
    assert_eq!(log_verdict(&r, &log_key(2, 1)), LogVerdict::Valid);
}

#[test]
fn a_log_file_is_found_by_its_name_when_its_folders_are_gone() {
    let mut t = tree();
    let name = log_key(0, 0).rsplit('/').next().unwrap().to_owned();
    let f = t.files.iter_mut().find(|(p, _)| p.ends_with(&log_key(0, 0))).unwrap();
    f.0 = format!("C:\\Downloads\\{name}");
    let r = t.run(None);
    assert_eq!(log_verdict(&r, &name), LogVerdict::Valid);
    assert_eq!(r.summary.missing, 0);
}

#[test]
fn hostile_inputs_never_panic() {
    let mut t = tree();
    let good = t.files[0].1.clone();
    t.set(&log_key(0, 0), good[..good.len() / 2].to_vec()); // truncated gzip
    t.files.push(("dl/x.json".into(), b"not json {".to_vec()));
    t.files.push(("dl/y.json".into(), br#"{"logFiles": 7, "digestEndTime": []}"#.to_vec()));
    t.files.push((
        "dl/z.json".into(),
        br#"{"logFiles":[{"s3Object":5},{"s3Object":"a","hashValue":1e999999}],"digestS3Object":"q","previousDigestS3Object":"AWSLogs/zz","previousDigestSignature":"zz"}"#.to_vec(),
    ));
    t.files.push(("dl/empty.gz".into(), vec![0x1f, 0x8b]));
    let r = t.run(Some(&pkcs1_keys()));
    assert_eq!(log_verdict(&r, &log_key(0, 0)), LogVerdict::Modified);
    assert!(r.log_files.iter().find(|l| l.path.ends_with(&log_key(0, 0))).unwrap().note.is_some());
    assert_eq!(log_verdict(&r, "x.json"), LogVerdict::NotCovered);
    for keys in [
        &b"not json"[..],
        br#"{"PublicKeyList": 3}"#,
        br#"{"PublicKeyList":[{"Value":"%%%","Fingerprint":"0123456789abcdef0123456789abcdef"}]}"#,
        br#"{"PublicKeyList":[{"Value":"AAAA","Fingerprint":"0123456789abcdef0123456789abcdef"}]}"#,
        br#"{"PublicKeyList":[{"Value":7}]}"#,
    ] {
        let r = tree().run(Some(keys));
        assert_eq!(digest(&r, 0).signature, SignatureVerdict::UncheckedNoKey);
        assert!(!r.notes.is_empty());
    }
}

#[test]
fn decompression_stops_at_the_limit() {
    let bomb = gz(&vec![b' '; 1 << 20]);
    let inputs = [Input { path: "bomb.gz", bytes: &bomb }];
    let limits = Limits { max_file_bytes: 1000, ..Limits::default() };
    let r = verify(&inputs, None, &limits);
    assert!(r.log_files[0].note.as_deref().unwrap().contains("limit"), "{r:#?}");
}
