//! Per-table counters.

/// Counters of one table (cumulative since start, plus what it holds now).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableStats {
    /// Table name.
    pub name: &'static str,
    /// Rows accepted.
    pub rows_appended: u64,
    /// Bytes accepted (logical Arrow size of the appended batches).
    pub bytes_appended: u64,
    /// Rows evicted to stay within the budget.
    pub rows_evicted: u64,
    /// Bytes evicted to stay within the budget.
    pub bytes_evicted: u64,
    /// Batches refused (schema mismatch or larger than the budget).
    pub batches_refused: u64,
    /// Rows refused.
    pub rows_refused: u64,
    /// Rows held now.
    pub rows_held: u64,
    /// Bytes held now (sealed + pending).
    pub bytes_held: u64,
    /// Batches held now (sealed + pending).
    pub batches_held: u64,
    /// Byte budget.
    pub budget_bytes: u64,
    /// Time of the oldest row held (ns), if any.
    pub min_time_ns: Option<i64>,
    /// Time of the newest row held (ns), if any.
    pub max_time_ns: Option<i64>,
    /// Time of the newest row evicted (ns): queries starting before it miss data.
    pub evicted_until_ns: Option<i64>,
}
