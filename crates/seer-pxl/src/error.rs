//! Compile errors: every error points at a 1-based line and column of the script.

use datafusion::error::DataFusionError;
use ruff_text_size::{TextRange, TextSize};

use crate::source::LineIndex;

/// What went wrong, broadly.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The script is not valid Python.
    Syntax,
    /// Valid Python that PxL does not support (loops, classes, lambdas…).
    Unsupported,
    /// An undefined name, or an unknown attribute or function.
    Name,
    /// A missing or unknown import.
    Import,
    /// An unknown table.
    Table,
    /// An unknown or duplicate column.
    Column,
    /// A type error in an expression or operation.
    Type,
    /// A missing, unexpected or malformed argument.
    Argument,
    /// A malformed `#px:set` directive.
    Directive,
    /// DataFusion refused to build the plan.
    Plan,
}

/// A compile error at a position in the script.
///
/// `line` and `column` are 1-based; the column counts characters, not bytes. Errors that belong to no
/// position in the script (e.g. a function-mode call naming a function the script does not define) have
/// line and column 0.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct PxlError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Human-readable message.
    pub message: String,
    /// Category.
    pub kind: ErrorKind,
}

/// An error inside the compiler: a byte offset instead of a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diag {
    pub at: Option<TextSize>,
    pub kind: ErrorKind,
    pub message: String,
}

/// Result with a [`Diag`] error.
pub(crate) type DResult<T> = Result<T, Diag>;

impl Diag {
    /// An error at the start of `range`.
    pub fn new(kind: ErrorKind, range: TextRange, message: impl Into<String>) -> Self {
        Self {
            at: Some(range.start()),
            kind,
            message: message.into(),
        }
    }

    /// An error with no position in the script.
    pub fn unplaced(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            at: None,
            kind,
            message: message.into(),
        }
    }

    /// A type error.
    pub fn ty(range: TextRange, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Type, range, message)
    }

    /// An argument error.
    pub fn arg(range: TextRange, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Argument, range, message)
    }

    /// An unsupported construct.
    pub fn unsupported(range: TextRange, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unsupported, range, message)
    }

    /// A DataFusion planning error.
    pub fn plan(range: TextRange, err: &DataFusionError) -> Self {
        Self::new(
            ErrorKind::Plan,
            range,
            format!("invalid plan: {}", err.strip_backtrace()),
        )
    }

    /// Maps the offset from a comma-fixed script back to the original one.
    pub fn remap(mut self, fixups: &crate::commas::Fixups) -> Self {
        self.at = self.at.map(|at| fixups.to_original(at));
        self
    }

    /// Resolves the offset against the script.
    pub fn resolve(self, index: &LineIndex) -> PxlError {
        let (line, column) = self.at.map_or((0, 0), |at| index.position(at));
        PxlError {
            line,
            column,
            message: self.message,
            kind: self.kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_line_col_message() {
        let index = LineIndex::new("import px\nx = 1\n");
        let range = TextRange::new(TextSize::new(14), TextSize::new(15));
        let err = Diag::ty(range, "boom").resolve(&index);
        assert_eq!(err.to_string(), "2:5: boom");
        assert_eq!(err.kind, ErrorKind::Type);
        assert_eq!(
            Diag::unplaced(ErrorKind::Name, "x").resolve(&index).to_string(),
            "0:0: x"
        );
    }
}
