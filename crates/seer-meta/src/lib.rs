//! Seer's metadata: facts about the process behind a UPID (pid, asid, command line, host name),
//! exposed as DataFusion scalar functions that PxL calls as `px.upid_to_pid(df.upid)`,
//! `df.ctx['cmdline']` and so on.
//!
//! On a host without Kubernetes the facts come from `/proc` (command lines are read once per UPID and
//! cached; a UPID whose process has exited, or whose pid was reused, maps to an empty string). Pod,
//! service and namespace lookups come with the Kubernetes issue.

mod process;
mod upid_fn;

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

pub use upid_fn::UpidFn;

/// Every metadata function, one line each.
pub fn udfs() -> Vec<Arc<ScalarUDF>> {
    vec![
        UpidFn::int64("upid_to_pid", |u| i64::from(u.pid)).udf(),
        UpidFn::int64("upid_to_asid", |u| i64::from(u.asid)).udf(),
        UpidFn::int64("upid_to_start_ts", |u| i64::try_from(u.start_ticks).unwrap_or(i64::MAX)).udf(),
        UpidFn::utf8("upid_to_string", |u| u.to_string()).udf(),
        UpidFn::utf8("upid_to_cmdline", process::cmdline).udf(),
        UpidFn::utf8("upid_to_hostname", |_| process::hostname()).udf(),
    ]
}
