//! The public keys (`aws cloudtrail list-public-keys` output) and the signature check, as
//! aws-cli does it (`awscli/customizations/cloudtrail/validation.py`):
//!
//! * keys are looked up by the digest's `digestPublicKeyFingerprint` as an exact key of a dict
//!   built from each key's `Fingerprint` (`PublicKeyProvider.get_public_keys`,
//!   `DigestTraverser._load_and_validate_digest`); no hash of the key is computed;
//! * a key's `Value` is base64 of DER; aws-cli loads it as PKCS#1 `RSAPublicKey`
//!   (`rsa.PublicKey.load_pkcs1(..., format='DER')` in `Sha256RSADigestValidator.validate`);
//!   SubjectPublicKeyInfo DER is accepted too;
//! * the signature is hex (`binascii.unhexlify`, either case), verified as RSA PKCS#1 v1.5 over
//!   SHA-256 of the string to sign (`Sha256RSADigestValidator._create_string_to_sign`):
//!   `digestEndTime\ndigestS3Bucket/digestS3Object\nsha256hex(inflated digest)\nprevious`,
//!   `previous` being the digest's `previousDigestSignature`, or `null` when that is null ("The
//!   value must be 'null' to match the Java implementation").
//!
//! Offline, the signature of a digest is not at hand (CloudTrail stores it in the S3 object's
//! metadata), but the next digest's `previousDigestSignature` is that same signature.

use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use super::digest::Digest;
use super::inflate::unhex;

/// The usable keys by fingerprint (exact text of `Fingerprint`).
pub(crate) type Keys = Vec<(String, RsaPublicKey)>;

/// The keys of a list-public-keys JSON; what cannot be used is said in `notes`.
pub(crate) fn parse(json: &[u8], notes: &mut Vec<String>) -> Keys {
    let list = match serde_json::from_slice::<Value>(json) {
        Ok(mut v) => match v.get_mut("PublicKeyList").map(Value::take) {
            Some(Value::Array(list)) => Some(list),
            _ => None,
        },
        Err(e) => {
            notes.push(format!(
                "public keys: not JSON ({e}): give the output of `aws cloudtrail \
                 list-public-keys` as it is"
            ));
            return Vec::new();
        }
    };
    let Some(list) = list else {
        notes.push(
            "public keys: no PublicKeyList array: give the output of `aws cloudtrail \
             list-public-keys` as it is"
                .into(),
        );
        return Vec::new();
    };
    let mut keys = Vec::new();
    for (i, k) in list.iter().enumerate() {
        let fingerprint = k.get("Fingerprint").and_then(Value::as_str);
        let value = k.get("Value").and_then(Value::as_str);
        let (Some(fingerprint), Some(value)) = (fingerprint, value) else {
            notes.push(format!("public keys: entry {i} has no Fingerprint or Value text; skipped"));
            continue;
        };
        match decode_key(value) {
            Ok(key) => keys.push((fingerprint.to_owned(), key)),
            Err(why) => notes.push(format!(
                "public keys: key {fingerprint}: {why}; skipped (digests signed with it stay \
                 unchecked)"
            )),
        }
    }
    keys
}

/// A key's `Value`: base64 of PKCS#1 or SubjectPublicKeyInfo DER.
fn decode_key(value: &str) -> Result<RsaPublicKey, String> {
    let der = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|e| format!("Value is not base64 ({e})"))?;
    RsaPublicKey::from_pkcs1_der(&der)
        .or_else(|_| RsaPublicKey::from_public_key_der(&der))
        .map_err(|e| format!("Value is not an RSA public key in PKCS#1 or SPKI DER ({e})"))
}

/// The string CloudTrail signs for `d` (aws-cli's `_create_string_to_sign`), or what is missing.
pub(crate) fn string_to_sign(d: &Digest) -> Result<String, &'static str> {
    let end = d.end.as_deref().ok_or("no digestEndTime text")?;
    let bucket = d.bucket.as_deref().ok_or("no digestS3Bucket text")?;
    let object = d.object.as_deref().ok_or("no digestS3Object text")?;
    let previous = d.prev_signature.as_deref().unwrap_or("null");
    Ok(format!("{end}\n{bucket}/{object}\n{}\n{previous}", d.sha256))
}

/// Whether `signature_hex` is `key`'s SHA256withRSA signature of `d`, or why it cannot be.
pub(crate) fn check(d: &Digest, key: &RsaPublicKey, signature_hex: &str) -> Result<(), String> {
    if let Some(a) = d.algorithm.as_deref().filter(|a| *a != "SHA256withRSA") {
        return Err(format!("digestSignatureAlgorithm {a} is not SHA256withRSA"));
    }
    let message = string_to_sign(d).map_err(str::to_owned)?;
    let signature =
        unhex(signature_hex).ok_or("the next digest's previousDigestSignature is not hex")?;
    let hashed = Sha256::digest(message.as_bytes());
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &hashed, &signature)
        .map_err(|_| "the signature does not match this digest's content".to_owned())
}
