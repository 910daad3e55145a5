//! Row sets for rule evaluation: one bit per store row in `u64` words, so And/Or/Not of a rule's
//! tests are word-wise and the matches come out ascending. (The query layer keeps its own bitset
//! private; this one adds what evaluation within a candidate set needs: counting and iterating.)

/// A set of the rows of a store of `n` rows, from the word holding row `lo` on (a run over the
/// rows a store added since the last one keeps its sets that small). Sets combined with each
/// other start at the same word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rows {
    w: Vec<u64>,
    /// The index of the first word (`w[0]` holds rows `base * 64..`).
    base: usize,
}

impl Rows {
    /// No row of `lo..n` (`lo` rounded down to a word).
    pub(crate) fn empty(n: usize, lo: usize) -> Rows {
        let base = lo.min(n) / 64;
        Rows { w: vec![0; n.div_ceil(64) - base], base }
    }

    /// Rows `lo..n`.
    pub(crate) fn from_row(n: usize, lo: usize) -> Rows {
        let lo = lo.min(n);
        let mut r = Rows::empty(n, lo);
        r.w.iter_mut().for_each(|w| *w = u64::MAX);
        let tail = n % 64;
        if let (Some(last), true) = (r.w.last_mut(), tail != 0) {
            *last = (1u64 << tail) - 1;
        }
        if let (Some(w), true) = (r.w.first_mut(), !lo.is_multiple_of(64)) {
            *w &= !((1u64 << (lo % 64)) - 1);
        }
        r
    }

    /// Whether row `i` is in the set.
    pub(crate) fn has(&self, i: usize) -> bool {
        (i / 64)
            .checked_sub(self.base)
            .and_then(|k| self.w.get(k))
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// The index of the first word.
    pub(crate) fn base(&self) -> usize {
        self.base
    }

    pub(crate) fn set(&mut self, i: usize) {
        if let Some(w) = (i / 64).checked_sub(self.base).and_then(|k| self.w.get_mut(k)) {
            *w |= 1 << (i % 64);
        }
    }

    pub(crate) fn clear(&mut self, i: usize) {
        if let Some(w) = (i / 64).checked_sub(self.base).and_then(|k| self.w.get_mut(k)) {
            *w &= !(1 << (i % 64));
        }
    }

    pub(crate) fn and(&mut self, o: &Rows) {
        self.w.iter_mut().zip(&o.w).for_each(|(a, b)| *a &= b);
    }

    pub(crate) fn or(&mut self, o: &Rows) {
        self.w.iter_mut().zip(&o.w).for_each(|(a, b)| *a |= b);
    }

    pub(crate) fn and_not(&mut self, o: &Rows) {
        self.w.iter_mut().zip(&o.w).for_each(|(a, b)| *a &= !b);
    }

    pub(crate) fn count(&self) -> usize {
        self.w.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.w.iter().all(|&w| w == 0)
    }

    /// The set rows, ascending.
    pub(crate) fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        let base = self.base;
        self.w.iter().enumerate().flat_map(move |(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                Some((base + wi) * 64 + b)
            })
        })
    }

    pub(crate) fn to_vec(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.count());
        out.extend(self.ones().map(|r| r as u32));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets() {
        let mut a = Rows::from_row(70, 0);
        assert_eq!(a.count(), 70);
        let mut b = Rows::empty(70, 0);
        b.set(3);
        b.set(69);
        a.and_not(&b);
        assert_eq!(a.count(), 68);
        b.or(&Rows::empty(70, 0));
        a.and(&b);
        assert!(a.is_empty());
        assert_eq!(b.to_vec(), vec![3, 69]);
    }

    #[test]
    fn from_a_row() {
        for (n, lo) in [(70, 0), (70, 3), (70, 64), (70, 69), (70, 70), (70, 99), (128, 64)] {
            let want: Vec<u32> = (lo.min(n) as u32..n as u32).collect();
            let mut r = Rows::from_row(n, lo);
            assert_eq!(r.to_vec(), want, "{n} {lo}");
            assert_eq!(r.count(), want.len());
            r.and_not(&Rows::from_row(n, lo));
            assert!(r.is_empty());
            let mut one = Rows::empty(n, lo);
            one.set(n - 1);
            if lo.min(n) >= 64 {
                one.set(lo.min(n) / 64 * 64 - 1); // below the first word: not held
            }
            assert_eq!(one.to_vec(), vec![n as u32 - 1], "{n} {lo}");
            assert!(one.has(n - 1) && !one.has(n) && !one.has(n.saturating_sub(2)) || n < 2);
        }
    }
}
