//! Byte offsets to 1-based line and character column.

use ruff_text_size::TextSize;

/// Start offsets of every line of a script.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    source: String,
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `source`.
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            source: source.to_string(),
            starts,
        }
    }

    /// The 1-based line and character column of `offset` (clamped to the source).
    pub fn position(&self, offset: TextSize) -> (u32, u32) {
        let mut offset = usize::from(offset).min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.source[start..offset].chars().count() + 1;
        (to_u32(line), to_u32(column))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(src: &str, off: u32) -> (u32, u32) {
        LineIndex::new(src).position(TextSize::new(off))
    }

    #[test]
    fn first_line_and_later_lines() {
        assert_eq!(pos("abc\ndef\n", 0), (1, 1));
        assert_eq!(pos("abc\ndef\n", 2), (1, 3));
        assert_eq!(pos("abc\ndef\n", 4), (2, 1));
        assert_eq!(pos("abc\ndef\n", 6), (2, 3));
        assert_eq!(pos("abc\ndef\n", 8), (3, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // 'é' is two bytes in UTF-8.
        assert_eq!(pos("x = 'é' + y", 10), (1, 10));
        // An offset inside a multi-byte character is clamped to its start.
        assert_eq!(pos("é", 1), (1, 1));
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        assert_eq!(pos("ab", 100), (1, 3));
    }
}
