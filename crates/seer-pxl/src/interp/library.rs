//! PxL libraries compiled into Seer (`import pxviews`): their module runs once per compilation in its own
//! global scope; their functions see those globals.

use std::rc::Rc;

use ruff_text_size::TextRange;

use super::Interp;
use crate::error::{DResult, Diag, ErrorKind};
use crate::value::Value;

/// Source of each library.
fn source(name: &str) -> Option<&'static str> {
    match name {
        "pxviews" => Some(include_str!("../lib_pxl/pxviews.pxl")),
        _ => None,
    }
}

impl Interp<'_> {
    /// Runs library `name`'s module (once) so that its functions can be called.
    pub(super) fn load_library(&mut self, name: &'static str, range: TextRange) -> DResult<()> {
        if self.libraries.contains_key(name) {
            return Ok(());
        }
        let internal = |msg: String| Diag::new(ErrorKind::Import, range, format!("library {name}: {msg}"));
        let src = source(name).ok_or_else(|| internal("unknown".into()))?;
        let parsed = ruff_python_parser::parse_module(src).map_err(|e| internal(e.to_string()))?;
        let saved_globals = std::mem::take(&mut self.globals);
        let saved_frames = std::mem::take(&mut self.frames);
        self.defining = Some(name);
        let result = self.run_module(&parsed.syntax().body);
        self.defining = None;
        let globals = std::mem::replace(&mut self.globals, saved_globals);
        self.frames = saved_frames;
        result.map_err(|d| internal(d.message))?;
        self.libraries.insert(name, Rc::new(globals));
        Ok(())
    }

    /// `lib.attr`.
    pub(super) fn library_attr(&self, lib: &str, attr: &str, range: TextRange) -> DResult<Value> {
        let found = self
            .libraries
            .get(lib)
            .and_then(|g| g.get(attr))
            .filter(|_| !attr.starts_with('_'));
        found
            .cloned()
            .ok_or_else(|| Diag::new(ErrorKind::Name, range, format!("{lib}.{attr} is not defined")))
    }
}
