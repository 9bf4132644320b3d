//! When rows were lost before they reached a table (ring buffer full, parser queue full, sink
//! refusal): a bounded per-second log, so a query can tell whether its time window is affected.

use std::collections::VecDeque;

const SECOND_NS: i64 = 1_000_000_000;

/// Per-second counts of rows lost upstream of a table, newest last, at most `cap` seconds kept (older
/// seconds are merged into the oldest kept one, so totals are never lost, only blurred in time).
#[derive(Debug)]
pub struct DropLog {
    seconds: VecDeque<(i64, u64)>,
    cap: usize,
}

impl Default for DropLog {
    fn default() -> Self {
        Self::new(3600)
    }
}

impl DropLog {
    /// An empty log keeping `cap` distinct seconds.
    pub fn new(cap: usize) -> Self {
        Self {
            seconds: VecDeque::new(),
            cap: cap.max(1),
        }
    }

    /// Records `count` rows lost at `ts_ns`.
    pub fn record(&mut self, ts_ns: i64, count: u64) {
        if count == 0 {
            return;
        }
        let sec = ts_ns.div_euclid(SECOND_NS);
        match self.seconds.iter_mut().rev().find(|(s, _)| *s == sec) {
            Some((_, c)) => *c += count,
            None => {
                let at = self.seconds.partition_point(|(s, _)| *s < sec);
                self.seconds.insert(at, (sec, count));
            }
        }
        while self.seconds.len() > self.cap {
            if let Some((_, c)) = self.seconds.pop_front()
                && let Some((_, next)) = self.seconds.front_mut()
            {
                *next += c;
            }
        }
    }

    /// Rows lost within `[start_ns, end_ns]` (either bound open when `None`), at one-second resolution.
    pub fn between(&self, start_ns: Option<i64>, end_ns: Option<i64>) -> u64 {
        let lo = start_ns.map(|t| t.div_euclid(SECOND_NS));
        let hi = end_ns.map(|t| t.div_euclid(SECOND_NS));
        self.seconds
            .iter()
            .filter(|(s, _)| lo.is_none_or(|lo| *s >= lo) && hi.is_none_or(|hi| *s <= hi))
            .map(|(_, c)| c)
            .sum()
    }

    /// All rows lost so far.
    pub fn total(&self) -> u64 {
        self.seconds.iter().map(|(_, c)| c).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_window_and_merges_beyond_capacity() {
        let mut d = DropLog::new(3);
        d.record(5 * SECOND_NS + 1, 2);
        d.record(5 * SECOND_NS + 9, 3);
        d.record(7 * SECOND_NS, 1);
        assert_eq!(d.between(Some(5 * SECOND_NS), Some(6 * SECOND_NS)), 5);
        assert_eq!(d.between(Some(6 * SECOND_NS), None), 1);
        assert_eq!(d.between(Some(8 * SECOND_NS), None), 0);
        d.record(9 * SECOND_NS, 4);
        d.record(6 * SECOND_NS, 10); // out of order lands in place
        assert_eq!(d.total(), 20);
        assert_eq!(d.seconds.len(), 3, "capacity holds");
        d.record(0, 0);
        assert_eq!(d.total(), 20);
    }
}
