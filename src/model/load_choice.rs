//! The "Choose what to read" panel's state: a dropped tree's summary (by AWS key paths, from the
//! engine's `plan`) and the user's choice in it — a range of days, accounts, regions, the other
//! files, dropping read-only events — turned into the engine's [`LoadFilter`], with the live count
//! of what it reads and the bars of the day chart.
//!
//! Days are chosen by clicking: a click reads that day only (a click on the only day chosen reads
//! every day again), a shift-click extends the range from the last day clicked; the two date
//! fields set either end. Plain data, no browser API, tested natively.

use std::collections::BTreeSet;

use trailglass_core::plan::{Group, LoadFilter, Size, TreeSummary};

use crate::model::format::{format_bytes, plural};

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// One day of the chart: its date, label, files and bytes, the bar's height as a fraction of
/// the tallest (by bytes), and whether it is chosen.
#[derive(Clone, Debug, PartialEq)]
pub struct DayBar {
    pub index: usize,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `Mar 4`.
    pub label: String,
    pub files: u64,
    pub bytes: u64,
    /// 0..=1, by bytes (a day with files is never drawn at zero).
    pub height: f64,
    pub chosen: bool,
}

/// See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadChoice {
    pub tree: TreeSummary,
    /// The chosen days: indices into `tree.days`, inclusive, `from <= to`.
    from: usize,
    to: usize,
    /// The day a shift-click extends from.
    anchor: usize,
    /// Per `tree.accounts`, whether it is read.
    accounts: Vec<bool>,
    /// Per `tree.regions`.
    regions: Vec<bool>,
    /// Whether the files without a dated AWS key are read.
    pub other: bool,
    pub drop_read_only: bool,
}

/// `2024-03-04` → `Mar 4` (the date itself when it is not one).
pub fn day_label(date: &str) -> String {
    let month = date.get(5..7).and_then(|m| m.parse::<usize>().ok());
    let day = date.get(8..10).and_then(|d| d.parse::<u32>().ok());
    match (month.and_then(|m| MONTHS.get(m.wrapping_sub(1))), day) {
        (Some(m), Some(d)) => format!("{m} {d}"),
        _ => date.to_string(),
    }
}

/// `12 files · 3.4 MB`.
pub fn size_line(s: Size) -> String {
    format!("{} · {}", plural(s.files, "file", "files"), format_bytes(s.bytes))
}

/// The names of the groups whose flag is set, or None when all are (no narrowing).
fn chosen_names(groups: &[Group], on: &[bool]) -> Option<BTreeSet<String>> {
    if on.iter().all(|&b| b) {
        return None;
    }
    Some(groups.iter().zip(on).filter(|(_, &b)| b).map(|(g, _)| g.name.clone()).collect())
}

impl LoadChoice {
    /// Everything chosen.
    pub fn new(tree: TreeSummary) -> Self {
        let last = tree.days.len().saturating_sub(1);
        LoadChoice {
            from: 0,
            to: last,
            anchor: 0,
            accounts: vec![true; tree.accounts.len()],
            regions: vec![true; tree.regions.len()],
            other: true,
            drop_read_only: false,
            tree,
        }
    }

    fn last_day(&self) -> usize {
        self.tree.days.len().saturating_sub(1)
    }

    fn all_days_chosen(&self) -> bool {
        self.from == 0 && self.to >= self.last_day()
    }

    /// The engine's filter for this choice.
    pub fn filter(&self) -> LoadFilter {
        let day = |i: usize| self.tree.days.get(i).map(|d| d.name.clone());
        let days = match (self.all_days_chosen(), day(self.from), day(self.to)) {
            (false, Some(a), Some(b)) => Some((a, b)),
            _ => None,
        };
        LoadFilter {
            days,
            accounts: chosen_names(&self.tree.accounts, &self.accounts),
            regions: chosen_names(&self.tree.regions, &self.regions),
            other: self.other,
            drop_read_only: self.drop_read_only,
        }
    }

    /// What the choice reads.
    pub fn chosen(&self) -> Size {
        self.tree.chosen(&self.filter())
    }

