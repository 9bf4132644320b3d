//! How the store's total byte budget is split between tables.

use seer_types::TableDef;

/// Store configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreConfig {
    /// Total bytes all tables may hold (default 1 GiB).
    pub total_budget_bytes: u64,
    /// Share of the total given to `http_events`, in percent (default 40).
    pub http_events_percent: u8,
    /// Rows accumulated before a table seals its pending writes into one batch (default 8192).
    pub seal_rows: usize,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            total_budget_bytes: 1 << 30,
            http_events_percent: 40,
            seal_rows: 8192,
        }
    }
}

impl StoreConfig {
    /// Per-table budgets, in the order of `defs`: `http_events` gets its percentage of the total (when
    /// present), every other table an equal share of the rest.
    pub fn budgets(&self, defs: &[TableDef]) -> Vec<usize> {
        let total = self.total_budget_bytes;
        let has_http = defs.iter().any(|d| d.name == "http_events");
        let http = if has_http {
            total * u64::from(self.http_events_percent.min(100)) / 100
        } else {
            0
        };
        let others = defs.len() - usize::from(has_http);
        let share = if others == 0 { 0 } else { (total - http) / others as u64 };
        defs.iter()
            .map(|d| if d.name == "http_events" { http } else { share })
            .map(|b| usize::try_from(b).unwrap_or(usize::MAX))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_events_gets_its_share_and_others_split_the_rest() {
        let cfg = StoreConfig {
            total_budget_bytes: 1000,
            ..StoreConfig::default()
        };
        let defs = seer_types::tables::all();
        let budgets = cfg.budgets(defs);
        let http = defs.iter().position(|d| d.name == "http_events").expect("http_events");
        assert_eq!(budgets[http], 400);
        let per = 600 / (defs.len() as usize - 1);
        assert!(budgets.iter().enumerate().all(|(i, b)| i == http || *b == per));
        assert!(budgets.iter().sum::<usize>() <= 1000);
    }

    #[test]
    fn without_http_events_all_share_equally() {
        let cfg = StoreConfig {
            total_budget_bytes: 900,
            ..StoreConfig::default()
        };
        let defs = [seer_types::tables::PROCESS_STATS, seer_types::tables::NETWORK_STATS];
        assert_eq!(cfg.budgets(&defs), vec![450, 450]);
    }
}
