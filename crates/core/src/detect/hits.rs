//! [`Hits`]: which rows each rule of a rule set matched, the answer of `RuleSet::run`, kept apart
//! so running (which builds it) and the rule set (which returns it) do not depend on each other.

/// Which rows each rule of a `RuleSet` matched, indexed like `RuleSet::rules`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hits {
    rows: Vec<Vec<u32>>,
}

impl Hits {
    pub(crate) fn new(rows: Vec<Vec<u32>>) -> Hits {
        Hits { rows }
    }

    /// Puts `rows` (ascending) as rule `rule`'s; false for an unknown index.
    pub(crate) fn set(&mut self, rule: usize, rows: Vec<u32>) -> bool {
        match self.rows.get_mut(rule) {
            Some(slot) => {
                *slot = rows;
                true
            }
            None => false,
        }
    }

    /// Ascending row ids matching `rules()[rule]` (empty for an unknown index).
    pub fn rows(&self, rule: usize) -> &[u32] {
        self.rows.get(rule).map_or(&[], |r| r)
    }

    /// The rules `row` matched, ascending.
    pub fn rules_of(&self, row: u32) -> Vec<usize> {
        (0..self.rows.len()).filter(|&i| self.rows(i).binary_search(&row).is_ok()).collect()
    }

    /// How many rules there are hits for (every rule of the set, matched or not).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
