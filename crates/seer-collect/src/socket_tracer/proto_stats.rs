//! Per-protocol counters of the socket tracer and their `self_telemetry` rows.
//!
//! The tracer thread keeps one [`ProtocolStats`] per protocol of `seer_protocols::registry()`
//! ([`ProtocolTally`]): parser/stitcher counters of every session of that protocol (closed ones
//! folded in when they close, live ones added at each flush) and rows lost with dropped flushes.
//! The collector adds what the store accepted from each protocol's table ([`TableIntake`]) and
//! turns both into one `kind = 'protocol'` row per protocol ([`components`]):
//!
//! | column | meaning for a protocol |
//! |---|---|
//! | `rows_ingested`, `bytes_ingested` | rows (and their Arrow bytes) of the protocol's table the store accepted |
//! | `errors` | malformed frames: times a parser met bytes it could not parse and resynchronised |
//! | `rows_dropped` | messages that produced no row: unmatched requests and responses, rows lost to a full flush channel, to a wrong writer, or refused by the store |
//! | `bytes_evicted` | payload bytes the parser refused at its memory bounds (`max_buffer_bytes`, pending queue) |
//! | `bytes_held` | bytes buffered now by the live sessions of the protocol |
//!
//! `rows_evicted`, `rows_held` and `budget_bytes` are 0 (the table's own row has them).

use std::collections::BTreeMap;

use seer_protocols::{SessionStats, TrafficProtocol};

use crate::collector::CollectReport;
use crate::self_telemetry::ComponentCounters;

/// The `kind` of per-protocol `self_telemetry` rows.
pub const PROTOCOL_KIND: &str = "protocol";

/// Counters of one protocol since the tracer started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolStats {
    /// Pixie's protocol number.
    pub id: TrafficProtocol,
    /// Short lowercase name (`"http"`, `"redis"`, …), the `name` of its `self_telemetry` row.
    pub name: &'static str,
    /// The table its records go to.
    pub table: &'static str,
    /// Parser and stitcher counters summed over every session of this protocol (live and closed).
    pub sessions: SessionStats,
    /// Connections parsed with this protocol now.
    pub connections: usize,
    /// Bytes buffered by those sessions now.
    pub buffered_bytes: usize,
    /// Rows lost with batches the collector did not take in time (flush channel full).
    pub rows_lost: u64,
}

/// One [`ProtocolStats`] per registered protocol, in registry order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProtocolTally(Vec<ProtocolStats>);

impl ProtocolTally {
    /// Zeroed counters for every protocol of `seer_protocols::registry()`.
    pub fn new() -> Self {
        let all = seer_protocols::protocols().iter().map(|p| ProtocolStats {
            id: p.id(),
            name: p.name(),
            table: p.table().name,
            sessions: SessionStats::default(),
            connections: 0,
            buffered_bytes: 0,
            rows_lost: 0,
        });
        Self(all.collect())
    }

    fn get_mut(&mut self, id: TrafficProtocol) -> Option<&mut ProtocolStats> {
        self.0.iter_mut().find(|p| p.id == id)
    }

    /// Folds in the final counters of a closed session.
    pub fn add_closed(&mut self, id: TrafficProtocol, s: &SessionStats) {
        if let Some(p) = self.get_mut(id) {
            p.sessions.add(s);
        }
    }

    /// Adds a live session: its counters so far and the bytes it holds.
    pub fn add_live(&mut self, id: TrafficProtocol, s: &SessionStats, buffered: usize) {
        if let Some(p) = self.get_mut(id) {
            p.sessions.add(s);
            p.connections += 1;
            p.buffered_bytes += buffered;
        }
    }

    /// `rows` of `table` were lost (their batch was dropped).
    pub fn add_rows_lost(&mut self, table: &str, rows: u64) {
        if let Some(p) = self.0.iter_mut().find(|p| p.table == table) {
            p.rows_lost += rows;
        }
    }

    /// The per-protocol counters.
    pub fn into_vec(self) -> Vec<ProtocolStats> {
        self.0
    }
}

/// Counters summed over every protocol.
pub(crate) fn total(protocols: &[ProtocolStats]) -> SessionStats {
    let mut t = SessionStats::default();
    for p in protocols {
        t.add(&p.sessions);
    }
    t
}

/// What the store accepted (and refused) per table, summed over every sweep.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct TableIntake(BTreeMap<String, CollectReport>);

impl TableIntake {
    /// Adds the outcome of one append to `table`.
    pub fn add(&mut self, table: &str, r: &CollectReport) {
        self.0.entry(table.to_string()).or_default().merge(r);
    }

    fn get(&self, table: &str) -> CollectReport {
        self.0.get(table).cloned().unwrap_or_default()
    }
}

