//! `upid_to_cmdline` for the synthetic UPIDs: what `/proc` would answer on a host running those services.
//!
//! The engine's own `upid_to_cmdline` reads `/proc` and caches the answer per UPID; the synthetic UPIDs
//! have no processes behind them, so the benchmark registers this stand-in under the same name. It goes
//! through the same [`seer_meta::UpidFn`] per-row machinery and answers from a map (like the real
//! function's cache hit, minus its mutex).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use datafusion::logical_expr::ScalarUDF;
use seer_meta::UpidFn;
use seer_types::Upid;

use crate::generate::{PROCS_PER_SERVICE, SERVICES, cmdline, upid};

static CMDLINES: LazyLock<HashMap<Upid, String>> = LazyLock::new(|| {
    (0..SERVICES * PROCS_PER_SERVICE)
        .map(|i| (upid(i), cmdline(i)))
        .collect()
});

fn lookup(u: Upid) -> String {
    CMDLINES.get(&u).cloned().unwrap_or_default()
}

/// The stand-in `upid_to_cmdline`.
pub fn cmdline_udf() -> Arc<ScalarUDF> {
    UpidFn::utf8("upid_to_cmdline", lookup).udf()
}
