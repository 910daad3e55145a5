//! The outer layer of reading: what an input is before it is a text. gzip (by magic bytes) and
//! zip (by magic bytes, members of any kind, nested up to [`MAX_ARCHIVE_DEPTH`]) are expanded
//! here, each through `take(limit + 1)` so a decompression bomb costs at most the limit; what
//! comes out is read again as an input of its own (an archive in an archive, a text). A plain
//! text within the limits goes to [`read_text`].
//!
//! Every input ends as at least one [`FileReport`] in the store: one per member for zips, one for
//! an archive that fails (or is empty) as a whole. Damage after some decompressed bytes keeps
//! what came before and says so in the error of each report it produced.

use std::io::{Cursor, Read};

use super::reader::Input;
use super::text::read_text;
use super::ReadOptions;
use crate::report::{parse_aws_key, Budget, ErrorKind, FileReport, Format, Oversized, ReadError};
use crate::store::Store;

/// gzip-in-zip-in-gzip… deeper than this is refused.
pub(super) const MAX_ARCHIVE_DEPTH: u32 = 4;

/// Where an input sits: the file it came in as, its name inside archives, and how it came.
struct Member<'p> {
    path: &'p str,
    /// Member name inside an archive (nested archives joined with `!`).
    name: Option<String>,
    /// It came through gzip or a compressed zip member.
    compressed: bool,
    /// Archives around it.
    depth: u32,
    /// What the user chose to leave out while reading (the same for every member).
    options: ReadOptions,
}

/// Reads one input the caller gave (any supported format), adding its reports to the store.
pub(super) fn ingest(store: &mut Store, path: &str, input: Input<'_>, options: ReadOptions) {
    let m = Member { path, name: None, compressed: false, depth: 0, options };
    ingest_member(store, m, input);
}

fn is_gzip(b: &[u8]) -> bool {
    b.starts_with(&[0x1f, 0x8b])
}

fn is_zip(b: &[u8]) -> bool {
    b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06") || b.starts_with(b"PK\x07\x08")
}

fn new_report(path: &str, member: Option<String>, bytes: u64, compressed: bool) -> FileReport {
    let aws_key = parse_aws_key(member.as_deref().unwrap_or(path)).or_else(|| parse_aws_key(path));
    FileReport {
        path: path.to_string(),
        member,
        bytes,
        compressed,
        aws_key,
        ..FileReport::default()
    }
}

/// Bytes still allowed for one more file, and which limit binds.
fn budget(store: &Store) -> (u64, Budget) {
    let total_left = store.bytes_left();
    let per_file = store.limits().max_file_bytes;
    if total_left < per_file {
        (total_left, Budget::Total)
    } else {
        (per_file, Budget::PerFile)
    }
}

fn too_large(what: Oversized, (limit, budget): (u64, Budget)) -> ReadError {
    ErrorKind::TooLarge { what, budget, limit }.into()
}

fn ingest_member(store: &mut Store, m: Member<'_>, input: Input<'_>) {
    let bytes = input.bytes();
    if (is_gzip(bytes) || is_zip(bytes)) && m.depth >= MAX_ARCHIVE_DEPTH {
        let mut rep = new_report(m.path, m.name, bytes.len() as u64, m.compressed);
        rep.format = Format::Archive;
        rep.error = Some(ErrorKind::ArchiveTooDeep { max: MAX_ARCHIVE_DEPTH }.into());
        store.push_file(rep);
        return;
    }
    if is_gzip(bytes) {
        return read_gzip(store, m, bytes);
    }
    if is_zip(bytes) {
        return read_zip(store, m, bytes);
    }
    let (limit, which) = budget(store);
    let mut rep = new_report(m.path, m.name, bytes.len() as u64, m.compressed);
    if bytes.len() as u64 > limit {
        rep.error = Some(too_large(Oversized::File, (limit, which)));
        store.push_file(rep);
        return;
    }
    read_text(store, rep, input, m.options);
}

/// Decompresses (all gzip members) up to `limit + 1` bytes. Returns what came out and the error
/// that stopped it, if any.
fn gunzip(bytes: &[u8], limit: u64) -> (Vec<u8>, Option<std::io::Error>) {
    // ISIZE (last 4 bytes) is exact for honest single-member files; bound it by the deflate
    // maximum ratio and the limit so a lying header cannot make us reserve much.
    let isize_hint = bytes
        .len()
        .checked_sub(4)
        .and_then(|i| bytes.get(i..))
        .and_then(|s| <[u8; 4]>::try_from(s).ok())
        .map_or(0, |a| u64::from(u32::from_le_bytes(a)));
    let hint = isize_hint.min(bytes.len() as u64 * 1032).min(limit.saturating_add(1)).min(1 << 31);
    let mut out = Vec::with_capacity(hint as usize);
    let dec = flate2::read::MultiGzDecoder::new(bytes);
    let res = dec.take(limit.saturating_add(1)).read_to_end(&mut out);
    (out, res.err())
}

