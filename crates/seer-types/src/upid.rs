//! UPID: a process id that stays unique across pid reuse and across agents.
//!
//! Layout (Pixie-compatible): high 64 bits = `(asid << 32) | pid`, low 64 bits = process start time in
//! clock ticks since boot (field 22 of `/proc/<pid>/stat`). String form: `"<asid>:<pid>:<start>"`.
//! In Arrow the value is a `FixedSizeBinary(16)`, big-endian, so byte order sorts like the integer.

use std::fmt;
use std::str::FromStr;

/// Unique process id: agent short id, pid, and process start time in clock ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Upid {
    /// Agent short id (1 for a single-host deployment).
    pub asid: u32,
    /// Process id (thread-group id).
    pub pid: u32,
    /// Process start time in clock ticks since boot.
    pub start_ticks: u64,
}

/// Why a UPID string did not parse.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid UPID {input:?}: expected \"asid:pid:start_ticks\" with unsigned integers")]
pub struct UpidParseError {
    input: String,
}

impl Upid {
    /// Builds a UPID.
    pub fn new(asid: u32, pid: u32, start_ticks: u64) -> Self {
        Self { asid, pid, start_ticks }
    }

    /// The 128-bit integer form.
    pub fn to_u128(self) -> u128 {
        let high = (u64::from(self.asid) << 32) | u64::from(self.pid);
        (u128::from(high) << 64) | u128::from(self.start_ticks)
    }

    /// Inverse of [`Upid::to_u128`].
    pub fn from_u128(v: u128) -> Self {
        let high = (v >> 64) as u64;
        Self {
            asid: (high >> 32) as u32,
            pid: high as u32,
            start_ticks: v as u64,
        }
    }

    /// The 16-byte big-endian form stored in Arrow `FixedSizeBinary(16)` columns.
    pub fn to_bytes(self) -> [u8; 16] {
        self.to_u128().to_be_bytes()
    }

    /// Inverse of [`Upid::to_bytes`]; `None` unless exactly 16 bytes.
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        let arr: [u8; 16] = b.try_into().ok()?;
        Some(Self::from_u128(u128::from_be_bytes(arr)))
    }
}

impl fmt::Display for Upid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.asid, self.pid, self.start_ticks)
    }
}

impl FromStr for Upid {
    type Err = UpidParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || UpidParseError { input: s.to_string() };
        let mut parts = s.split(':');
        let (Some(a), Some(p), Some(t), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(err());
        };
        Ok(Self {
            asid: a.parse().map_err(|_| err())?,
            pid: p.parse().map_err(|_| err())?,
            start_ticks: t.parse().map_err(|_| err())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_every_form() {
        let u = Upid::new(7, 4242, 123_456_789);
        assert_eq!(Upid::from_u128(u.to_u128()), u);
        assert_eq!(Upid::from_bytes(&u.to_bytes()), Some(u));
        assert_eq!(u.to_string(), "7:4242:123456789");
        assert_eq!("7:4242:123456789".parse::<Upid>(), Ok(u));
    }

    #[test]
    fn layout_matches_pixie() {
        let u = Upid::new(1, 2, 3);
        assert_eq!(u.to_u128(), (((1u128 << 32) | 2) << 64) | 3);
    }

    #[test]
    fn rejects_malformed_strings() {
        for bad in ["", "1:2", "1:2:3:4", "a:2:3", "1:-2:3", "1:2:99999999999999999999999"] {
            assert!(bad.parse::<Upid>().is_err(), "{bad} parsed");
        }
        assert_eq!(Upid::from_bytes(&[0; 15]), None);
    }
}
