//! The bytes a hash is taken over: a gzip file's first member, inflated within the per-file
//! limit, and whether anything follows that member. CloudTrail hashes the uncompressed log, and
//! aws-cli (`awscli/customizations/cloudtrail/validation.py`, `CloudTrailValidateLogs._download_log`)
//! inflates one member with `zlib.decompressobj` and reports any `unused_data` as "unexpected data
//! after end of compressed stream": events appended as a second member would otherwise be read by
//! a multi-member reader while the first member still matches its digest. So this uses flate2's
//! single-member `bufread::GzDecoder` over the slice and looks at what is left of the slice.

use std::borrow::Cow;
use std::io::Read;

use sha2::{Digest as _, Sha256};

/// One file's content as hashed.
pub(crate) struct Inflated<'a> {
    /// The first gzip member's output, or the bytes as they are when they are not gzip.
    pub bytes: Cow<'a, [u8]>,
    /// Bytes follow the first gzip member.
    pub trailing: bool,
}

/// Inflates `raw`'s first gzip member (recognised by its magic bytes `1f 8b`) to at most `max`
/// bytes; anything else is returned as it is.
pub(crate) fn inflate(raw: &[u8], max: u64) -> Result<Inflated<'_>, String> {
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return Ok(Inflated { bytes: Cow::Borrowed(raw), trailing: false });
    }
    let mut rest: &[u8] = raw;
    let mut out = Vec::new();
    {
        let decoder = flate2::bufread::GzDecoder::new(&mut rest);
        decoder.take(max.saturating_add(1)).read_to_end(&mut out).map_err(|e| {
            format!("not a readable gzip file ({e}): re-download it from S3 unchanged")
        })?;
    }
    if out.len() as u64 > max {
        return Err(format!(
            "inflates past the {max}-byte limit per file: it cannot be a CloudTrail file as \
             delivered"
        ));
    }
    Ok(Inflated { bytes: Cow::Owned(out), trailing: !rest.is_empty() })
}

/// Lowercase hex SHA-256 of `bytes`, as Python's `hashlib.sha256(...).hexdigest()` writes it.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex. Written here (with [`unhex`]) rather than taken from the `hex` crate: these
/// dozen lines are all of it that validation needs, and nothing else in the tree pulls it in.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        for nibble in [b >> 4, b & 15] {
            s.push(char::from(DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0')));
        }
    }
    s
}

/// Hex of either case to bytes (as Python's `binascii.unhexlify`), or `None` when it is not hex.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.as_bytes();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
    s.chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some(digit(*hi)? << 4 | digit(*lo)?),
            _ => None,
        })
        .collect()
}
