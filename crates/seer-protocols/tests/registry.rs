//! Every registered protocol has a table in the catalogue, golden fixtures, a fuzz target and a
//! seed corpus, and a writer that produces the table's exact schema.

use std::collections::HashSet;
use std::path::Path;

use seer_protocols::{TrafficProtocol, registry};

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .expect("repo root")
}

#[test]
fn every_protocol_is_complete() {
    let protocols = registry();
    assert!(!protocols.is_empty());
    let fuzz_manifest = std::fs::read_to_string(repo_root().join("fuzz/Cargo.toml")).expect("fuzz/Cargo.toml");
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for p in &protocols {
        let name = p.name();
        assert!(ids.insert(p.id()), "{name}: duplicate id");
        assert!(names.insert(name), "{name}: duplicate name");
        assert_ne!(p.id(), TrafficProtocol::Unknown);
        assert_eq!(seer_protocols::by_id(p.id()).map(|q| q.name()), Some(name));

        let table = p.table();
        assert_eq!(
            seer_types::tables::get(table.name).map(|t| t.name),
            Some(table.name),
            "{name}: table not in catalogue"
        );
        let batch = p.new_writer().finish().expect("empty batch");
        assert_eq!(batch.schema(), table.arrow_schema(), "{name}: writer schema");

        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        let cases = std::fs::read_dir(&fixtures).map(|d| d.count()).unwrap_or(0);
        assert!(cases > 0, "{name}: no fixtures in {}", fixtures.display());

        let target = repo_root().join("fuzz/fuzz_targets").join(format!("{name}.rs"));
        assert!(target.is_file(), "{name}: no fuzz target {}", target.display());
        assert!(
            fuzz_manifest.contains(&format!("name = \"{name}\"")),
            "{name}: not a [[bin]] in fuzz/Cargo.toml"
        );
        let corpus = repo_root().join("fuzz/corpus").join(name);
        let seeds = std::fs::read_dir(&corpus).map(|d| d.count()).unwrap_or(0);
        assert!(seeds > 0, "{name}: empty seed corpus {}", corpus.display());
    }
}

#[test]
fn protocol_numbers_are_pixies() {
    let expected = [
        (0, "Unknown"),
        (1, "HTTP"),
        (2, "HTTP2"),
        (3, "MySQL"),
        (4, "CQL"),
        (5, "PGSQL"),
        (6, "DNS"),
        (7, "Redis"),
        (8, "NATS"),
        (9, "Mongo"),
        (10, "Kafka"),
        (11, "Mux"),
        (12, "AMQP"),
        (13, "TLS"),
    ];
    for (n, name) in expected {
        let p = TrafficProtocol::from_i64(n).expect("known number");
        assert_eq!((p.as_i64(), p.name()), (n, name));
    }
    assert_eq!(TrafficProtocol::from_i64(14), None);
}

#[test]
fn inference_goes_through_the_registry() {
    let (p, kind) = seer_protocols::infer(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").expect("http");
    assert_eq!(
        (p.id(), kind),
        (TrafficProtocol::Http, seer_protocols::MessageKind::Request)
    );
    assert!(seer_protocols::infer(b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03").is_none());
}