fn read_gzip(store: &mut Store, m: Member<'_>, bytes: &[u8]) {
    let (limit, which) = budget(store);
    let (data, err) = gunzip(bytes, limit);
    if data.len() as u64 > limit {
        let mut rep = new_report(m.path, m.name, data.len() as u64, true);
        rep.format = Format::Gzip;
        rep.error = Some(too_large(Oversized::GzipContent, (limit, which)));
        store.push_file(rep);
        return;
    }
    let inner = Member { compressed: true, depth: m.depth + 1, ..m };
    match err {
        None => ingest_member(store, inner, Input::Owned(data)),
        Some(e) if data.is_empty() => {
            let mut rep = new_report(inner.path, inner.name, 0, true);
            rep.format = Format::Gzip;
            rep.error = Some(ErrorKind::Gzip { message: e.to_string(), after: None }.into());
            store.push_file(rep);
        }
        Some(e) => {
            // Keep what decompressed before the damage, and say so.
            let before = store.files().len();
            let after = Some(data.len());
            ingest_member(store, inner, Input::Owned(data));
            let error: ReadError = ErrorKind::Gzip { message: e.to_string(), after }.into();
            for r in store.files_from_mut(before) {
                if r.error.is_none() {
                    r.error = Some(error.clone());
                }
            }
        }
    }
}

fn read_zip(store: &mut Store, m: Member<'_>, bytes: &[u8]) {
    let whole_error = |store: &mut Store, kind: ErrorKind| {
        let mut rep = new_report(m.path, m.name.clone(), bytes.len() as u64, false);
        rep.format = Format::Zip;
        rep.error = Some(kind.into());
        store.push_file(rep);
    };
    let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => return whole_error(store, ErrorKind::Zip { message: e.to_string() }),
    };
    let max_members = store.limits().max_archive_members;
    if archive.len() > max_members {
        let kind = ErrorKind::TooManyMembers { members: archive.len(), limit: max_members };
        return whole_error(store, kind);
    }
    let before = store.files().len();
    for i in 0..archive.len() {
        let (limit, which) = budget(store);
        let mut f = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                let name = join_member(&m.name, &format!("#{i}"));
                let mut rep = new_report(m.path, Some(name), 0, true);
                rep.error = Some(ErrorKind::ZipMember { message: e.to_string() }.into());
                store.push_file(rep);
                continue;
            }
        };
        let name = f
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(f.name_raw()).into_owned());
        if f.is_dir() || name.starts_with("__MACOSX/") {
            continue;
        }
        let full = join_member(&m.name, &name);
        let compressed = f.compression() != zip::CompressionMethod::Stored;
        let mut data =
            Vec::with_capacity(f.size().min(limit.saturating_add(1)).min(64 << 20) as usize);
        let res = (&mut f).take(limit.saturating_add(1)).read_to_end(&mut data);
        drop(f);
        if data.len() as u64 > limit {
            let mut rep = new_report(m.path, Some(full), data.len() as u64, compressed);
            rep.error = Some(too_large(Oversized::ZipMember, (limit, which)));
            store.push_file(rep);
            continue;
        }
        let start = store.files().len();
        let after = data.len();
        let inner = Member { name: Some(full), compressed, depth: m.depth + 1, ..m };
        ingest_member(store, inner, Input::Owned(data));
        if let Err(e) = res {
            let error: ReadError =
                ErrorKind::ZipMemberDamaged { message: e.to_string(), after }.into();
            for r in store.files_from_mut(start) {
                if r.error.is_none() {
                    r.error = Some(error.clone());
                }
            }
        }
    }
    if store.files().len() == before {
        let mut rep = new_report(m.path, m.name, bytes.len() as u64, false);
        rep.format = Format::Zip;
        rep.skipped = Some("empty zip archive (no files)".into());
        store.push_file(rep);
    }
}

fn join_member(outer: &Option<String>, name: &str) -> String {
    match outer {
        Some(o) => format!("{o}!{name}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests;
