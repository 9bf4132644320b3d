//! Live View specs (`vis.json`): variables, global functions and widgets, and the function-mode calls they
//! imply.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::api::FuncCall;

/// An invalid `vis.json` or arguments that do not fit it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("vis spec: {0}")]
pub struct VisError(pub String);

/// A parsed `vis.json` (proto `px.vispb.Vis`, JSON camelCase; snake_case is accepted too).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisSpec {
    /// Script arguments the UI asks for.
    #[serde(default)]
    pub variables: Vec<Variable>,
    /// Functions computed once and shared by widgets.
    #[serde(default, alias = "global_funcs")]
    pub global_funcs: Vec<GlobalFunc>,
    /// Widgets, each showing one function's output.
    #[serde(default)]
    pub widgets: Vec<Widget>,
}

/// A script argument.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Variable {
    /// Name, referenced by function arguments.
    pub name: String,
    /// `PX_STRING`, `PX_INT64`, `PX_POD`…
    #[serde(rename = "type", default)]
    pub var_type: String,
    /// Value when the user gives none.
    #[serde(default, alias = "default_value", skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    /// Help text.
    #[serde(default)]
    pub description: String,
    /// Allowed values (empty: any).
    #[serde(default, alias = "valid_values", skip_serializing_if = "Vec::is_empty")]
    pub valid_values: Vec<String>,
}

/// A function call and its arguments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Func {
    /// Function name (defined by the script).
    pub name: String,
    /// Arguments.
    #[serde(default)]
    pub args: Vec<FuncArg>,
}

/// One argument: bound to a variable or a literal value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FuncArg {
    /// Parameter name.
    pub name: String,
    /// Variable supplying the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
    /// Literal value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A function whose output several widgets share.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalFunc {
    /// Output table name.
    #[serde(alias = "output_name")]
    pub output_name: String,
    /// The call.
    pub func: Func,
}

/// A widget's grid position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Column (0–11).
    #[serde(default)]
    pub x: i64,
    /// Row.
    #[serde(default)]
    pub y: i64,
    /// Width in columns.
    #[serde(default)]
    pub w: i64,
    /// Height in rows.
    #[serde(default)]
    pub h: i64,
}

/// A widget: a function call (or a global function's output) and how to display it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Widget {
    /// Widget name; also its output table's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Grid position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// The widget's own call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub func: Option<Func>,
    /// Or the output of a global function.
    #[serde(default, alias = "global_func_output_name", skip_serializing_if = "Option::is_none")]
    pub global_func_output_name: Option<String>,
    /// Display spec (`{"@type": "types.px.dev/px.vispb.Table", ...}`), kept as JSON.
    #[serde(default, alias = "display_spec", skip_serializing_if = "Option::is_none")]
    pub display_spec: Option<serde_json::Value>,
}

impl VisSpec {
    /// Parses `vis.json` text.
    pub fn parse(json: &str) -> Result<Self, VisError> {
        serde_json::from_str(json).map_err(|e| VisError(format!("invalid JSON: {e}")))
    }

    /// The calls to run: every global function, then every widget with its own call, with arguments bound
    /// from the variables (`overrides` replace default values). Identical calls appear once.
    pub fn func_calls(&self, overrides: &BTreeMap<String, String>) -> Result<Vec<FuncCall>, VisError> {
        if let Some(unknown) = overrides.keys().find(|k| !self.variables.iter().any(|v| &v.name == *k)) {
            return Err(VisError(format!("unknown variable '{unknown}'")));
        }
        let mut calls: Vec<FuncCall> = Vec::new();
        let mut push = |call: FuncCall| {
            if !calls.contains(&call) {
                calls.push(call);
            }
        };
        for g in &self.global_funcs {
            push(self.bind(&g.func, &g.output_name, overrides)?);
        }
        for (i, w) in self.widgets.iter().enumerate() {
            match (&w.func, &w.global_func_output_name) {
                (Some(func), _) => {
                    let output = w.name.clone().unwrap_or_else(|| format!("widget_{i}"));
                    push(self.bind(func, &output, overrides)?);
                }
                (None, Some(global)) if !self.global_funcs.iter().any(|g| &g.output_name == global) => {
                    return Err(VisError(format!(
                        "widget {i} refers to unknown global function output '{global}'"
                    )));
                }
                _ => {}
            }
        }
        Ok(calls)
    }

    fn bind(&self, func: &Func, output: &str, overrides: &BTreeMap<String, String>) -> Result<FuncCall, VisError> {
        let mut args = BTreeMap::new();
        for arg in &func.args {
            let value = match (&arg.variable, &arg.value) {
                (Some(var), _) => self.variable_value(var, overrides)?,
                (None, Some(value)) => value.clone(),
                (None, None) => {
                    return Err(VisError(format!(
                        "argument '{}' of {}() has neither variable nor value",
                        arg.name, func.name
                    )));
                }
            };
            if args.insert(arg.name.clone(), value).is_some() {
                return Err(VisError(format!(
                    "argument '{}' of {}() given twice",
                    arg.name, func.name
                )));
            }
        }
        Ok(FuncCall {
            name: func.name.clone(),
            args,
            output: output.to_string(),
        })
    }

