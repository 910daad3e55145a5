//! Civil dates from epoch milliseconds, for eventTime strings and file names. Hand-written (a few
//! lines of the days-from-civil algorithm) so the crate needs no date crate; the engine's parser
//! (`trailglass_core::time`) reads what this writes, and the tests check it.

pub(crate) fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

pub(crate) struct Tm {
    pub(crate) y: i64,
    pub(crate) mo: u32,
    pub(crate) d: u32,
    pub(crate) h: u32,
    pub(crate) mi: u32,
    pub(crate) s: u32,
}

pub(crate) fn tm(ms: i64) -> Tm {
    let secs = ms.div_euclid(1000);
    let (y, mo, d) = civil(secs.div_euclid(86_400));
    let r = secs.rem_euclid(86_400) as u32;
    Tm { y, mo, d, h: r / 3600, mi: r / 60 % 60, s: r % 60 }
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn fmt_time(ms: i64) -> String {
    let t = tm(ms);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.y, t.mo, t.d, t.h, t.mi, t.s)
}
