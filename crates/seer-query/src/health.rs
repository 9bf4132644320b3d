//! Data-health warnings: did the queried window lose rows to the byte budget or to refusals?

use seer_store::{ScanRecord, Store};

/// A table whose queried window may be incomplete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataWarning {
    /// Table name.
    pub table: String,
    /// Human-readable explanation.
    pub message: String,
    /// Rows evicted from the table so far.
    pub rows_evicted: u64,
    /// Rows refused or dropped before storage so far.
    pub rows_dropped: u64,
}

/// Warnings for the tables the query scanned.
pub(crate) fn warnings(store: &Store, scans: &[ScanRecord]) -> Vec<DataWarning> {
    let mut out: Vec<DataWarning> = Vec::new();
    for scan in scans {
        if out.iter().any(|w| w.table == scan.table) {
            continue;
        }
        let Some(table) = store.table(scan.table) else { continue };
        let s = table.stats();
        let mut reasons = Vec::new();
        if let Some(evicted_until) = s.evicted_until_ns
            && scan.start_ns.is_none_or(|start| start <= evicted_until)
        {
            reasons.push(format!(
                "{} rows evicted by the {}-byte budget; rows older than {} ns are gone and the window starts before that",
                s.rows_evicted, s.budget_bytes, evicted_until
            ));
        }
        let lost = table.upstream_drops_between(scan.start_ns, scan.end_ns);
        if lost > 0 {
            reasons.push(format!(
                "{lost} rows or events were dropped by collectors within the queried window (e.g. the BPF ring buffer was full); results are incomplete"
            ));
        }
        if s.rows_refused > 0 {
            reasons.push(format!("{} rows were refused before storage", s.rows_refused));
        }
        if !reasons.is_empty() {
            out.push(DataWarning {
                table: scan.table.to_string(),
                message: reasons.join("; "),
                rows_evicted: s.rows_evicted,
                rows_dropped: s.rows_refused + lost,
            });
        }
    }
    out
}
