//! The list of everything `px` offers, for `seer functions`, `px.GetUDFList()` and friends.

use crate::px::{agg, fns};

/// What kind of function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunctionKind {
    /// Per-row function (Pixie UDF), usable in column expressions.
    Scalar,
    /// Aggregate (Pixie UDA), usable in `agg()`.
    Aggregate,
    /// Evaluated by the compiler (constants, DataFrames, casts, operators as functions).
    CompileTime,
    /// Returns a DataFrame (Pixie UDTF).
    Table,
}

impl FunctionKind {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Scalar => "scalar",
            Self::Aggregate => "aggregate",
            Self::CompileTime => "compile-time",
            Self::Table => "table",
        }
    }
}

/// One `px` function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionInfo {
    /// Name after `px.`.
    pub name: String,
    /// Kind.
    pub kind: FunctionKind,
    /// Parameter names, when known.
    pub params: Vec<String>,
    /// One-line description.
    pub doc: String,
}

/// Every function the compiler provides itself (host metadata functions come from the catalogue), sorted
/// by kind and name.
pub fn functions() -> Vec<FunctionInfo> {
    let mut out: Vec<FunctionInfo> = Vec::new();
    for s in fns::SCALARS {
        out.push(FunctionInfo {
            name: s.name.into(),
            kind: FunctionKind::Scalar,
            params: s.params.iter().map(|p| (*p).to_string()).collect(),
            doc: s.doc.into(),
        });
    }
    for a in agg::AGGS {
        out.push(FunctionInfo {
            name: a.name.into(),
            kind: FunctionKind::Aggregate,
            params: vec!["column".into()],
            doc: a.doc.into(),
        });
    }
    for n in crate::px::natives() {
        let name = n.name.strip_prefix("px.").unwrap_or(n.name).to_string();
        let kind = if name.starts_with("Get") {
            FunctionKind::Table
        } else {
            FunctionKind::CompileTime
        };
        out.push(FunctionInfo {
            name,
            kind,
            params: vec![],
            doc: n.doc.into(),
        });
    }
    out.sort_by(|a, b| (a.kind.name(), &a.name).cmp(&(b.kind.name(), &b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_is_documented_and_unique() {
        let all = functions();
        assert!(all.len() > 80, "{}", all.len());
        let mut names = std::collections::HashSet::new();
        for f in &all {
            assert!(!f.doc.is_empty(), "px.{} has no doc", f.name);
            assert!(names.insert(&f.name), "px.{} listed twice", f.name);
        }
        for name in [
            "quantiles",
            "pluck_float64",
            "redact_pii_best_effort",
            "script_reference",
            "GetSchemas",
        ] {
            assert!(all.iter().any(|f| f.name == name), "{name}");
        }
    }
}
