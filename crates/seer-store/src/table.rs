//! One table: pending writes, sealed batches, the byte budget and its counters.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use seer_types::{SinkError, TableDef};

use crate::encode::{check_logical, time_bounds, to_storage};
use crate::prune::TimeRange;
use crate::stats::TableStats;

/// A batch the table holds, with its time bounds and size.
#[derive(Debug, Clone)]
pub struct Chunk {
    /// Rows, in the storage schema once sealed, in the logical schema while pending.
    pub batch: RecordBatch,
    /// Smallest and largest `time_` (ns), if the table has a time column.
    pub time: Option<(i64, i64)>,
    /// Bytes counted against the budget.
    pub bytes: usize,
}

impl Chunk {
    fn new(batch: RecordBatch, time_idx: Option<usize>) -> Self {
        let time = time_bounds(&batch, time_idx);
        let bytes = batch.get_array_memory_size();
        Self { batch, time, bytes }
    }

    fn overlaps(&self, range: &TimeRange) -> bool {
        self.time.is_none_or(|(min, max)| range.overlaps(min, max))
    }
}

#[derive(Debug, Default)]
struct State {
    sealed: VecDeque<Arc<Chunk>>,
    /// Batches being sealed outside the lock; still visible to readers.
    sealing: Vec<(u64, Arc<[Arc<Chunk>]>)>,
    pending: Vec<Arc<Chunk>>,
    pending_rows: usize,
    pending_since_ns: Option<i64>,
    next_seal_id: u64,
    bytes_held: usize,
    stats: TableStats,
}

/// A time-ordered, byte-budgeted ring of Arrow batches.
#[derive(Debug)]
pub struct Table {
    def: TableDef,
    logical: SchemaRef,
    storage: SchemaRef,
    time_idx: Option<usize>,
    budget: usize,
    seal_rows: usize,
    state: Mutex<State>,
    drops: Mutex<crate::DropLog>,
}

/// A point-in-time view of a table's batches that overlap a time range.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Batches in the storage schema, oldest first.
    pub batches: Vec<RecordBatch>,
    /// Rows in `batches`.
    pub rows: usize,
    /// Bytes of `batches` (as held in memory).
    pub bytes: usize,
    /// Batches skipped because of their time bounds.
    pub pruned: usize,
}

impl Table {
    /// Creates an empty table with a byte budget, sealing every `seal_rows` rows.
    pub fn new(def: TableDef, budget: usize, seal_rows: usize) -> Self {
        let mut state = State::default();
        state.stats.name = def.name;
        state.stats.budget_bytes = budget as u64;
        Self {
            logical: def.arrow_schema(),
            storage: def.storage_schema(),
            time_idx: def.time_index(),
            def,
            budget,
            seal_rows: seal_rows.max(1),
            state: Mutex::new(state),
            drops: Mutex::new(crate::DropLog::default()),
        }
    }

    /// Records `count` rows lost upstream (by a collector) at `ts_ns`.
    pub fn record_upstream_drops(&self, ts_ns: i64, count: u64) {
        self.drops
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .record(ts_ns, count);
    }

    /// Rows lost upstream within `[start_ns, end_ns]` (open bounds when `None`).
    pub fn upstream_drops_between(&self, start_ns: Option<i64>, end_ns: Option<i64>) -> u64 {
        self.drops
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .between(start_ns, end_ns)
    }

    /// The table's definition.
    pub fn def(&self) -> &TableDef {
        &self.def
    }

    /// The schema readers see (storage schema: dictionary-encoded low-cardinality strings).
    pub fn schema(&self) -> SchemaRef {
        self.storage.clone()
    }

