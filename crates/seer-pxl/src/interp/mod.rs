//! The compile-time interpreter: evaluates the script's statements over [`Value`]s, producing DataFrames
//! (logical plans) and the outputs the script displays.

mod call;
mod expr;
mod function;
mod library;
mod stmt;

use std::collections::HashMap;

use ruff_python_ast::Stmt;

pub(crate) use function::UserFunction;

use crate::api::{Catalog, FuncCall};
use crate::error::{DResult, Diag, ErrorKind};
use crate::frame::DataFrame;
use crate::value::Value;

/// Deepest allowed nesting of user-function calls.
const MAX_CALL_DEPTH: usize = 64;

/// Interpreter state for one compilation.
pub(crate) struct Interp<'c> {
    catalog: &'c dyn Catalog,
    now_ns: i64,
    /// Function mode: `px.display` is a no-op.
    functions_mode: bool,
    globals: HashMap<String, Value>,
    /// Local scopes of the user functions being called (innermost last), with the library each
    /// function belongs to (its globals are the library's).
    frames: Vec<(HashMap<String, Value>, Option<&'static str>)>,
    /// Loaded libraries' globals.
    libraries: HashMap<&'static str, std::rc::Rc<HashMap<String, Value>>>,
    /// The library whose module is being run (functions defined now belong to it).
    defining: Option<&'static str>,
    outputs: Vec<(String, DataFrame)>,
}

impl<'c> Interp<'c> {
    /// A fresh interpreter.
    pub fn new(catalog: &'c dyn Catalog, now_ns: i64, functions_mode: bool) -> Self {
        Self {
            catalog,
            now_ns,
            functions_mode,
            globals: HashMap::new(),
            frames: Vec::new(),
            libraries: HashMap::new(),
            defining: None,
            outputs: Vec::new(),
        }
    }

    /// The table catalog.
    pub fn catalog(&self) -> &'c dyn Catalog {
        self.catalog
    }

    /// "Now", in nanoseconds since the epoch.
    pub fn now_ns(&self) -> i64 {
        self.now_ns
    }

    /// Runs the module's top-level statements.
    pub fn run_module(&mut self, body: &[Stmt]) -> DResult<()> {
        match self.exec_block(body)? {
            stmt::Flow::Next => Ok(()),
            stmt::Flow::Return(_, range) => Err(Diag::new(ErrorKind::Syntax, range, "'return' outside function")),
        }
    }

    /// Function mode: calls `call.name` with the call's string arguments; its DataFrame becomes an output.
    pub fn run_call(&mut self, call: &FuncCall) -> DResult<()> {
        let func = match self.globals.get(&call.name) {
            Some(Value::Function(f)) => f.clone(),
            _ => {
                let msg = format!("function '{}' is not defined by the script", call.name);
                return Err(Diag::unplaced(ErrorKind::Name, msg));
            }
        };
        let args = func.convert_args(&call.args)?;
        match self.call_user(&func, args, func.range)? {
            Value::DataFrame(df) => {
                self.push_output(call.output.clone(), df);
                Ok(())
            }
            Value::GroupBy(g) => Err(crate::frame::groupby_needs_agg(g.range)),
            other => {
                let msg = format!(
                    "function '{}' must return a DataFrame, returned {}",
                    call.name,
                    other.type_name()
                );
                Err(Diag::new(ErrorKind::Type, func.range, msg))
            }
        }
    }

    /// A `px.display`/`px.debug` sink: outputs in script mode, and debug outputs in both modes.
    pub fn emit(&mut self, name: String, df: DataFrame, debug: bool) {
        if !self.functions_mode || debug {
            self.push_output(name, df);
        }
    }

    fn push_output(&mut self, name: String, df: DataFrame) {
        let taken = |n: &str| self.outputs.iter().any(|(o, _)| o == n);
        let mut unique = name.clone();
        let mut i = 1;
        while taken(&unique) {
            unique = format!("{name}_{i}");
            i += 1;
        }
        self.outputs.push((unique, df));
    }

    /// The outputs, in order.
    pub fn into_outputs(self) -> Vec<(String, DataFrame)> {
        self.outputs
    }

    fn lookup(&self, name: &str) -> Option<Value> {
        let frame = self.frames.last();
        let local = frame.and_then(|(f, _)| f.get(name));
        let library = frame.and_then(|(_, lib)| lib.and_then(|l| self.libraries.get(l)));
        local
            .or_else(|| library.and_then(|g| g.get(name)))
            .or_else(|| self.globals.get(name))
            .cloned()
            .or_else(|| call::builtin(name))
    }

    fn bind(&mut self, name: &str, value: Value) {
        let scope = match self.frames.last_mut() {
            Some((f, _)) => f,
            None => &mut self.globals,
        };
        scope.insert(name.to_string(), value);
    }
}

#[cfg(test)]
mod tests {
    use crate::PxlError;
    use crate::testing::{columns, error};

    #[test]
    fn function_locals_do_not_leak_and_globals_are_visible() -> Result<(), PxlError> {
        let src =
            "import px\nT = 'http_events'\ndef f():\n    local = px.DataFrame(T)\n    return local\npx.display(f())\n";
        assert_eq!(columns(src)?.len(), 1);
        assert_eq!(
            error(&format!("{src}px.display(local)\n")),
            "7:12: name 'local' is not defined"
        );
        Ok(())
    }

    #[test]
    fn defaults_are_evaluated_at_definition() -> Result<(), PxlError> {
        let src = "import px\nc = 'req_path'\ndef f(col=c):\n    return px.DataFrame('http_events', select=[col])\nc = 'latency'\npx.display(f())\n";
        assert_eq!(columns(src)?, [["req_path"]]);
        Ok(())
    }

    #[test]
    fn call_argument_errors() {
        let def = "import px\ndef f(a, b=1):\n    return a\n";
        assert_eq!(error(&format!("{def}f()\n")), "4:1: f() missing required argument 'a'");
        assert_eq!(
            error(&format!("{def}f(1, 2, 3)\n")),
            "4:9: f() takes 2 arguments but 3 were given"
        );
        assert_eq!(
            error(&format!("{def}f(1, c=2)\n")),
            "4:6: f() got an unexpected keyword argument 'c'"
        );
        assert_eq!(
            error(&format!("{def}f(1, a=2)\n")),
            "4:6: f() got multiple values for argument 'a'"
        );
    }

    #[test]
    fn constants_follow_python() {
        assert_eq!(
            error("x = 1 if 0 or '' else 2 + 'a'\n"),
            "1:23: unsupported operand types for +: 'int' and 'str'"
        );
        assert_eq!(error("x = [1, 2][5]\n"), "1:12: index out of range");
        assert_eq!(error("x = {'a': 1}['b']\n"), "1:14: key 'b' not found");
        assert_eq!(
            error("a, b = 1, 2\nx = (a < b < 3) + 'x'\n"),
            "2:5: unsupported operand types for +: 'bool' and 'str'"
        );
        assert_eq!(
            error("x = 'a' in ['a'] and None is None and 2 not in {1: 2}\ny = x + 'z'\n"),
            "2:5: unsupported operand types for +: 'bool' and 'str'"
        );
    }
}
