//! One direction's unparsed bytes, with the timestamp of the event that carried each byte.

use std::collections::VecDeque;

/// An emptied buffer keeps at most this much capacity.
const SHRINK_ABOVE: usize = 64 * 1024;

/// Unconsumed bytes of one direction plus `(absolute offset, ts)` marks of the events they came in.
#[derive(Debug, Default)]
pub(crate) struct ByteStream {
    buf: Vec<u8>,
    /// Consumed prefix of `buf`.
    pos: usize,
    /// Absolute stream offset of `buf[0]` (counts only bytes that were fed, not lost ones).
    base: u64,
    /// Event starts, ascending by offset; the first covers `pos`.
    marks: VecDeque<(u64, u64)>,
}

impl ByteStream {
    /// Appends one event's bytes.
    pub(crate) fn push(&mut self, ts_ns: u64, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        let at = self.base + self.buf.len() as u64;
        self.marks.push_back((at, ts_ns));
        self.buf.extend_from_slice(data);
    }

    /// The unconsumed bytes.
    pub(crate) fn data(&self) -> &[u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    /// Number of unconsumed bytes.
    pub(crate) fn len(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// Absolute offset of the first unconsumed byte.
    pub(crate) fn abs_pos(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Timestamp of the event that carried the byte at absolute offset `abs` (0 if none known).
    pub(crate) fn ts_at(&self, abs: u64) -> u64 {
        let i = self.marks.partition_point(|&(off, _)| off <= abs);
        match i.checked_sub(1).and_then(|i| self.marks.get(i)) {
            Some(&(_, ts)) => ts,
            None => 0,
        }
    }

    /// Timestamp of the first unconsumed byte.
    pub(crate) fn ts_here(&self) -> u64 {
        self.ts_at(self.abs_pos())
    }

    /// Marks `n` bytes consumed (clamped to what is there).
    pub(crate) fn consume(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.buf.len());
        if self.pos == self.buf.len() {
            self.base += self.buf.len() as u64;
            self.buf.clear();
            self.pos = 0;
            if self.buf.capacity() > SHRINK_ABOVE {
                self.buf.shrink_to(SHRINK_ABOVE);
            }
        } else if self.pos >= 4096 && self.pos * 2 >= self.buf.len() {
            self.buf.drain(..self.pos);
            self.base += self.pos as u64;
            self.pos = 0;
        }
        let here = self.abs_pos();
        while self.marks.len() > 1 && self.marks.get(1).is_some_and(|&(off, _)| off <= here) {
            self.marks.pop_front();
        }
        if self.buf.is_empty() {
            self.marks.clear();
        }
    }

    /// Drops every unconsumed byte; returns how many.
    pub(crate) fn clear(&mut self) -> usize {
        let n = self.len();
        self.consume(n);
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_follow_bytes() {
        let mut s = ByteStream::default();
        s.push(10, b"abc");
        s.push(20, b"de");
        assert_eq!(s.ts_here(), 10);
        assert_eq!(s.ts_at(s.abs_pos() + 3), 20);
        s.consume(2);
        assert_eq!(s.data(), b"cde");
        assert_eq!(s.ts_here(), 10);
        s.consume(1);
        assert_eq!(s.ts_here(), 20);
        assert_eq!(s.clear(), 2);
        assert_eq!(s.len(), 0);
        s.push(30, b"x");
        assert_eq!(s.ts_here(), 30);
    }
}