    /// Byte budget.
    pub fn budget(&self) -> usize {
        self.budget
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-updated in a way that matters more
        // than losing the table, so recover the guard.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends rows in the logical schema. Refused batches are counted and returned as errors.
    pub fn append(&self, batch: RecordBatch) -> Result<(), SinkError> {
        if batch.num_rows() == 0 {
            return Ok(());
        }
        let chunk = Arc::new(Chunk::new(batch, self.time_idx));
        if let Err(reason) = check_logical(&chunk.batch, &self.logical) {
            self.refuse(chunk.batch.num_rows());
            return Err(SinkError::SchemaMismatch {
                table: self.def.name.to_string(),
                reason,
            });
        }
        if chunk.bytes > self.budget {
            self.refuse(chunk.batch.num_rows());
            return Err(SinkError::TooLarge {
                table: self.def.name.to_string(),
                bytes: chunk.bytes,
                budget: self.budget,
            });
        }
        let to_seal = {
            let mut st = self.lock();
            st.stats.rows_appended += chunk.batch.num_rows() as u64;
            st.stats.bytes_appended += chunk.bytes as u64;
            st.pending_rows += chunk.batch.num_rows();
            st.bytes_held += chunk.bytes;
            if st.pending_since_ns.is_none() {
                st.pending_since_ns = chunk.time.map(|(min, _)| min);
            }
            st.pending.push(chunk);
            self.evict(&mut st);
            if st.pending_rows >= self.seal_rows {
                Some(self.take_pending(&mut st))
            } else {
                None
            }
        };
        if let Some((id, chunks)) = to_seal {
            self.seal(id, chunks);
        }
        Ok(())
    }

    /// Seals pending rows if the oldest of them is older than `max_age_ns`.
    pub fn seal_if_older(&self, now_ns: i64, max_age_ns: i64) {
        let to_seal = {
            let mut st = self.lock();
            let old = st
                .pending_since_ns
                .is_some_and(|t| now_ns.saturating_sub(t) >= max_age_ns);
            if old && !st.pending.is_empty() {
                Some(self.take_pending(&mut st))
            } else {
                None
            }
        };
        if let Some((id, chunks)) = to_seal {
            self.seal(id, chunks);
        }
    }

    fn refuse(&self, rows: usize) {
        let mut st = self.lock();
        st.stats.batches_refused += 1;
        st.stats.rows_refused += rows as u64;
    }

    fn take_pending(&self, st: &mut State) -> (u64, Arc<[Arc<Chunk>]>) {
        let chunks: Arc<[Arc<Chunk>]> = std::mem::take(&mut st.pending).into();
        st.pending_rows = 0;
        st.pending_since_ns = None;
        st.next_seal_id += 1;
        let id = st.next_seal_id;
        st.sealing.push((id, chunks.clone()));
        (id, chunks)
    }

    /// Encodes `chunks` into one storage batch outside the lock, then swaps it in.
    fn seal(&self, id: u64, chunks: Arc<[Arc<Chunk>]>) {
        let batches: Vec<RecordBatch> = chunks.iter().map(|c| c.batch.clone()).collect();
        let sealed = to_storage(&batches, &self.logical, &self.storage);
        let mut st = self.lock();
        let Some(pos) = st.sealing.iter().position(|(i, _)| *i == id) else {
            return;
        };
        let (_, chunks) = st.sealing.remove(pos);
        let old_bytes: usize = chunks.iter().map(|c| c.bytes).sum();
        match sealed {
            Ok(batch) => {
                let chunk = Arc::new(Chunk::new(batch, self.time_idx));
                st.bytes_held = st.bytes_held - old_bytes + chunk.bytes;
                st.sealed.push_back(chunk);
            }
            Err(e) => {
                // Unreachable for batches that passed `check_logical`; keep the rows unencoded rather
                // than lose them.
                tracing::warn!(table = self.def.name, error = %e, "sealing failed; keeping rows unencoded");
                st.sealed.extend(chunks.iter().map(|c| Arc::new(self.storage_chunk(c))));
            }
        }
        self.evict(&mut st);
    }

    fn storage_chunk(&self, c: &Chunk) -> Chunk {
        match to_storage(std::slice::from_ref(&c.batch), &self.logical, &self.storage) {
            Ok(batch) => Chunk {
                batch,
                time: c.time,
                bytes: c.bytes,
            },
            Err(_) => c.clone(),
        }
    }

    /// Evicts oldest sealed batches (then oldest pending ones) until the table fits its budget.
    fn evict(&self, st: &mut State) {
        while st.bytes_held > self.budget {
            let victim = match st.sealed.pop_front() {
                Some(c) => c,
                None if !st.pending.is_empty() => {
                    let c = st.pending.remove(0);
                    st.pending_rows -= c.batch.num_rows();
                    c
                }
                None => break,
            };
            st.bytes_held -= victim.bytes;
            st.stats.rows_evicted += victim.batch.num_rows() as u64;
            st.stats.bytes_evicted += victim.bytes as u64;
            if let Some((_, max)) = victim.time {
                st.stats.evicted_until_ns = Some(st.stats.evicted_until_ns.map_or(max, |t| t.max(max)));
            }
        }
    }

    /// Batches overlapping `range`, oldest first, in the storage schema.
    pub(crate) fn snapshot(&self, range: &TimeRange) -> Snapshot {
        let (sealed, in_flight, sealed_pruned) = {
            let st = self.lock();
            let sealed: Vec<Arc<Chunk>> = st.sealed.iter().filter(|c| c.overlaps(range)).cloned().collect();
            let sealed_pruned = st.sealed.len() - sealed.len();
            let mut in_flight: Vec<Arc<Chunk>> = st.sealing.iter().flat_map(|(_, c)| c.iter().cloned()).collect();
            in_flight.extend(st.pending.iter().cloned());
            (sealed, in_flight, sealed_pruned)
        };
        let mut snap = Snapshot::default();
        let mut take = |batch: RecordBatch, bytes: usize| {
            snap.rows += batch.num_rows();
            snap.bytes += bytes;
            snap.batches.push(batch);
        };
        for c in &sealed {
            take(c.batch.clone(), c.bytes);
        }
        let (keep, skip): (Vec<_>, Vec<_>) = in_flight.into_iter().partition(|c| c.overlaps(range));
        for c in keep {
            let sc = self.storage_chunk(&c);
            take(sc.batch, c.bytes);
        }
        snap.pruned = skip.len() + sealed_pruned;
        snap
    }

    /// All rows held now (for tests and tools).
    pub fn scan_all(&self) -> Vec<RecordBatch> {
        self.snapshot(&TimeRange::default()).batches
    }

    /// Current counters.
    pub fn stats(&self) -> TableStats {
        let st = self.lock();
        let mut s = st.stats.clone();
        let chunks = st
            .sealed
            .iter()
            .chain(st.sealing.iter().flat_map(|(_, c)| c.iter()))
            .chain(st.pending.iter());
        for c in chunks {
            s.rows_held += c.batch.num_rows() as u64;
            s.batches_held += 1;
            if let Some((min, max)) = c.time {
                s.min_time_ns = Some(s.min_time_ns.map_or(min, |t| t.min(min)));
                s.max_time_ns = Some(s.max_time_ns.map_or(max, |t| t.max(max)));
            }
        }
        s.bytes_held = st.bytes_held as u64;
        s
    }
}