    fn variable_value(&self, name: &str, overrides: &BTreeMap<String, String>) -> Result<String, VisError> {
        let var = self.variables.iter().find(|v| v.name == name);
        let var = var.ok_or_else(|| VisError(format!("unknown variable '{name}'")))?;
        let value = overrides.get(name).or(var.default_value.as_ref());
        let value = value.ok_or_else(|| VisError(format!("variable '{name}' has no value and no default")))?;
        if !var.valid_values.is_empty() && !var.valid_values.contains(value) {
            let allowed = var.valid_values.join(", ");
            return Err(VisError(format!(
                "variable '{name}' must be one of [{allowed}], got '{value}'"
            )));
        }
        Ok(value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"{
      "variables": [
        {"name": "start_time", "type": "PX_STRING", "defaultValue": "-5m"},
        {"name": "namespace", "type": "PX_NAMESPACE", "description": "ns"},
        {"name": "mode", "type": "PX_STRING", "defaultValue": "a", "validValues": ["a", "b"]}
      ],
      "globalFuncs": [
        {"outputName": "stats", "func": {"name": "stats", "args": [{"name": "start_time", "variable": "start_time"}]}}
      ],
      "widgets": [
        {"name": "Latency", "position": {"x": 0, "y": 0, "w": 6, "h": 3},
         "globalFuncOutputName": "stats",
         "displaySpec": {"@type": "types.px.dev/px.vispb.TimeseriesChart"}},
        {"name": "Table", "func": {"name": "table", "args": [
            {"name": "start_time", "variable": "start_time"},
            {"name": "limit", "value": "10"}]},
         "displaySpec": {"@type": "types.px.dev/px.vispb.Table"}},
        {"name": "Table", "func": {"name": "table", "args": [
            {"name": "start_time", "variable": "start_time"},
            {"name": "limit", "value": "10"}]}},
        {"func": {"name": "by_mode", "args": [{"name": "m", "variable": "mode"}]}}
      ]
    }"#;

    fn args(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn calls_from_defaults_deduplicated() -> Result<(), VisError> {
        let spec = VisSpec::parse(SPEC)?;
        assert_eq!(spec.widgets[0].position.map(|p| p.w), Some(6));
        let calls = spec.func_calls(&BTreeMap::new())?;
        let expected = vec![
            FuncCall {
                name: "stats".into(),
                args: args(&[("start_time", "-5m")]),
                output: "stats".into(),
            },
            FuncCall {
                name: "table".into(),
                args: args(&[("limit", "10"), ("start_time", "-5m")]),
                output: "Table".into(),
            },
            FuncCall {
                name: "by_mode".into(),
                args: args(&[("m", "a")]),
                output: "widget_3".into(),
            },
        ];
        assert_eq!(calls, expected);
        Ok(())
    }

    #[test]
    fn overrides_replace_defaults() -> Result<(), VisError> {
        let spec = VisSpec::parse(SPEC)?;
        let calls = spec.func_calls(&args(&[("start_time", "-1h"), ("mode", "b")]))?;
        assert_eq!(calls[0].args["start_time"], "-1h");
        assert_eq!(calls[2].args["m"], "b");
        Ok(())
    }

    #[test]
    fn errors() -> Result<(), VisError> {
        let spec = VisSpec::parse(SPEC)?;
        let err = spec.func_calls(&args(&[("nope", "1")])).err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("vis spec: unknown variable 'nope'")
        );
        let err = spec.func_calls(&args(&[("mode", "c")])).err();
        assert_eq!(
            err.map(|e| e.0).as_deref(),
            Some("variable 'mode' must be one of [a, b], got 'c'")
        );
        let no_default = r#"{"variables": [{"name": "ns"}], "widgets": [{"name": "w", "func": {"name": "f", "args": [{"name": "ns", "variable": "ns"}]}}]}"#;
        let err = VisSpec::parse(no_default)?.func_calls(&BTreeMap::new()).err();
        assert_eq!(
            err.map(|e| e.0).as_deref(),
            Some("variable 'ns' has no value and no default")
        );
        assert!(VisSpec::parse("{").is_err());
        Ok(())
    }

    #[test]
    fn snake_case_is_accepted() -> Result<(), VisError> {
        let spec = VisSpec::parse(r#"{"global_funcs": [{"output_name": "o", "func": {"name": "f"}}]}"#)?;
        assert_eq!(spec.func_calls(&BTreeMap::new())?[0].output, "o");
        Ok(())
    }
}
