//! Why a load stopped early ([`Notice`]), kept as what happened rather than as text, so the text
//! is written with the tab's counts: several data workers' notices merge into one (each worker's
//! own counts would contradict the tab's).

use serde::{Deserialize, Serialize};

use crate::store::{Store, Totals};
use crate::units::{mib, thousands};

/// Why the last load stopped early.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    /// Cancelled: the events read before it are kept.
    Cancelled,
    /// The memory budget (`budget` bytes, each worker's) is full in `workers` workers, which
    /// hold `held` bytes; `unread` files were not read.
    Full { budget: u64, held: u64, unread: u64, workers: u32 },
}

impl Notice {
    /// `store`'s budget is full with `unread` files left.
    pub fn full(store: &Store, unread: u64) -> Notice {
        let (budget, held) = (store.limits().max_memory_bytes, store.memory_needed());
        Notice::Full { budget, held, unread, workers: 1 }
    }

    /// The text the page shows, with the tab's `totals`.
    pub fn text(&self, totals: &Totals) -> String {
        match self {
            Notice::Cancelled => format!(
                "Load cancelled; the {} events read before it are kept.",
                thousands(totals.kept)
            ),
            Notice::Full { budget, held, unread, workers } => {
                let whose = match workers {
                    0 | 1 => format!("the memory budget ({}) is full", mib(*budget)),
                    n => format!(
                        "the memory budgets ({} each) of {n} workers are full",
                        mib(*budget)
                    ),
                };
                let mut t = format!(
                    "Stopped loading: {whose}. Loaded {} events from {} files ({} of logs, held \
                     in {}). Narrow the files (fewer days, accounts or regions) and load the rest \
                     in another tab.",
                    thousands(totals.kept),
                    thousands(totals.files),
                    mib(totals.bytes),
                    mib(*held)
                );
                if *unread > 0 {
                    t.push_str(&format!(" {unread} files were not read."));
                }
                t
            }
        }
    }

    /// One notice for the tab from its workers': the budgets when any is full (their unread
    /// files, held bytes and number added), else a cancel if any says so.
    pub fn merge<'a>(notices: impl IntoIterator<Item = &'a Notice>) -> Option<Notice> {
        let mut out: Option<Notice> = None;
        for n in notices {
            out = match (out, n) {
                (
                    Some(Notice::Full { budget, held, unread, workers }),
                    Notice::Full { budget: b, held: h, unread: u, workers: w },
                ) => Some(Notice::Full {
                    budget: budget.max(*b),
                    held: held + h,
                    unread: unread + u,
                    workers: workers + w,
                }),
                (Some(full @ Notice::Full { .. }), Notice::Cancelled) => Some(full),
                (_, n) => Some(n.clone()),
            };
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::Notice;
    use crate::store::Totals;

    #[test]
    fn the_tabs_notice_says_the_tabs_counts() {
        let totals = Totals { kept: 48_000, files: 12, bytes: 3 << 20, ..Totals::default() };
        let cancelled = Notice::merge(&[Notice::Cancelled, Notice::Cancelled]);
        assert_eq!(
            cancelled.map(|n| n.text(&totals)).as_deref(),
            Some("Load cancelled; the 48,000 events read before it are kept.")
        );
        let full = |unread| Notice::Full { budget: 1 << 30, held: 1 << 29, unread, workers: 1 };
        let both = Notice::merge(&[full(2), Notice::Cancelled, full(3)]).expect("a notice");
        assert_eq!(both, Notice::Full { budget: 1 << 30, held: 1 << 30, unread: 5, workers: 2 });
        let text = both.text(&totals);
        assert!(text.starts_with("Stopped loading: the memory budgets (1.0 GiB each) of 2 workers are full. Loaded 48,000 events from 12 files"), "{text}");
        assert!(text.ends_with(" 5 files were not read."), "{text}");
        assert_eq!(Notice::merge(&[]), None);
    }
}
