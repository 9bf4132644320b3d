//! Statements.

use std::rc::Rc;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::{Interp, UserFunction};
use crate::error::{DResult, Diag, ErrorKind};
use crate::frame::groupby_needs_agg;
use crate::ops::{self, Arith};
use crate::value::{Module, Value};

/// What a statement did to control flow.
pub(super) enum Flow {
    Next,
    /// `return value`, with the statement's position.
    Return(Value, TextRange),
}

impl Interp<'_> {
    /// Runs statements until one returns.
    pub(super) fn exec_block(&mut self, body: &[Stmt]) -> DResult<Flow> {
        for stmt in body {
            if let Flow::Return(v, r) = self.exec(stmt)? {
                return Ok(Flow::Return(v, r));
            }
        }
        Ok(Flow::Next)
    }

    fn exec(&mut self, stmt: &Stmt) -> DResult<Flow> {
        match stmt {
            Stmt::Import(imp) => self.import(imp)?,
            Stmt::FunctionDef(def) => {
                let func = UserFunction::define(self, def)?;
                self.bind(def.name.as_str(), Value::Function(Rc::new(func)));
            }
            Stmt::Return(ret) => {
                let value = match &ret.value {
                    Some(e) => self.eval(e)?,
                    None => Value::None,
                };
                return Ok(Flow::Return(value, ret.range));
            }
            Stmt::Assign(a) => {
                let value = self.eval(&a.value)?;
                for target in &a.targets {
                    self.assign(target, value.clone(), a.value.range())?;
                }
            }
            Stmt::AnnAssign(a) => {
                if let Some(e) = &a.value {
                    let value = self.eval(e)?;
                    self.assign(&a.target, value, e.range())?;
                }
            }
            Stmt::AugAssign(a) => {
                let current = self.eval(&a.target)?;
                let rhs = self.eval(&a.value)?;
                let op = Arith::from_ast(a.op).ok_or_else(|| Diag::unsupported(a.range, "unsupported operator"))?;
                let value = ops::arith(op, &current, &rhs, a.range)?;
                self.assign(&a.target, value, a.range)?;
            }
            Stmt::Expr(e) => {
                if let Value::GroupBy(g) = self.eval(&e.value)? {
                    return Err(groupby_needs_agg(g.range));
                }
            }
            Stmt::If(i) => return self.exec_if(i),
            Stmt::Pass(_) => {}
            other => return Err(Diag::unsupported(other.range(), "PxL does not support this statement")),
        }
        Ok(Flow::Next)
    }

    fn import(&mut self, imp: &ast::StmtImport) -> DResult<()> {
        for alias in &imp.names {
            let module = alias.name.as_str();
            let bound = alias.asname.as_ref().map_or(module, |a| a.as_str());
            match module {
                "px" => self.bind(bound, Value::Module(Module::Px)),
                "pxviews" => {
                    self.load_library("pxviews", alias.range)?;
                    self.bind(bound, Value::Module(Module::Library("pxviews")));
                }
                "pxtrace" => {
                    let msg = "module 'pxtrace' (dynamic tracepoints: UpsertTracepoint, kprobes, bpftrace programs) \
                               is not supported by Seer yet";
                    return Err(Diag::new(ErrorKind::Unsupported, alias.range, msg));
                }
                "pxconfig" => {
                    let msg = "module 'pxconfig' (agent configuration) is not supported by Seer yet";
                    return Err(Diag::new(ErrorKind::Unsupported, alias.range, msg));
                }
                _ => {
                    let msg = format!("unknown module '{module}': PxL scripts can import px and pxviews");
                    return Err(Diag::new(ErrorKind::Import, alias.range, msg));
                }
            }
        }
        Ok(())
    }

    fn exec_if(&mut self, i: &ast::StmtIf) -> DResult<Flow> {
        if self.condition(&i.test)? {
            return self.exec_block(&i.body);
        }
        for clause in &i.elif_else_clauses {
            let taken = match &clause.test {
                Some(test) => self.condition(test)?,
                None => true,
            };
            if taken {
                return self.exec_block(&clause.body);
            }
        }
        Ok(Flow::Next)
    }

    /// A compile-time condition (`if`, ternaries).
    pub(super) fn condition(&mut self, test: &Expr) -> DResult<bool> {
        let value = self.eval(test)?;
        value.truthy().ok_or_else(|| {
            let msg = format!("condition must be known at compile time, got a {}", value.type_name());
            Diag::ty(test.range(), msg)
        })
    }

    fn assign(&mut self, target: &Expr, value: Value, value_range: TextRange) -> DResult<()> {
        match target {
            Expr::Name(n) => self.bind(n.id.as_str(), value),
            Expr::Attribute(a) => self.assign_column(&a.value, a.attr.as_str(), value, value_range)?,
            Expr::Subscript(s) => match self.eval(&s.slice)? {
                Value::Str(column) => self.assign_column(&s.value, &column, value, value_range)?,
                other => {
                    let msg = format!("a DataFrame column name must be a string, got {}", other.type_name());
                    return Err(Diag::ty(s.slice.range(), msg));
                }
            },
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                let items = match value {
                    Value::Tuple(items) | Value::List(items) if items.len() == elts.len() => items,
                    other => {
                        let msg = format!("cannot unpack {} into {} names", other.type_name(), elts.len());
                        return Err(Diag::ty(value_range, msg));
                    }
                };
                for (t, v) in elts.iter().zip(items) {
                    self.assign(t, v, value_range)?;
                }
            }
            other => return Err(Diag::unsupported(other.range(), "PxL cannot assign to this expression")),
        }
        Ok(())
    }

    /// `df.col = value` / `df['col'] = value`: rebinds the DataFrame variable to the extended DataFrame.
    fn assign_column(&mut self, obj: &Expr, column: &str, value: Value, value_range: TextRange) -> DResult<()> {
        let Expr::Name(var) = obj else {
            return Err(Diag::unsupported(
                obj.range(),
                "columns can only be assigned on a DataFrame variable",
            ));
        };
        match self.eval(obj)? {
            Value::DataFrame(df) => {
                let df = df.assign(column, &value, value_range)?;
                self.bind(var.id.as_str(), Value::DataFrame(df));
                Ok(())
            }
            Value::GroupBy(g) => Err(groupby_needs_agg(g.range)),
            other => Err(Diag::ty(
                obj.range(),
                format!("cannot assign column '{column}' of a {}", other.type_name()),
            )),
        }
    }
}
