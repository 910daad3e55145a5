//! Where raw records live: append-only arena chunks allocated once at full capacity (no 1 GB
//! doubling `Vec`), and whole file texts the store took ownership of, side by side in one list so
//! a row refers to either by (chunk, offset, length).

/// Bytes of one arena chunk.
pub(crate) const CHUNK: usize = 16 << 20;

/// The arena chunks and the owned file texts (see the module docs), indexed by chunk number.
#[derive(Debug, Default)]
pub(super) struct Texts {
    chunks: Vec<String>,
    /// The arena chunk being appended to (never an owned file text).
    current: Option<usize>,
}

impl Texts {
    /// Appends `s` to the arena, returning (chunk, offset).
    pub(super) fn push(&mut self, s: &str) -> (u32, u32) {
        let cur = self
            .current
            .filter(|&i| self.chunks.get(i).is_some_and(|c| c.capacity() - c.len() >= s.len()));
        let idx = match cur {
            Some(i) => i,
            None => {
                self.chunks.push(String::with_capacity(CHUNK.max(s.len())));
                self.chunks.len() - 1
            }
        };
        self.current = Some(idx);
        match self.chunks.get_mut(idx) {
            Some(c) => {
                let off = c.len();
                c.push_str(s);
                (idx as u32, off as u32)
            }
            None => (0, 0),
        }
    }
    /// An empty place for a file text that is being read; filled by [`Texts::fill`].
    pub(super) fn reserve(&mut self) -> u32 {
        self.chunks.push(String::new());
        (self.chunks.len() - 1) as u32
    }
    pub(super) fn fill(&mut self, slot: u32, text: String) {
        if let Some(c) = self.chunks.get_mut(slot as usize) {
            *c = text;
        }
    }
    pub(super) fn get(&self, chunk: u32, off: u32, len: u32) -> &str {
        self.chunks
            .get(chunk as usize)
            .and_then(|c| c.get(off as usize..off as usize + len as usize))
            .unwrap_or("")
    }
    pub(super) fn bytes(&self) -> u64 {
        self.chunks.iter().map(|c| c.capacity() as u64).sum()
    }
}

/// A record's text as [`super::Store::push_event`] gets it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RawText<'a> {
    /// To be copied into the arena.
    Copy(&'a str),
    /// `doc[off..off + len]` of the owned file text being read into `slot` (see
    /// [`super::Store::ingest_owned`]): stored as a reference, not copied.
    InDoc { doc: &'a str, slot: u32, off: usize, len: usize },
}

impl<'a> RawText<'a> {
    pub(super) fn text(self) -> &'a str {
        match self {
            RawText::Copy(t) => t,
            RawText::InDoc { doc, off, len, .. } => doc.get(off..off + len).unwrap_or(""),
        }
    }
}
