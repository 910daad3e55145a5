//! Numbers, sizes and durations written for people, and the millisecond constants: one place
//! for the engine's messages, the CLI and the page (`src/format.rs` re-exports these), so a count
//! reads the same in a notice, a tooltip and a file line.

/// Milliseconds in a second, a minute, an hour, a day.
pub const SECOND_MS: i64 = 1_000;
pub const MINUTE_MS: i64 = 60 * SECOND_MS;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 event`, `1,234 events`: the count with separators and the word that fits it.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// A byte size for people: `512 B`, `1.5 KB`, `231.0 MB`, `1.10 GB` (powers of 1000, as disks
/// and network rates are quoted).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1000.0;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    let name = UNITS.get(unit).copied().unwrap_or("TB");
    if unit >= 2 {
        format!("{v:.2} {name}")
    } else {
        format!("{v:.1} {name}")
    }
}

/// A memory budget in binary units, as limits are set: `512 MiB`, `2.0 GiB`.
pub fn mib(bytes: u64) -> String {
    if bytes >= 1 << 30 {
        format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64)
    } else {
        format!("{:.0} MiB", bytes as f64 / (1u64 << 20) as f64)
    }
}

/// A count in a few characters for axis labels: `999`, `1.2k`, `12k`, `3.4M`, `1.1G`.
pub fn short_count(n: u64) -> String {
    if n < 1000 {
        return n.to_string();
    }
    let mut v = n as f64;
    for unit in ["k", "M", "G", "T", "P"] {
        v /= 1000.0;
        if v < 9.95 {
            let s = format!("{v:.1}");
            return format!("{}{unit}", s.strip_suffix(".0").unwrap_or(&s));
        }
        if v < 999.5 {
            return format!("{v:.0}{unit}");
        }
    }
    format!("{v:.0}P")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sizes_and_words() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(60_000), "60,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(plural(1, "event", "events"), "1 event");
        assert_eq!(plural(1200, "event", "events"), "1,200 events");
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1_500), "1.5 KB");
        assert_eq!(bytes(231_000_000), "231.0 MB");
        assert_eq!(bytes(1_100_000_000), "1.10 GB");
        assert_eq!(mib(512 << 20), "512 MiB");
        assert_eq!(mib(2 << 30), "2.0 GiB");
        assert_eq!(DAY_MS, 86_400_000);
    }

    #[test]
    fn short_counts() {
        assert_eq!(short_count(0), "0");
        assert_eq!(short_count(999), "999");
        assert_eq!(short_count(1000), "1k");
        assert_eq!(short_count(1234), "1.2k");
        assert_eq!(short_count(12_345), "12k");
        assert_eq!(short_count(999_999), "1M");
        assert_eq!(short_count(3_400_000), "3.4M");
        assert_eq!(short_count(1_100_000_000), "1.1G");
    }
}
