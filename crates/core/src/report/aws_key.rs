//! What an S3 key says about a file: CloudTrail's own layout
//! (`AWSLogs/[o-org/]<account>/CloudTrail[-Digest]/<region>/YYYY/MM/DD/…`) or its file name alone,
//! so the file list can show account, region and day before (or without) reading the events.

/// Metadata taken from an AWS S3 key layout
/// (`AWSLogs/[o-org/]<account>/CloudTrail[-Digest]/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<id>.json.gz`),
/// from the folders or from the file name alone.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AwsKey {
    pub account: String,
    pub region: String,
    /// `YYYY-MM-DD`, empty when unknown.
    pub date: String,
    /// Organization id for organization trails (`o-…`).
    pub org: Option<String>,
    /// The key names a digest file (`CloudTrail-Digest`).
    pub digest: bool,
}

/// Parses AWS key metadata from a path (folders or file name). None when nothing matches.
pub fn parse_aws_key(path: &str) -> Option<AwsKey> {
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    // Folder layout: AWSLogs/[o-xxx/]<account>/CloudTrail[-Digest|-Insight]/<region>/YYYY/MM/DD/...
    if let Some(i) = parts.iter().position(|p| *p == "AWSLogs") {
        let mut j = i + 1;
        let mut org = None;
        if let Some(p) = parts.get(j) {
            if p.starts_with("o-") {
                org = Some((*p).to_string());
                j += 1;
            }
        }
        if let (Some(account), Some(kind)) = (parts.get(j), parts.get(j + 1)) {
            if kind.starts_with("CloudTrail") {
                let region = parts.get(j + 2).map(|s| s.to_string()).unwrap_or_default();
                let date = match (parts.get(j + 3), parts.get(j + 4), parts.get(j + 5)) {
                    (Some(y), Some(m), Some(d))
                        if y.len() == 4
                            && m.len() == 2
                            && d.len() == 2
                            && [y, m, d].iter().all(|s| s.bytes().all(|b| b.is_ascii_digit())) =>
                    {
                        format!("{y}-{m}-{d}")
                    }
                    _ => String::new(),
                };
                return Some(AwsKey {
                    account: account.to_string(),
                    region,
                    date,
                    org,
                    digest: kind.contains("Digest"),
                });
            }
        }
    }
    // File name alone: <account>_CloudTrail[-Digest]_<region>_<YYYYMMDDTHHMMZ>_...
    let name = parts.last()?;
    let fields: Vec<&str> = name.split('_').collect();
    let account = fields.first()?;
    let kind = fields.get(1)?;
    if !kind.starts_with("CloudTrail") || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let region = fields.get(2).map(|s| s.to_string()).unwrap_or_default();
    let date = fields
        .get(3)
        .filter(|s| s.len() >= 8 && s.as_bytes().iter().take(8).all(|b| b.is_ascii_digit()))
        .and_then(|s| Some(format!("{}-{}-{}", s.get(0..4)?, s.get(4..6)?, s.get(6..8)?)))
        .unwrap_or_default();
    Some(AwsKey {
        account: account.to_string(),
        region,
        date,
        org: None,
        digest: kind.contains("Digest"),
    })
}