    /// Whether *Read selected* has anything to read.
    pub fn can_read(&self) -> bool {
        self.chosen().files > 0
    }

    /// `71 of 500 files, 170.3 MB of 1.20 GB`.
    pub fn summary(&self) -> String {
        let (c, t) = (self.chosen(), self.tree.total);
        format!(
            "{} of {}, {} of {}",
            crate::model::format::format_count(c.files),
            plural(t.files, "file", "files"),
            format_bytes(c.bytes),
            format_bytes(t.bytes)
        )
    }

    /// A click on day `i`: that day alone (or, when it is already the only day, every day);
    /// with `extend`, the range from the last day clicked to it.
    pub fn click_day(&mut self, i: usize, extend: bool) {
        let i = i.min(self.last_day());
        if extend {
            (self.from, self.to) = (self.anchor.min(i), self.anchor.max(i));
        } else if self.from == i && self.to == i {
            self.all_days();
        } else {
            (self.from, self.to, self.anchor) = (i, i, i);
        }
    }

    /// Every day.
    pub fn all_days(&mut self) {
        (self.from, self.to, self.anchor) = (0, self.last_day(), 0);
    }

    /// The first chosen day (`YYYY-MM-DD`), "" when the tree has no days.
    pub fn from_date(&self) -> &str {
        self.tree.days.get(self.from).map_or("", |d| d.name.as_str())
    }

    /// The last chosen day.
    pub fn to_date(&self) -> &str {
        self.tree.days.get(self.to).map_or("", |d| d.name.as_str())
    }

    /// The index of the last day on or before `date` (the first day when none is).
    fn day_at(&self, date: &str) -> usize {
        self.tree.days.iter().rposition(|d| d.name.as_str() <= date).unwrap_or(0)
    }

    /// The date field of the first day changed: the range starts there (and ends no earlier).
    pub fn set_from(&mut self, date: &str) {
        if date.is_empty() {
            return;
        }
        // The first day on or after `date`.
        let i = self.tree.days.iter().position(|d| d.name.as_str() >= date).unwrap_or(self.to);
        self.from = i;
        self.to = self.to.max(i);
        self.anchor = i;
    }

    /// The date field of the last day changed: the range ends there (and starts no later).
    pub fn set_to(&mut self, date: &str) {
        if date.is_empty() {
            return;
        }
        let i = self.day_at(date);
        self.to = i;
        self.from = self.from.min(i);
    }

    /// Whether day `i` is chosen.
    pub fn day_chosen(&self, i: usize) -> bool {
        (self.from..=self.to).contains(&i)
    }

    /// The day chart's bars.
    pub fn bars(&self) -> Vec<DayBar> {
        let max = self.tree.days.iter().map(|d| d.size.bytes).max().unwrap_or(0).max(1);
        self.tree
            .days
            .iter()
            .enumerate()
            .map(|(index, d)| {
                let share = d.size.bytes as f64 / max as f64;
                DayBar {
                    index,
                    date: d.name.clone(),
                    label: day_label(&d.name),
                    files: d.size.files,
                    bytes: d.size.bytes,
                    height: if d.size.files > 0 { share.max(0.04) } else { 0.0 },
                    chosen: self.day_chosen(index),
                }
            })
            .collect()
    }

    /// Whether account `i` is read.
    pub fn account(&self, i: usize) -> bool {
        self.accounts.get(i).copied().unwrap_or(false)
    }

    pub fn toggle_account(&mut self, i: usize) {
        if let Some(b) = self.accounts.get_mut(i) {
            *b = !*b;
        }
    }

    /// Whether region `i` is read.
    pub fn region(&self, i: usize) -> bool {
        self.regions.get(i).copied().unwrap_or(false)
    }

