//! Offline log-file validation: what `aws cloudtrail validate-logs` checks, from the files the
//! user dropped and, optionally, the output of `aws cloudtrail list-public-keys`, without AWS.
//! A pure function ([`verify`]) over paths and bytes as they were on disk, so the page and
//! `trailglass-scan --verify` give the same verdicts.
//!
//! CloudTrail writes, per trail and region, an hourly digest file listing each log file it
//! delivered (`logFiles[]`: S3 key and the hex SHA-256 of the *uncompressed* log) and naming the
//! previous digest (its key, the SHA-256 of its uncompressed bytes and its signature). The
//! details follow aws-cli's `awscli/customizations/cloudtrail/validation.py` (cited in each
//! submodule: `keys` for keys and signatures, `inflate` for hashing and trailing data).
//!
//! * **Recognising**: gzip by its magic bytes; a digest by content (a JSON object with
//!   `logFiles` and `digestEndTime` or `digestS3Object`); every other file is a log file.
//! * **Matching** a listed `s3Object` to dropped log files: the files whose path (with `\` read
//!   as `/`) is the key or ends with `/` + key; when none does, the files with the key's file
//!   name (CloudTrail's file names hold account, region, time and a unique id, so a file copied
//!   out of its folders is still found). Digests are matched to each other by their own
//!   `digestS3Object`/`digestS3Bucket` fields, not by path.
//! * **Log verdicts** ([`LogVerdict`]): `trailing-data` first (as aws-cli, which does not then
//!   compare the hash), then `valid` when the first member's SHA-256 equals `hashValue` exactly
//!   (aws-cli compares its lowercase `hexdigest()` with `!=`), else `modified` (also for a file
//!   that does not inflate). `missing`: listed, not dropped. `not-covered`: dropped, listed by no
//!   accepted digest.
//! * **Chain** ([`ChainVerdict`], on the newer digest): `ok` when the predecessor is dropped and
//!   hashes to `previousDigestHashValue`, or when there is none (`previousDigestS3Object` null or
//!   absent: the chain starts there); `gap` when it is not among the dropped digests;
//!   `hash-mismatch` when it is but its bytes differ.
//! * **Signatures** ([`SignatureVerdict`]): a digest's signature is the next digest's
//!   `previousDigestSignature`; `unchecked-newest` without a next digest (it takes precedence),
//!   `unchecked-no-key` without a key of its fingerprint (an unknown fingerprint is not proof of
//!   forgery), else `valid` or `invalid`.
//! * **Rejected** digests (signature `invalid`, or contradicted by the next digest's hash) vouch
//!   for nothing: their log files are `not-covered` unless an accepted digest lists them.
//!
//! Not done here (said to the user in the docs): key validity times are not compared with the
//! digest's time, and a digest's location (aws-cli's "moved from its original location") is not
//! compared with its path. Inflating is capped at [`Limits::max_file_bytes`] per file; hostile
//! input (bad gzip, JSON, hex, base64, DER) gives verdicts and notes, never a panic.

mod digest;
mod inflate;
mod keys;
mod result;

use std::collections::HashMap;

use crate::Limits;
use digest::Digest;
use inflate::{inflate, sha256_hex};
pub use result::{
    ChainSummary, ChainVerdict, DigestResult, Gap, LogFileResult, LogVerdict, Report,
    SignatureVerdict, Summary,
};

/// One dropped file: its path and its bytes as they were on disk.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub path: &'a str,
    pub bytes: &'a [u8],
}

/// A dropped file that is not a digest.
struct LogFile {
    path: String,
    sha256: Option<String>,
    trailing: bool,
    verdict: Option<LogVerdict>,
    digest: Option<String>,
    s3_object: Option<String>,
    note: Option<String>,
}

