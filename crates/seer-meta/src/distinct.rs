//! The distinct UPIDs of a column and, per row, the index of its UPID among them.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use arrow::array::{Array, FixedSizeBinaryArray};
use seer_types::Upid;

/// Hashes a UPID's 128 bits with one multiply (UPIDs come from the kernel, not from clients).
#[derive(Debug, Default)]
struct UpidHasher(u64);

impl Hasher for UpidHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u128(&mut self, v: u128) {
        let x = (v as u64) ^ ((v >> 64) as u64).rotate_left(32);
        self.0 = (x ^ (x >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    }
}

/// Per row, the index of its UPID in the distinct list (`None` for nulls and malformed values).
pub(crate) struct Distinct;

impl Distinct {
    /// Row indices and the distinct UPIDs of `upids`, in order of first appearance.
    pub(crate) fn of(upids: &FixedSizeBinaryArray) -> (Vec<Option<u32>>, Vec<Upid>) {
        let mut index: HashMap<u128, u32, BuildHasherDefault<UpidHasher>> = HashMap::default();
        let mut distinct = Vec::new();
        let mut last: Option<(u128, u32)> = None;
        let rows = (0..upids.len())
            .map(|i| {
                if upids.is_null(i) {
                    return None;
                }
                let u = Upid::from_bytes(upids.value(i))?;
                let key = u.to_u128();
                if let Some((k, idx)) = last
                    && k == key
                {
                    return Some(idx);
                }
                let idx = *index.entry(key).or_insert_with(|| {
                    distinct.push(u);
                    (distinct.len() - 1) as u32
                });
                last = Some((key, idx));
                Some(idx)
            })
            .collect();
        (rows, distinct)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_point_at_first_seen_distinct_upids() {
        let a = Upid::new(1, 10, 5);
        let b = Upid::new(1, 11, 7);
        let upids = FixedSizeBinaryArray::try_from_sparse_iter_with_size(
            [Some(a), Some(b), None, Some(a), Some(a), Some(b)]
                .into_iter()
                .map(|u| u.map(|u| u.to_bytes())),
            16,
        )
        .expect("array");
        let (rows, distinct) = Distinct::of(&upids);
        assert_eq!(rows, [Some(0), Some(1), None, Some(0), Some(0), Some(1)]);
        assert_eq!(distinct, [a, b]);
    }
}
