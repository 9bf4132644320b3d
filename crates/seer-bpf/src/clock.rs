//! BPF timestamps are `CLOCK_MONOTONIC` nanoseconds; tables want wall-clock nanoseconds.

/// `CLOCK_MONOTONIC` now, in nanoseconds (the clock of `bpf_ktime_get_ns`).
pub fn monotonic_ns() -> u64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
    (t.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(t.tv_nsec as u64)
}

fn realtime_ns() -> i64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::Realtime);
    t.tv_sec.saturating_mul(1_000_000_000).saturating_add(t.tv_nsec)
}

/// Converts monotonic timestamps to wall-clock (Unix epoch) nanoseconds. Re-anchor with
/// [`BootClock::refresh`] now and then so NTP adjustments are followed.
#[derive(Debug, Clone, Copy)]
pub struct BootClock {
    offset_ns: i64,
}

impl Default for BootClock {
    fn default() -> Self {
        Self::new()
    }
}

impl BootClock {
    /// Anchors the conversion at the current instant.
    pub fn new() -> Self {
        let mut c = Self { offset_ns: 0 };
        c.refresh();
        c
    }

    /// Re-measures the offset between the two clocks.
    pub fn refresh(&mut self) {
        let m1 = monotonic_ns() as i64;
        let r = realtime_ns();
        let m2 = monotonic_ns() as i64;
        self.offset_ns = r - (m1 + (m2 - m1) / 2);
    }

    /// Wall-clock nanoseconds of a monotonic timestamp.
    pub fn to_wall(&self, mono_ns: u64) -> i64 {
        (mono_ns as i64).saturating_add(self.offset_ns)
    }
}
