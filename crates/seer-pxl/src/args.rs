//! Call arguments and binding them to parameter names.

use ruff_text_size::TextRange;

use crate::error::{DResult, Diag};
use crate::value::Value;

/// One evaluated argument and where it was written.
#[derive(Clone)]
pub(crate) struct Arg {
    pub value: Value,
    pub range: TextRange,
    /// Positions of the elements when the argument is a list or tuple literal.
    pub elems: Vec<TextRange>,
}

/// The evaluated arguments of one call.
#[derive(Clone)]
pub(crate) struct CallArgs {
    /// The whole call expression.
    pub range: TextRange,
    pub positional: Vec<Arg>,
    pub keywords: Vec<(String, Arg)>,
}

/// Arguments bound to a function's parameters by position or keyword.
pub(crate) struct Bound {
    func: String,
    range: TextRange,
    params: &'static [&'static str],
    slots: Vec<Option<Arg>>,
}

impl CallArgs {
    /// Binds to `params` Python-style; `required` parameters must be given. Errors name `func`.
    pub fn bind(self, func: &str, params: &'static [&'static str], required: &[&str]) -> DResult<Bound> {
        let mut slots: Vec<Option<Arg>> = vec![None; params.len()];
        if self.positional.len() > params.len() {
            let extra = &self.positional[params.len()];
            let msg = format!(
                "{func}() takes at most {} positional arguments but {} were given",
                params.len(),
                self.positional.len()
            );
            return Err(Diag::arg(extra.range, msg));
        }
        for (slot, arg) in slots.iter_mut().zip(self.positional) {
            *slot = Some(arg);
        }
        for (name, arg) in self.keywords {
            let Some(i) = params.iter().position(|p| *p == name) else {
                return Err(Diag::arg(
                    arg.range,
                    format!("{func}() got an unexpected keyword argument '{name}'"),
                ));
            };
            if slots[i].is_some() {
                return Err(Diag::arg(
                    arg.range,
                    format!("{func}() got multiple values for argument '{name}'"),
                ));
            }
            slots[i] = Some(arg);
        }
        for name in required {
            if params.iter().zip(&slots).any(|(p, s)| p == name && s.is_none()) {
                return Err(Diag::arg(
                    self.range,
                    format!("{func}() missing required argument '{name}'"),
                ));
            }
        }
        Ok(Bound {
            func: func.to_string(),
            range: self.range,
            params,
            slots,
        })
    }

    /// Errors unless the call has no arguments at all.
    pub fn none(self, func: &str) -> DResult<()> {
        self.bind(func, &[], &[]).map(|_| ())
    }
}

impl Bound {
    /// Takes the argument bound to `name`, if given.
    pub fn take(&mut self, name: &str) -> Option<Arg> {
        let i = self.params.iter().position(|p| *p == name)?;
        self.slots[i].take()
    }

    /// Takes a required argument (`bind` already checked it is present).
    pub fn req(&mut self, name: &str) -> DResult<Arg> {
        self.take(name).ok_or_else(|| {
            Diag::arg(
                self.range,
                format!("{}() missing required argument '{name}'", self.func),
            )
        })
    }
}

impl Arg {
    /// The value as a string, or an error naming the parameter.
    pub fn str(&self, func: &str, param: &str) -> DResult<String> {
        match &self.value {
            Value::Str(s) => Ok(s.clone()),
            other => Err(self.wrong_type(func, param, "a string", other)),
        }
    }

    /// The value as an integer, or an error naming the parameter.
    pub fn int(&self, func: &str, param: &str) -> DResult<i64> {
        match &self.value {
            Value::Int(i) => Ok(*i),
            other => Err(self.wrong_type(func, param, "an integer", other)),
        }
    }

    /// A string, or a list/tuple of strings, each with its own position (for per-name errors).
    pub fn names(&self, func: &str, param: &str) -> DResult<Vec<(String, TextRange)>> {
        match &self.value {
            Value::Str(s) => Ok(vec![(s.clone(), self.range)]),
            Value::List(items) | Value::Tuple(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::Str(s) => Ok((s.clone(), self.elems.get(i).copied().unwrap_or(self.range))),
                    other => Err(self.wrong_type(func, param, "a list of column names", other)),
                })
                .collect(),
            other => Err(self.wrong_type(func, param, "a column name or a list of column names", other)),
        }
    }

    fn wrong_type(&self, func: &str, param: &str, want: &str, got: &Value) -> Diag {
        Diag::arg(
            self.range,
            format!("argument '{param}' of {func}() must be {want}, got {}", got.type_name()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(value: Value) -> Arg {
        Arg {
            value,
            range: TextRange::default(),
            elems: vec![],
        }
    }

    fn call(positional: Vec<Value>, keywords: Vec<(&str, Value)>) -> CallArgs {
        CallArgs {
            range: TextRange::default(),
            positional: positional.into_iter().map(arg).collect(),
            keywords: keywords.into_iter().map(|(k, v)| (k.to_string(), arg(v))).collect(),
        }
    }

    fn bind_err(args: CallArgs) -> String {
        args.bind("f", &["a", "b"], &["a"])
            .err()
            .map(|e| e.message)
            .unwrap_or_default()
    }

    #[test]
    fn binds_positionally_and_by_keyword() -> DResult<()> {
        let mut b = call(vec![Value::Int(1)], vec![("b", Value::Str("x".into()))]).bind("f", &["a", "b"], &["a"])?;
        assert_eq!(b.req("a")?.int("f", "a")?, 1);
        assert_eq!(b.take("b").map(|a| a.str("f", "b")).transpose()?, Some("x".to_string()));
        assert!(b.take("b").is_none());
        Ok(())
    }

    #[test]
    fn binding_errors() {
        assert_eq!(bind_err(call(vec![], vec![])), "f() missing required argument 'a'");
        assert_eq!(
            bind_err(call(vec![Value::None; 3], vec![])),
            "f() takes at most 2 positional arguments but 3 were given"
        );
        assert_eq!(
            bind_err(call(vec![], vec![("c", Value::None)])),
            "f() got an unexpected keyword argument 'c'"
        );
        assert_eq!(
            bind_err(call(vec![Value::None], vec![("a", Value::None)])),
            "f() got multiple values for argument 'a'"
        );
    }

    #[test]
    fn names_accept_a_string_or_a_list_of_strings() -> DResult<()> {
        assert_eq!(arg(Value::Str("a".into())).names("f", "by")?.len(), 1);
        assert_eq!(
            arg(Value::List(vec![Value::Str("a".into()), Value::Str("b".into())]))
                .names("f", "by")?
                .len(),
            2
        );
        let err = arg(Value::List(vec![Value::Int(1)]))
            .names("f", "by")
            .err()
            .map(|e| e.message);
        assert_eq!(
            err.as_deref(),
            Some("argument 'by' of f() must be a list of column names, got int")
        );
        Ok(())
    }
}
