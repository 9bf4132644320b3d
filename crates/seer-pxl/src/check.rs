//! A syntax-level pass that rejects Python constructs PxL does not support, anywhere in the script (also in
//! functions that are never called), before anything is evaluated.

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{self as ast, AnyNodeRef, Number, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::error::{DResult, Diag};
use crate::ops::Arith;

const EVALUATED_ONCE: &str =
    "PxL scripts are evaluated once at compile time; express per-row logic with DataFrame operations";

/// Returns the first unsupported construct in source order.
pub(crate) fn check(body: &[Stmt]) -> DResult<()> {
    let mut checker = Checker { error: None };
    checker.visit_body(body);
    checker.error.map_or(Ok(()), Err)
}

struct Checker {
    error: Option<Diag>,
}

fn no(what: &str) -> String {
    format!("PxL does not support {what}")
}

/// Why `node` is not PxL, if it is not.
fn reject(node: AnyNodeRef<'_>) -> Option<String> {
    Some(match node {
        AnyNodeRef::StmtFor(_) => format!("{}: {EVALUATED_ONCE}", no("`for` loops")),
        AnyNodeRef::StmtWhile(_) => format!("{}: {EVALUATED_ONCE}", no("`while` loops")),
        AnyNodeRef::StmtClassDef(_) => no("classes: define functions with `def` instead"),
        AnyNodeRef::StmtTry(_) => no("`try` statements: errors abort compilation"),
        AnyNodeRef::StmtWith(_) => no("`with` statements"),
        AnyNodeRef::StmtMatch(_) => no("`match` statements"),
        AnyNodeRef::StmtRaise(_) => no("`raise` statements"),
        AnyNodeRef::StmtAssert(_) => no("`assert` statements"),
        AnyNodeRef::StmtDelete(_) => no("`del` statements"),
        AnyNodeRef::StmtGlobal(_) | AnyNodeRef::StmtNonlocal(_) => no("`global`/`nonlocal` declarations"),
        AnyNodeRef::StmtBreak(_) | AnyNodeRef::StmtContinue(_) => no("`break`/`continue`: there are no loops"),
        AnyNodeRef::StmtTypeAlias(_) => no("type aliases"),
        AnyNodeRef::StmtImportFrom(_) => no("`from ... import`: use `import px`"),
        AnyNodeRef::StmtIpyEscapeCommand(_) | AnyNodeRef::ExprIpyEscapeCommand(_) => no("IPython escape commands"),
        AnyNodeRef::StmtFunctionDef(f) => return reject_def(f),
        AnyNodeRef::ExprLambda(_) => no("lambdas: define a function with `def`"),
        AnyNodeRef::ExprListComp(_) | AnyNodeRef::ExprSetComp(_) | AnyNodeRef::ExprDictComp(_) => {
            format!("{}: {EVALUATED_ONCE}", no("comprehensions"))
        }
        AnyNodeRef::ExprGenerator(_) => no("generator expressions"),
        AnyNodeRef::ExprNamed(_) => no("assignment expressions (`:=`)"),
        AnyNodeRef::ExprAwait(_) | AnyNodeRef::ExprYield(_) | AnyNodeRef::ExprYieldFrom(_) => no("`await`/`yield`"),
        AnyNodeRef::ExprSet(_) => no("sets: use a list"),
        AnyNodeRef::ExprFString(_) | AnyNodeRef::ExprTString(_) => no("f-strings"),
        AnyNodeRef::ExprBytesLiteral(_) => no("bytes literals"),
        AnyNodeRef::ExprEllipsisLiteral(_) => no("`...`"),
        AnyNodeRef::ExprStarred(_) => no("`*` unpacking"),
        AnyNodeRef::ExprSlice(_) => no("slices"),
        AnyNodeRef::ExprNumberLiteral(n) if matches!(n.value, Number::Complex { .. }) => no("complex numbers"),
        AnyNodeRef::ExprBinOp(b) => return reject_operator(b.op),
        AnyNodeRef::StmtAugAssign(a) => return reject_operator(a.op),
        AnyNodeRef::ExprDict(d) if d.items.iter().any(|i| i.key.is_none()) => no("`**` unpacking in dicts"),
        AnyNodeRef::Keyword(k) if k.arg.is_none() => no("`**` arguments"),
        _ => return None,
    })
}

fn reject_operator(op: ast::Operator) -> Option<String> {
    if Arith::from_ast(op).is_some() {
        return None;
    }
    let hint = match op {
        ast::Operator::BitAnd => "; use `and`",
        ast::Operator::BitOr => "; use `or`",
        _ => "",
    };
    Some(format!("{}{hint}", no(&format!("the `{}` operator", op.as_str()))))
}

fn reject_def(f: &ast::StmtFunctionDef) -> Option<String> {
    let p = &f.parameters;
    if f.is_async {
        Some(no("`async` functions"))
    } else if !f.decorator_list.is_empty() {
        Some(no("decorators"))
    } else if f.type_params.is_some() {
        Some(no("type parameters"))
    } else if p.vararg.is_some() || p.kwarg.is_some() {
        Some(no("`*args`/`**kwargs` parameters"))
    } else if !p.kwonlyargs.is_empty() || !p.posonlyargs.is_empty() {
        Some(no("keyword-only or positional-only parameters"))
    } else {
        None
    }
}

impl<'a> SourceOrderVisitor<'a> for Checker {
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        if self.error.is_some() {
            return TraversalSignal::Skip;
        }
        if let Some(message) = reject(node) {
            let range: TextRange = node.range();
            self.error = Some(Diag::unsupported(range, message));
            return TraversalSignal::Skip;
        }
        TraversalSignal::Traverse
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_error(src: &str) -> Option<String> {
        let parsed = ruff_python_parser::parse_module(src).ok()?;
        check(&parsed.syntax().body).err().map(|e| e.message)
    }

    #[test]
    fn accepts_pxl() {
        assert_eq!(
            first_error("import px\ndef f(a: str, b=1):\n    return a\nx = f('a') if True else 2\n"),
            None
        );
    }

    #[test]
    fn rejects_loops_even_in_uncalled_functions() {
        let msg = first_error("def f():\n    for i in [1]:\n        pass\n").unwrap_or_default();
        assert!(msg.starts_with("PxL does not support `for` loops: "), "{msg}");
    }

    #[test]
    fn rejects_other_constructs() {
        assert_eq!(
            first_error("x = lambda: 1").as_deref(),
            Some("PxL does not support lambdas: define a function with `def`")
        );
        assert_eq!(
            first_error("x = 1 | 2").as_deref(),
            Some("PxL does not support the `|` operator; use `or`")
        );
        assert_eq!(
            first_error("@d\ndef f():\n    pass\n").as_deref(),
            Some("PxL does not support decorators")
        );
        assert_eq!(
            first_error("f(**k)").as_deref(),
            Some("PxL does not support `**` arguments")
        );
        assert!(first_error("class A:\n    pass\n").is_some());
    }
}
