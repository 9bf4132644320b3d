//! Function signatures of a PxL script, so the UI can build a typed argument form (function mode).

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;
use serde::Serialize;

/// A parameter of a script function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParamSig {
    /// Name.
    pub name: String,
    /// Annotation as written (`str`, `int`, `float`, `bool`, `px.Pod`…), empty when absent.
    pub annotation: String,
    /// Default value's source text, if any.
    pub default: Option<String>,
}

/// A function defined at the script's top level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionSig {
    /// Name.
    pub name: String,
    /// Parameters in order.
    pub params: Vec<ParamSig>,
}

/// The top-level functions of `source`; empty when it does not parse (the run reports the error).
pub fn signatures(source: &str) -> Vec<FunctionSig> {
    let Ok(parsed) = ruff_python_parser::parse_module(source) else {
        return vec![];
    };
    let text = |e: &Expr| {
        source
            .get(e.range().start().to_usize()..e.range().end().to_usize())
            .unwrap_or("")
            .to_string()
    };
    parsed
        .syntax()
        .body
        .iter()
        .filter_map(|s| match s {
            Stmt::FunctionDef(f) => Some(FunctionSig {
                name: f.name.to_string(),
                params: f
                    .parameters
                    .args
                    .iter()
                    .map(|p| ParamSig {
                        name: p.parameter.name.to_string(),
                        annotation: p.parameter.annotation.as_deref().map(text).unwrap_or_default(),
                        default: p.default.as_deref().map(text),
                    })
                    .collect(),
            }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_functions_with_annotations_and_defaults() {
        let src = "import px\n\ndef f(start_time: str, n: int = 10, flag=True, pod: px.Pod = ''):\n    def inner(x: int):\n        return x\n    return px.DataFrame('t')\n\nx = 1\n";
        let sigs = signatures(src);
        assert_eq!(sigs.len(), 1);
        assert_eq!(sigs[0].name, "f");
        let p: Vec<(&str, &str, Option<&str>)> = sigs[0]
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.annotation.as_str(), p.default.as_deref()))
            .collect();
        assert_eq!(
            p,
            [
                ("start_time", "str", None),
                ("n", "int", Some("10")),
                ("flag", "", Some("True")),
                ("pod", "px.Pod", Some("''"))
            ]
        );
        assert!(signatures("def (:\n").is_empty());
    }
}
