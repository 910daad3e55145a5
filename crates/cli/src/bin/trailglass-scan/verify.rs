//! `--verify [--public-keys FILE]`: the files' raw bytes as read from disk, before the store
//! gets them (the hashes are of the files as they were, and the store transforms what it
//! reads), through `trailglass_core::integrity::verify`; the report becomes the summary's
//! `"integrity"`. The key file itself, when it lies among the paths, is not verified (it would
//! be a file no digest lists). A key file that cannot be read exits with code 2; one that is not usable is
//! said in the report's `notes` and leaves the signatures unchecked.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use trailglass_core::integrity::{verify, Input};
use trailglass_core::Limits;

/// The `"integrity"` object for the files read (path and bytes as on disk), with the keys of
/// `public_keys` if given.
pub fn run(files: &[(&PathBuf, Vec<u8>)], public_keys: Option<&Path>, limits: &Limits) -> Value {
    let keys = public_keys.map(|p| match std::fs::read(p) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!(
                "trailglass-scan: cannot read --public-keys {}: {e}; give the file that \
                 `aws cloudtrail list-public-keys > keys.json` wrote",
                p.display()
            );
            std::process::exit(2);
        }
    });
    let keys_file = public_keys.and_then(|p| p.canonicalize().ok());
    let verified: Vec<(String, &[u8])> = files
        .iter()
        .filter(|(p, _)| keys_file.is_none() || p.canonicalize().ok() != keys_file)
        .map(|(p, bytes)| (p.to_string_lossy().into_owned(), bytes.as_slice()))
        .collect();
    let inputs: Vec<Input<'_>> =
        verified.iter().map(|(path, bytes)| Input { path, bytes }).collect();
    let report = verify(&inputs, keys.as_deref(), limits);
    serde_json::to_value(&report).unwrap_or_else(|e| json!({"error": e.to_string()}))
}
