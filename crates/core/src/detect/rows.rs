//! Row sets for rule evaluation: one bit per store row in `u64` words, so And/Or/Not of a rule's
//! tests are word-wise and the matches come out ascending. (The query layer keeps its own bitset
//! private; this one adds what evaluation within a candidate set needs: counting and iterating.)

/// A fixed-size set of rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rows {
    w: Vec<u64>,
    n: usize,
}

impl Rows {
    pub(crate) fn empty(n: usize) -> Rows {
        Rows { w: vec![0; n.div_ceil(64)], n }
    }

    pub(crate) fn full(n: usize) -> Rows {
        let mut r = Rows { w: vec![u64::MAX; n.div_ceil(64)], n };
        let tail = n % 64;
        if let (Some(last), true) = (r.w.last_mut(), tail != 0) {
            *last = (1u64 << tail) - 1;
        }
        r
    }

    pub(crate) fn set(&mut self, i: usize) {
        if let Some(w) = self.w.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    pub(crate) fn clear(&mut self, i: usize) {
        if let Some(w) = self.w.get_mut(i / 64) {
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

    /// The words, 64 rows each (row `i` is bit `i % 64` of word `i / 64`).
    pub(crate) fn words_mut(&mut self) -> &mut [u64] {
        &mut self.w
    }

    /// The set rows, ascending.
    pub(crate) fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.w.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + b)
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
        let mut a = Rows::full(70);
        assert_eq!(a.count(), 70);
        let mut b = Rows::empty(70);
        b.set(3);
        b.set(69);
        a.and_not(&b);
        assert_eq!(a.count(), 68);
        b.or(&Rows::empty(70));
        a.and(&b);
        assert!(a.is_empty());
        assert_eq!(b.to_vec(), vec![3, 69]);
    }
}
