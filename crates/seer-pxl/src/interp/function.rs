//! User-defined functions: `def f(a: str, b: int = 3): ... return df`.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::TextRange;

use super::stmt::Flow;
use super::{Interp, MAX_CALL_DEPTH};
use crate::args::CallArgs;
use crate::error::{DResult, Diag};
use crate::value::Value;

/// A parameter's annotation: how function mode converts a string argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Annotation {
    /// No annotation, `str`, `px.Pod`-like types and unknown annotations: the string itself.
    Str,
    Int,
    Float,
    Bool,
}

/// One parameter.
pub(crate) struct Param {
    pub name: String,
    pub annotation: Annotation,
    pub default: Option<Value>,
    pub range: TextRange,
}

/// A function the script defined.
pub(crate) struct UserFunction {
    pub name: String,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    /// The `def` statement (for errors that belong to the function as a whole).
    pub range: TextRange,
    /// The built-in library defining it (`pxviews`), if any: its errors are reported at the call.
    pub library: Option<&'static str>,
}

fn annotation(e: Option<&Expr>) -> Annotation {
    match e {
        Some(Expr::Name(n)) => match n.id.as_str() {
            "int" => Annotation::Int,
            "float" => Annotation::Float,
            "bool" => Annotation::Bool,
            _ => Annotation::Str,
        },
        _ => Annotation::Str,
    }
}

impl UserFunction {
    /// Defines a function; defaults are evaluated now, as in Python.
    pub fn define(interp: &mut Interp<'_>, def: &ast::StmtFunctionDef) -> DResult<Self> {
        let mut params = Vec::new();
        for p in &def.parameters.args {
            let default = p.default.as_ref().map(|d| interp.eval(d)).transpose()?;
            params.push(Param {
                name: p.parameter.name.to_string(),
                annotation: annotation(p.parameter.annotation.as_deref()),
                default,
                range: p.range,
            });
        }
        Ok(Self {
            name: def.name.to_string(),
            params,
            body: def.body.to_vec(),
            range: def.range,
            library: interp.defining,
        })
    }

    /// Binds call arguments to parameters Python-style.
    pub fn bind_args(&self, args: CallArgs) -> DResult<Vec<Value>> {
        let name = &self.name;
        if let Some(extra) = args.positional.get(self.params.len()) {
            let msg = format!(
                "{name}() takes {} arguments but {} were given",
                self.params.len(),
                args.positional.len()
            );
            return Err(Diag::arg(extra.range, msg));
        }
        let mut slots: Vec<Option<Value>> = args.positional.into_iter().map(|a| Some(a.value)).collect();
        slots.resize(self.params.len(), None);
        for (kw, arg) in args.keywords {
            let Some(i) = self.params.iter().position(|p| p.name == kw) else {
                return Err(Diag::arg(
                    arg.range,
                    format!("{name}() got an unexpected keyword argument '{kw}'"),
                ));
            };
            if slots[i].replace(arg.value).is_some() {
                return Err(Diag::arg(
                    arg.range,
                    format!("{name}() got multiple values for argument '{kw}'"),
                ));
            }
        }
        self.fill_defaults(slots, args.range)
    }

    /// Function mode: converts string arguments according to the annotations.
    pub fn convert_args(&self, args: &BTreeMap<String, String>) -> DResult<Vec<Value>> {
        if let Some(unknown) = args.keys().find(|k| !self.params.iter().any(|p| &p.name == *k)) {
            return Err(Diag::arg(
                self.range,
                format!("{}() got an unexpected argument '{unknown}'", self.name),
            ));
        }
        let slots = self
            .params
            .iter()
            .map(|p| args.get(&p.name).map(|s| p.convert(&self.name, s)).transpose())
            .collect::<DResult<Vec<_>>>()?;
        self.fill_defaults(slots, self.range)
    }

    fn fill_defaults(&self, slots: Vec<Option<Value>>, range: TextRange) -> DResult<Vec<Value>> {
        self.params
            .iter()
            .zip(slots)
            .map(|(p, slot)| {
                slot.or_else(|| p.default.clone())
                    .ok_or_else(|| Diag::arg(range, format!("{}() missing required argument '{}'", self.name, p.name)))
            })
            .collect()
    }
}

impl Param {
    fn convert(&self, func: &str, s: &str) -> DResult<Value> {
        let value = match self.annotation {
            Annotation::Str => Some(Value::Str(s.to_string())),
            Annotation::Int => s.trim().parse().ok().map(Value::Int),
            Annotation::Float => s.trim().parse().ok().map(Value::Float),
            Annotation::Bool => match s.trim() {
                "true" | "True" | "1" => Some(Value::Bool(true)),
                "false" | "False" | "0" => Some(Value::Bool(false)),
                _ => None,
            },
        };
        let want = match self.annotation {
            Annotation::Str => "str",
            Annotation::Int => "int",
            Annotation::Float => "float",
            Annotation::Bool => "bool",
        };
        value.ok_or_else(|| {
            Diag::arg(
                self.range,
                format!("argument '{}' of {func}(): cannot convert '{s}' to {want}", self.name),
            )
        })
    }
}

impl Interp<'_> {
    /// Runs a user function's body with `args` bound to its parameters.
    pub(super) fn call_user(&mut self, f: &Rc<UserFunction>, args: Vec<Value>, range: TextRange) -> DResult<Value> {
        if self.frames.len() >= MAX_CALL_DEPTH {
            return Err(Diag::ty(
                range,
                format!("maximum call depth ({MAX_CALL_DEPTH}) exceeded in {}()", f.name),
            ));
        }
        let frame: HashMap<String, Value> = f.params.iter().map(|p| p.name.clone()).zip(args).collect();
        self.frames.push((frame, f.library));
        let flow = self.exec_block(&f.body);
        self.frames.pop();
        let flow = match (flow, f.library) {
            (Err(mut d), Some(lib)) if self.frames.iter().all(|(_, l)| l.is_none()) => {
                d.at = Some(range.start());
                d.message = format!("in {lib}.{}(): {}", f.name, d.message);
                Err(d)
            }
            (flow, _) => flow,
        };
        Ok(match flow? {
            Flow::Return(v, _) => v,
            Flow::Next => Value::None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(annotation: Annotation) -> Param {
        Param {
            name: "n".into(),
            annotation,
            default: None,
            range: TextRange::default(),
        }
    }

    #[test]
    fn conversions_by_annotation() -> DResult<()> {
        assert!(matches!(param(Annotation::Int).convert("f", " 42")?, Value::Int(42)));
        assert!(matches!(param(Annotation::Float).convert("f", "0.5")?, Value::Float(x) if x == 0.5));
        assert!(matches!(
            param(Annotation::Bool).convert("f", "True")?,
            Value::Bool(true)
        ));
        assert!(matches!(param(Annotation::Str).convert("f", "-5m")?, Value::Str(s) if s == "-5m"));
        let err = param(Annotation::Int).convert("f", "abc").err().map(|e| e.message);
        assert_eq!(err.as_deref(), Some("argument 'n' of f(): cannot convert 'abc' to int"));
        Ok(())
    }
}