    pub fn toggle_region(&mut self, i: usize) {
        if let Some(b) = self.regions.get_mut(i) {
            *b = !*b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(account: &str, region: &str, day: u32, n: u32) -> String {
        format!(
            "AWSLogs/{account}/CloudTrail/{region}/2024/03/{day:02}/{account}_CloudTrail_{region}_202403{day:02}T0000Z_{n}.json"
        )
    }

    /// Two accounts, two regions, seven days, one file of 1 MB each, and one export.
    fn choice() -> LoadChoice {
        let mut files = Vec::new();
        for (n, (a, r, d)) in ["111111111111", "222222222222"]
            .iter()
            .flat_map(|a| ["eu-west-1", "us-east-1"].map(move |r| (a, r)))
            .flat_map(|(a, r)| (1..=7).map(move |d| (a, r, d)))
            .enumerate()
        {
            files.push((path(a, r, d, n as u32), 1_000_000u64));
        }
        files.push(("export.ndjson".to_string(), 500_000));
        LoadChoice::new(TreeSummary::of(files.iter().map(|(p, s)| (p.as_str(), *s))))
    }

    #[test]
    fn everything_is_chosen_at_first() {
        let c = choice();
        assert_eq!(c.filter(), LoadFilter::default());
        assert_eq!(c.chosen(), c.tree.total);
        assert_eq!(c.summary(), "29 of 29 files, 28.5 MB of 28.5 MB");
        assert_eq!((c.from_date(), c.to_date()), ("2024-03-01", "2024-03-07"));
        assert!(c.bars().iter().all(|b| b.chosen && b.height == 1.0));
        assert_eq!(c.bars()[3].label, "Mar 4");
    }

    #[test]
    fn one_day_and_one_account() {
        let mut c = choice();
        c.click_day(3, false);
        c.toggle_account(1);
        c.other = false;
        let f = c.filter();
        assert_eq!(f.days, Some(("2024-03-04".into(), "2024-03-04".into())));
        assert_eq!(f.accounts, Some(["111111111111".to_string()].into()));
        assert_eq!(f.regions, None);
        assert_eq!(c.chosen(), Size { files: 2, bytes: 2_000_000 });
        assert_eq!(c.summary(), "2 of 29 files, 2.0 MB of 28.5 MB");
        let chosen: Vec<usize> = c.bars().iter().filter(|b| b.chosen).map(|b| b.index).collect();
        assert_eq!(chosen, [3]);
        // Nothing chosen: nothing to read.
        c.toggle_account(0);
        assert!(!c.can_read());
    }

    #[test]
    fn clicks_and_date_fields_set_the_range() {
        let mut c = choice();
        c.click_day(2, false);
        c.click_day(5, true);
        assert_eq!((c.from_date(), c.to_date()), ("2024-03-03", "2024-03-06"));
        c.click_day(0, true);
        assert_eq!((c.from_date(), c.to_date()), ("2024-03-01", "2024-03-03"), "from the anchor");
        c.click_day(4, false);
        c.click_day(4, false);
        assert_eq!(c.filter().days, None, "the only day clicked again: every day");
        c.set_from("2024-03-05");
        assert_eq!((c.from_date(), c.to_date()), ("2024-03-05", "2024-03-07"));
        c.set_to("2024-03-02");
        assert_eq!((c.from_date(), c.to_date()), ("2024-03-02", "2024-03-02"));
        c.set_to("2024-12-31");
        c.set_from("");
        assert_eq!((c.from_date(), c.to_date()), ("2024-03-02", "2024-03-07"));
        c.all_days();
        assert_eq!(c.filter().days, None);
    }

    #[test]
    fn read_only_and_other_files() {
        let mut c = choice();
        c.drop_read_only = true;
        assert!(c.filter().read_options().drop_read_only);
        c.other = false;
        assert_eq!(c.chosen().files, 28);
        c.toggle_region(0);
        assert_eq!(c.chosen().files, 14);
        assert!(!c.region(0) && c.region(1) && c.account(0) && !c.account(9));
    }

    #[test]
    fn labels() {
        assert_eq!(day_label("2024-12-31"), "Dec 31");
        assert_eq!(day_label("2024-13-01"), "2024-13-01");
        assert_eq!(size_line(Size { files: 1, bytes: 1500 }), "1 file · 1.5 KB");
    }
}
