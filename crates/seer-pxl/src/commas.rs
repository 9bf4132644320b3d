//! Pixie's parser quirk: a missing comma between keyword arguments on separate lines is accepted, e.g.
//!
//! ```text
//! px.display(df, name='x'
//!            cols=['a'])
//! ```
//!
//! When a script does not parse, this pass inserts the missing commas (found on the token stream: inside
//! brackets, a line break followed by `name =` whose previous token is not a comma or an opening bracket)
//! and records where, so that positions in the fixed text map back to the original script.

use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{Mode, ParseOptions};
use ruff_text_size::{Ranged, TextSize};

/// Offsets (in the original script) after which a comma was inserted, ascending.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Fixups(Vec<TextSize>);

impl Fixups {
    /// Maps an offset in the fixed text back to the original script.
    pub fn to_original(&self, fixed: TextSize) -> TextSize {
        let mut shift = 0u32;
        for (i, at) in self.0.iter().enumerate() {
            // The i-th inserted comma sits at `at + i` in the fixed text.
            let inserted = u32::from(*at) + u32::try_from(i).unwrap_or(u32::MAX);
            if u32::from(fixed) > inserted {
                shift += 1;
            } else {
                break;
            }
        }
        TextSize::new(u32::from(fixed).saturating_sub(shift))
    }
}

fn is_name(kind: TokenKind) -> bool {
    kind == TokenKind::Name || kind.is_soft_keyword()
}

/// Where commas are missing: the end offsets of the tokens after which one must be inserted.
fn missing(source: &str) -> Vec<TextSize> {
    let parsed = ruff_python_parser::parse_unchecked(source, ParseOptions::from(Mode::Module));
    let tokens: Vec<(TokenKind, ruff_text_size::TextRange)> = parsed
        .tokens()
        .iter()
        .map(|t| (t.kind(), t.range()))
        .filter(|(k, _)| *k != TokenKind::Comment)
        .collect();
    let mut depth = 0i32;
    let mut out = Vec::new();
    for (i, (kind, _)) in tokens.iter().enumerate() {
        match kind {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => depth += 1,
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => depth -= 1,
            TokenKind::NonLogicalNewline if depth > 0 => {
                let next = tokens[i + 1..].iter().find(|(k, _)| *k != TokenKind::NonLogicalNewline);
                let after = tokens[i + 1..]
                    .iter()
                    .filter(|(k, _)| *k != TokenKind::NonLogicalNewline)
                    .nth(1);
                let prev = tokens[..i]
                    .iter()
                    .rev()
                    .find(|(k, _)| *k != TokenKind::NonLogicalNewline);
                let kwarg =
                    next.is_some_and(|(k, _)| is_name(*k)) && after.is_some_and(|(k, _)| *k == TokenKind::Equal);
                let open = prev.is_none_or(|(k, _)| {
                    matches!(
                        k,
                        TokenKind::Comma | TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace
                    )
                });
                if let (true, false, Some((_, r))) = (kwarg, open, prev)
                    && out.last() != Some(&r.end())
                {
                    out.push(r.end());
                }
            }
            _ => {}
        }
    }
    out
}

/// The script with missing keyword-argument commas inserted, and the fixups, or `None` if nothing is missing.
pub(crate) fn insert(source: &str) -> Option<(String, Fixups)> {
    let at = missing(source);
    if at.is_empty() {
        return None;
    }
    let mut fixed = String::with_capacity(source.len() + at.len());
    let mut last = 0usize;
    for offset in &at {
        let o = usize::from(*offset);
        fixed.push_str(&source[last..o]);
        fixed.push(',');
        last = o;
    }
    fixed.push_str(&source[last..]);
    Some((fixed, Fixups(at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_between_keyword_arguments_on_separate_lines() {
        let src = "f(a=1\n  b=2  # note\n  c=3)\n";
        let (fixed, fixups) = insert(src).unwrap_or_default();
        assert_eq!(fixed, "f(a=1,\n  b=2,  # note\n  c=3)\n");
        // `c` is at 22 in the original and 24 in the fixed text.
        assert_eq!(fixups.to_original(TextSize::new(24)), TextSize::new(22));
        assert_eq!(fixups.to_original(TextSize::new(2)), TextSize::new(2));
        assert!(ruff_python_parser::parse_module(&fixed).is_ok());
    }

    #[test]
    fn leaves_valid_code_and_comparisons_alone() {
        assert_eq!(insert("f(a=1,\n  b=2)\n"), None);
        assert_eq!(insert("f(a\n  == b)\n"), None);
        assert_eq!(insert("x = [\n  a\n]\n"), None);
    }
}
