//! Row sets as bitsets: one bit per store row in `u64` words, so AND/OR/NOT of query terms are
//! word-wise operations and the matches come out in ascending row order. Shared by evaluation
//! (which combines terms) and the text filters (which produce them).

/// A fixed-size set of rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bits {
    w: Vec<u64>,
    n: usize,
}

impl Bits {
    pub(crate) fn empty(n: usize) -> Bits {
        Bits { w: vec![0; n.div_ceil(64)], n }
    }
    pub(crate) fn full(n: usize) -> Bits {
        let mut b = Bits { w: vec![u64::MAX; n.div_ceil(64)], n };
        b.trim();
        b
    }
    fn trim(&mut self) {
        let tail = self.n % 64;
        if tail != 0 {
            if let Some(last) = self.w.last_mut() {
                *last &= (1u64 << tail) - 1;
            }
        }
    }
    pub(crate) fn set(&mut self, i: usize) {
        if let Some(w) = self.w.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
    pub(crate) fn get(&self, i: usize) -> bool {
        self.w.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
    }
    pub(crate) fn and(&mut self, o: &Bits) {
        self.w.iter_mut().zip(&o.w).for_each(|(a, b)| *a &= b);
    }
    pub(crate) fn or(&mut self, o: &Bits) {
        self.w.iter_mut().zip(&o.w).for_each(|(a, b)| *a |= b);
    }
    pub(crate) fn and_not(&mut self, o: &Bits) {
        self.w.iter_mut().zip(&o.w).for_each(|(a, b)| *a &= !b);
    }
    pub(crate) fn is_zero(&self) -> bool {
        self.w.iter().all(|&w| w == 0)
    }
    /// Set rows at or after `from`, ascending.
    pub(crate) fn ones_from(&self, from: usize) -> impl Iterator<Item = usize> + '_ {
        let first = from / 64;
        self.w.iter().enumerate().skip(first).flat_map(move |(wi, &w)| {
            let w = if wi == first {
                w & (u64::MAX.checked_shl((from % 64) as u32).unwrap_or(0))
            } else {
                w
            };
            BitIter(w).map(move |b| wi * 64 + b)
        })
    }
    pub(crate) fn to_rows(&self) -> Vec<u32> {
        let count: u32 = self.w.iter().map(|w| w.count_ones()).sum();
        let mut out = Vec::with_capacity(count as usize);
        out.extend(self.ones_from(0).map(|r| r as u32));
        out
    }
    /// The words, 64 rows each (row `i` is bit `i % 64` of word `i / 64`), to fill a set a word
    /// at a time.
    pub(crate) fn words_mut(&mut self) -> &mut [u64] {
        &mut self.w
    }
}

struct BitIter(u64);
impl Iterator for BitIter {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let b = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(b)
    }
}
