//! The per-service summary of the matches: events, errors, top actions and callers, first and
//! last time. Rows are grouped by service with a counting sort, then each group is counted.

use super::count::{counts, top};
use crate::store::{Column, Store};

/// One service's activity among some rows.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ServiceSummary {
    pub service: String,
    pub events: u64,
    pub distinct_actions: u64,
    /// Events with an errorCode.
    pub errors: u64,
    /// `errors / events`.
    pub error_rate: f64,
    /// Up to 5 (action, events), most first.
    pub top_actions: Vec<(String, u64)>,
    /// Up to 5 (user, events), most first.
    pub top_callers: Vec<(String, u64)>,
    /// Earliest and latest event time (None when no event has a time).
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
}

/// Per-service summaries of `rows`, most events first.
pub fn service_summary(store: &Store, rows: &[u32]) -> Vec<ServiceSummary> {
    const TOP: usize = 5;
    let sdict = store.dictionary(Column::Service);
    let svc = store.column(Column::Service);
    // Group rows by service (counting sort).
    let per = counts(store, rows, Column::Service);
    let mut offsets = vec![0usize; per.len() + 1];
    for (i, &c) in per.iter().enumerate() {
        let prev = offsets.get(i).copied().unwrap_or(0);
        if let Some(o) = offsets.get_mut(i + 1) {
            *o = prev + c as usize;
        }
    }
    let mut fill = offsets.clone();
    let mut grouped = vec![0u32; rows.len()];
    for &r in rows {
        let id = svc.get(r as usize).copied().unwrap_or(0) as usize;
        if let Some(f) = fill.get_mut(id) {
            if let Some(g) = grouped.get_mut(*f) {
                *g = r;
            }
            *f += 1;
        }
    }
    let (adict, udict) = (store.dictionary(Column::Action), store.dictionary(Column::User));
    let (acol, ucol, ecol) =
        (store.column(Column::Action), store.column(Column::User), store.column(Column::ErrorCode));
    let times = store.times();
    let mut acount = vec![0u32; adict.len()];
    let mut ucount = vec![0u32; udict.len()];
    let mut out = Vec::new();
    for (sid, &n) in per.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let (s, e) =
            (offsets.get(sid).copied().unwrap_or(0), offsets.get(sid + 1).copied().unwrap_or(0));
        let group = grouped.get(s..e).unwrap_or(&[]);
        let mut errors = 0u64;
        let (mut first, mut last) = (i64::MAX, i64::MIN);
        for &r in group {
            let r = r as usize;
            if let Some(c) = acol.get(r).and_then(|&a| acount.get_mut(a as usize)) {
                *c += 1;
            }
            if let Some(c) = ucol.get(r).and_then(|&u| ucount.get_mut(u as usize)) {
                *c += 1;
            }
            if ecol.get(r).is_some_and(|&e| e != 0) {
                errors += 1;
            }
            if let Some(&t) = times.get(r).filter(|&&t| t != i64::MIN) {
                first = first.min(t);
                last = last.max(t);
            }
        }
        let distinct_actions = acount.iter().filter(|&&c| c > 0).count() as u64;
        let name = |d: &[Box<str>], id: u32| d.get(id as usize).map_or("", |s| s).to_owned();
        let top_actions = top(&acount, adict, TOP)
            .into_iter()
            .map(|(c, id)| (name(adict, id), u64::from(c)))
            .collect();
        let top_callers = top(&ucount, udict, TOP)
            .into_iter()
            .map(|(c, id)| (name(udict, id), u64::from(c)))
            .collect();
        // Reset only what this group touched.
        for &r in group {
            if let Some(c) = acol.get(r as usize).and_then(|&a| acount.get_mut(a as usize)) {
                *c = 0;
            }
            if let Some(c) = ucol.get(r as usize).and_then(|&u| ucount.get_mut(u as usize)) {
                *c = 0;
            }
        }
        let events = u64::from(n);
        out.push(ServiceSummary {
            service: name(sdict, sid as u32),
            events,
            distinct_actions,
            errors,
            error_rate: errors as f64 / events as f64,
            top_actions,
            top_callers,
            first_ms: (first <= last).then_some(first),
            last_ms: (first <= last).then_some(last),
        });
    }
    out.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.service.cmp(&b.service)));
    out
}