/// Validates the dropped `files` against the digests among them; `public_keys` is the output of
/// `aws cloudtrail list-public-keys` (JSON), without which no signature is checked.
pub fn verify(files: &[Input<'_>], public_keys: Option<&[u8]>, limits: &Limits) -> Report {
    let mut notes = Vec::new();
    let keys = public_keys.map(|k| keys::parse(k, &mut notes));
    let mut digests: Vec<Digest> = Vec::new();
    let mut logs: Vec<LogFile> = Vec::new();
    for f in files {
        let mut log = LogFile {
            path: f.path.to_owned(),
            sha256: None,
            trailing: false,
            verdict: None,
            digest: None,
            s3_object: None,
            note: None,
        };
        match inflate(f.bytes, limits.max_file_bytes) {
            Ok(inflated) => {
                let sha = sha256_hex(&inflated.bytes);
                if let Some(d) = digest::parse(f.path, &inflated.bytes, &sha) {
                    if inflated.trailing {
                        notes.push(format!(
                            "{}: data after the digest's gzip member ignored",
                            f.path
                        ));
                    }
                    digests.push(d);
                    continue;
                }
                log.sha256 = Some(sha);
                log.trailing = inflated.trailing;
            }
            Err(why) => log.note = Some(why),
        }
        logs.push(log);
    }
    digests.sort_by(|a, b| (&a.end, &a.path).cmp(&(&b.end, &b.path)));
    let (mut results, accepted) = judge_digests(&digests, keys.as_deref());
    let mut missing = match_logs(&digests, &accepted, &mut logs);
    let mut log_files: Vec<LogFileResult> = logs
        .into_iter()
        .map(|l| LogFileResult {
            path: l.path,
            verdict: l.verdict.unwrap_or(LogVerdict::NotCovered),
            digest: l.digest,
            s3_object: l.s3_object,
            note: l.note,
        })
        .collect();
    log_files.append(&mut missing);
    for (r, ok) in results.iter_mut().zip(&accepted) {
        r.accepted = *ok;
    }
    let summary = Summary::of(&log_files, &results);
    Report { log_files, digests: results, summary, notes }
}

/// Each digest's chain and signature verdicts, and whether it is accepted.
fn judge_digests(
    digests: &[Digest],
    keys: Option<&[(String, rsa::RsaPublicKey)]>,
) -> (Vec<DigestResult>, Vec<bool>) {
    let mut by_object: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_prev: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in digests.iter().enumerate() {
        if let Some(o) = &d.object {
            by_object.entry(o).or_default().push(i);
        }
        if let Some(p) = &d.prev_object {
            by_prev.entry(p).or_default().push(i);
        }
    }
    let find =
        |map: &HashMap<&str, Vec<usize>>, key: &Option<String>, ok: &dyn Fn(&Digest) -> bool| {
            key.as_deref()
                .and_then(|k| map.get(k))
                .and_then(|ids| ids.iter().copied().find(|&j| digests.get(j).is_some_and(ok)))
        };
    let mut results = Vec::with_capacity(digests.len());
    for d in digests {
        let mut note = None;
        let chain = if d.prev_object.is_none() {
            ChainVerdict::Ok
        } else {
            match find(&by_object, &d.prev_object, &|p| d.follows(p)).and_then(|j| digests.get(j)) {
                None => ChainVerdict::Gap,
                Some(p) if d.prev_hash.as_deref() == Some(p.sha256.as_str()) => ChainVerdict::Ok,
                Some(p) => {
                    note = Some(format!(
                        "previousDigestHashValue does not match {}: that digest was changed",
                        p.path
                    ));
                    ChainVerdict::HashMismatch
                }
            }
        };
        let next = find(&by_prev, &d.object, &|n| n.follows(d)).and_then(|j| digests.get(j));
        let key = d
            .fingerprint
            .as_deref()
            .and_then(|f| keys.and_then(|ks| ks.iter().find(|(fp, _)| fp == f)).map(|(_, k)| k));
        let signature = match (next, key) {
            (None, _) => SignatureVerdict::UncheckedNewest,
            (Some(_), None) => SignatureVerdict::UncheckedNoKey,
            (Some(n), Some(k)) => match n.prev_signature.as_deref() {
                None => {
                    note = Some(format!("{} names it but carries no signature", n.path));
                    SignatureVerdict::Invalid
                }
                Some(sig) => match keys::check(d, k, sig) {
                    Ok(()) => SignatureVerdict::Valid,
                    Err(why) => {
                        note = Some(why);
                        SignatureVerdict::Invalid
                    }
                },
            },
        };
        results.push(DigestResult {
            path: d.path.clone(),
            s3_object: d.object.clone(),
            start: d.start.clone(),
            end: d.end.clone(),
            previous: d.prev_object.clone(),
            chain,
            signature,
            accepted: true,
            note,
        });
    }
    let accepted = digests
        .iter()
        .zip(&results)
        .map(|(d, r)| {
            let contradicted = find(&by_prev, &d.object, &|n| n.follows(d))
                .and_then(|j| results.get(j))
                .is_some_and(|n| n.chain == ChainVerdict::HashMismatch);
            r.signature != SignatureVerdict::Invalid && !contradicted
        })
        .collect();
    (results, accepted)
}

/// Gives each log file listed by an accepted digest its verdict; returns the listed files that
/// were not dropped.
fn match_logs(digests: &[Digest], accepted: &[bool], logs: &mut [LogFile]) -> Vec<LogFileResult> {
    let paths: Vec<String> = logs.iter().map(|l| l.path.replace('\\', "/")).collect();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        by_name.entry(file_name(p)).or_default().push(i);
    }
    let mut missing = Vec::new();
    for (d, _) in digests.iter().zip(accepted).filter(|(_, ok)| **ok) {
        for listed in &d.logs {
            let key = listed.object.as_str();
            let named = by_name.get(file_name(key)).map(Vec::as_slice).unwrap_or_default();
            let full: Vec<usize> = named
                .iter()
                .copied()
                .filter(|&i| paths.get(i).is_some_and(|p| ends_with_key(p, key)))
                .collect();
            let found = if full.is_empty() { named } else { &full };
            if found.is_empty() {
                missing.push(LogFileResult {
                    path: key.to_owned(),
                    verdict: LogVerdict::Missing,
                    digest: Some(d.path.clone()),
                    s3_object: Some(key.to_owned()),
                    note: listed.bucket.as_ref().map(|b| format!("s3://{b}/{key} not dropped")),
                });
            }
            for &i in found {
                let Some(log) = logs.get_mut(i) else { continue };
                let verdict = if log.trailing {
                    LogVerdict::TrailingData
                } else if log.sha256.is_some() && log.sha256 == listed.hash {
                    LogVerdict::Valid
                } else {
                    LogVerdict::Modified
                };
                // A file listed twice keeps its worse verdict.
                if log.verdict.is_none_or(|v| v == LogVerdict::Valid) {
                    log.verdict = Some(verdict);
                    log.digest = Some(d.path.clone());
                    log.s3_object = Some(key.to_owned());
                }
            }
        }
    }
    missing
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn ends_with_key(path: &str, key: &str) -> bool {
    path == key || path.strip_suffix(key).is_some_and(|head| head.ends_with('/'))
}

#[cfg(test)]
mod tests;