/// One `self_telemetry` row per protocol (mapping in the module docs).
pub(crate) fn components(protocols: &[ProtocolStats], intake: &TableIntake) -> Vec<ComponentCounters> {
    protocols
        .iter()
        .map(|p| {
            let stored = intake.get(p.table);
            let s = &p.sessions;
            ComponentCounters {
                kind: PROTOCOL_KIND,
                name: p.name.to_string(),
                rows_ingested: stored.rows,
                bytes_ingested: stored.bytes,
                rows_dropped: s.unmatched_requests
                    + s.unmatched_responses
                    + s.writer_errors
                    + p.rows_lost
                    + stored.dropped,
                errors: s.parse_errors,
                bytes_evicted: s.bytes_dropped,
                bytes_held: p.buffered_bytes as u64,
                ..Default::default()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use seer_protocols::{ConnMeta, Direction, ProtocolConfig, TraceRole};
    use seer_types::Upid;

    fn meta() -> ConnMeta {
        ConnMeta {
            upid: Upid::new(1, 42, 7),
            local_addr: "127.0.0.1".into(),
            local_port: 6379,
            remote_addr: "127.0.0.1".into(),
            remote_port: 50000,
            role: TraceRole::Server,
            encrypted: false,
        }
    }

    /// A real Redis session fed two valid commands with their replies, then a malformed frame.
    fn redis_session() -> (TrafficProtocol, SessionStats) {
        let proto = seer_protocols::by_id(TrafficProtocol::Redis).expect("redis is registered");
        let mut s = proto.new_session(TraceRole::Server, &ProtocolConfig::default());
        let mut w = proto.new_writer();
        s.feed(
            Direction::Ingress,
            seer_protocols::ChunkMeta::at(1),
            b"*1\r\n$4\r\nPING\r\n",
        );
        s.feed(Direction::Egress, seer_protocols::ChunkMeta::at(2), b"+PONG\r\n");
        s.feed(
            Direction::Ingress,
            seer_protocols::ChunkMeta::at(3),
            b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
        );
        s.feed(Direction::Egress, seer_protocols::ChunkMeta::at(4), b"$-1\r\n");
        s.feed(Direction::Ingress, seer_protocols::ChunkMeta::at(5), b"*1\r\nx\r\n");
        s.poll(&meta(), 10, w.as_mut());
        assert_eq!(w.len(), 2, "two rows");
        (proto.id(), s.stats())
    }

    #[test]
    fn a_malformed_frame_counts_for_its_protocol_only() {
        let (id, stats) = redis_session();
        assert!(stats.parse_errors >= 1, "{stats:?}");
        let mut t = ProtocolTally::new();
        t.add_closed(id, &stats);
        t.add_live(id, &stats, 10);
        let all = t.into_vec();
        let names: Vec<&str> = all.iter().map(|p| p.name).collect();
        let registered: Vec<&str> = seer_protocols::protocols().iter().map(|p| p.name()).collect();
        assert_eq!(names, registered);
        for p in &all {
            if p.id == id {
                assert_eq!(p.sessions.parse_errors, 2 * stats.parse_errors);
                assert_eq!((p.connections, p.buffered_bytes), (1, 10));
            } else {
                assert_eq!(p.sessions, SessionStats::default(), "{}", p.name);
                assert_eq!((p.connections, p.buffered_bytes), (0, 0));
            }
        }
        assert_eq!(total(&all).parse_errors, 2 * stats.parse_errors);
    }

    #[test]
    fn rows_map_to_documented_columns() {
        let mut t = ProtocolTally::new();
        let s = SessionStats {
            parse_errors: 3,
            unmatched_requests: 4,
            unmatched_responses: 5,
            writer_errors: 6,
            bytes_dropped: 700,
            records: 99,
            ..Default::default()
        };
        t.add_live(TrafficProtocol::Redis, &s, 80);
        t.add_rows_lost("redis_events", 7);
        t.add_rows_lost("no_such_table", 1000);
        let mut intake = TableIntake::default();
        let accepted = CollectReport {
            rows: 20,
            bytes: 2000,
            ..Default::default()
        };
        intake.add("redis_events", &accepted);
        intake.add(
            "redis_events",
            &CollectReport {
                dropped: 8,
                ..Default::default()
            },
        );
        intake.add("conn_stats", &accepted);
        let rows = components(&t.into_vec(), &intake);
        let redis = rows.iter().find(|c| c.name == "redis").expect("redis row");
        let want = ComponentCounters {
            kind: "protocol",
            name: "redis".into(),
            rows_ingested: 20,
            bytes_ingested: 2000,
            rows_dropped: 4 + 5 + 6 + 7 + 8,
            errors: 3,
            bytes_evicted: 700,
            bytes_held: 80,
            ..Default::default()
        };
        assert_eq!(*redis, want);
        for other in rows.iter().filter(|c| c.name != "redis") {
            assert_eq!(
                *other,
                ComponentCounters {
                    kind: "protocol",
                    name: other.name.clone(),
                    ..Default::default()
                }
            );
        }
    }
}
