//! `px.DataFrame(table, select=[...], start_time=None, end_time=None)`.

use crate::args::CallArgs;
use crate::error::{DResult, Diag, ErrorKind};
use crate::frame::DataFrame;
use crate::interp::Interp;
use crate::px::time;
use crate::value::Value;

const FUNC: &str = "px.DataFrame";

pub(super) fn new(interp: &mut Interp, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    let mut b = args.bind(FUNC, &["table", "select", "start_time", "end_time"], &["table"])?;
    let table_arg = b.req("table")?;
    let table = table_arg.str(FUNC, "table")?;
    let source = interp
        .catalog()
        .table(&table)
        .ok_or_else(|| Diag::new(ErrorKind::Table, table_arg.range, format!("table '{table}' not found")))?;
    let mut df = DataFrame::scan(&table, source, table_arg.range)?;
    let now = interp.now_ns();
    let start = b.take("start_time");
    let end = b.take("end_time");
    let start_ns = start
        .as_ref()
        .map(|a| time::resolve(a, now, "start_time"))
        .transpose()?
        .flatten();
    let end_ns = end
        .as_ref()
        .map(|a| time::resolve(a, now, "end_time"))
        .transpose()?
        .flatten();
    if start_ns.is_some() || end_ns.is_some() {
        let at = start.as_ref().or(end.as_ref()).map_or(range, |a| a.range);
        df = df.time_bounds(start_ns, end_ns, at)?;
    }
    if let Some(select) = b.take("select") {
        let names = select.names(FUNC, "select")?;
        if !names.is_empty() {
            df = df.select(&names, select.range)?;
        }
    }
    Ok(Value::DataFrame(df))
}
