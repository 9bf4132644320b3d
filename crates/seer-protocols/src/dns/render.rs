//! The JSON strings of the `dns_events` columns.
//!
//! Shapes follow Pixie so its scripts work unchanged:
//! - header: `{"txid","qr","opcode","aa","tc","rd","ra","ad","cd","rcode","num_queries",
//!   "num_answers","num_auth","num_addl"}` (numbers, in this order);
//! - request body: `{"queries":[{"name":…,"type":…}]}`;
//! - response body: `{"answers":[…]}` where A/AAAA answers are `{"name","type","addr"}` and CNAME
//!   answers `{"name","type":"CNAME","cname"}`.
//!
//! Pixie stops there (it only understands A, AAAA and CNAME). Seer adds, without changing those
//! shapes: every other record type with its own fields (`ns`, `ptr`, `preference`+`exchange`,
//! `priority`+`weight`+`port`+`target`, `txt`, the SOA fields), unknown types as
//! `{"name","type":"TYPE<n>","rdata":"<hex>"}`, a `"class"` member when it is not IN, and the
//! authority and additional sections as `"authority"` / `"additional"` arrays when they hold records
//! (the EDNS OPT pseudo-record is not shown; it is still counted in `num_addl`). A body longer than
//! the configured limit keeps the records that fit and says how many it left out
//! (`"omitted":<n>`), so the column always parses as JSON.

use super::wire::{Header, Message, Question, RData, Record};
use crate::ordered_json::{Object, raw_array, string_array};

/// The mnemonic of a TYPE/QTYPE value (`TYPE<n>` for unassigned or rare ones, RFC 3597).
pub fn type_name(t: u16) -> String {
    let known = match t {
        1 => "A",
        2 => "NS",
        5 => "CNAME",
        6 => "SOA",
        12 => "PTR",
        13 => "HINFO",
        15 => "MX",
        16 => "TXT",
        28 => "AAAA",
        33 => "SRV",
        35 => "NAPTR",
        39 => "DNAME",
        41 => "OPT",
        43 => "DS",
        46 => "RRSIG",
        47 => "NSEC",
        48 => "DNSKEY",
        50 => "NSEC3",
        52 => "TLSA",
        64 => "SVCB",
        65 => "HTTPS",
        99 => "SPF",
        251 => "IXFR",
        252 => "AXFR",
        255 => "ANY",
        257 => "CAA",
        _ => return format!("TYPE{t}"),
    };
    known.to_string()
}

/// The mnemonic of a CLASS value.
fn class_name(c: u16) -> String {
    match c {
        1 => "IN".to_string(),
        3 => "CH".to_string(),
        4 => "HS".to_string(),
        254 => "NONE".to_string(),
        255 => "ANY".to_string(),
        _ => format!("CLASS{c}"),
    }
}

/// The header object.
pub fn header_json(h: &Header) -> String {
    Object::new()
        .num("txid", h.txid)
        .num("qr", h.field(15, 1))
        .num("opcode", h.opcode())
        .num("aa", h.field(10, 1))
        .num("tc", h.field(9, 1))
        .num("rd", h.field(8, 1))
        .num("ra", h.field(7, 1))
        .num("ad", h.field(5, 1))
        .num("cd", h.field(4, 1))
        .num("rcode", h.rcode())
        .num("num_queries", h.qdcount)
        .num("num_answers", h.ancount)
        .num("num_auth", h.nscount)
        .num("num_addl", h.arcount)
        .finish()
}

fn with_class(o: Object, class: u16) -> Object {
    // mDNS sets the top bit ("unicast response" / "cache flush"); the class is the rest.
    match class & 0x7FFF {
        1 => o,
        c => o.str("class", &class_name(c)),
    }
}

fn question_json(q: &Question) -> String {
    let o = Object::new().str("name", &q.name).str("type", &type_name(q.qtype));
    with_class(o, q.qclass).finish()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One record as an object; `None` for the OPT pseudo-record.
fn record_json(r: &Record) -> Option<String> {
    let o = Object::new().str("name", &r.name).str("type", &type_name(r.rtype));
    let o = match &r.data {
        RData::A(a) => o.str("addr", &a.to_string()),
        RData::Aaaa(a) => o.str("addr", &a.to_string()),
        RData::Cname(n) => o.str("cname", n),
        RData::Ns(n) => o.str("ns", n),
        RData::Ptr(n) => o.str("ptr", n),
        RData::Mx { preference, exchange } => o.num("preference", *preference).str("exchange", exchange),
        RData::Srv {
            priority,
            weight,
            port,
            target,
        } => o
            .num("priority", *priority)
            .num("weight", *weight)
            .num("port", *port)
            .str("target", target),
        RData::Txt(parts) => o.raw("txt", &string_array(parts)),
        RData::Soa {
            mname,
            rname,
            serial,
            refresh,
            retry,
            expire,
            minimum,
        } => o
            .str("mname", mname)
            .str("rname", rname)
            .num("serial", *serial)
            .num("refresh", *refresh)
            .num("retry", *retry)
            .num("expire", *expire)
            .num("minimum", *minimum),
        RData::Opt(_) => return None,
        RData::Unknown(raw) => o.str("rdata", &hex(raw)),
    };
    Some(with_class(o, r.class).finish())
}

/// Adds `items` as array `key` while the text stays within `budget`; returns how many were left out.
fn push_section(o: Object, key: &str, items: Vec<String>, used: &mut usize, budget: usize) -> (Object, usize) {
    let mut kept = Vec::new();
    let mut omitted = 0;
    for item in items {
        if omitted == 0 && *used + item.len() < budget {
            *used += item.len() + 1;
            kept.push(item);
        } else {
            omitted += 1;
        }
    }
    (o.raw(key, &raw_array(&kept)), omitted)
}

/// Room kept for the closing members (`"omitted":n}`) so the result stays under the limit.
const RESERVE: usize = 32;

/// The request body: `{"queries":[…]}`.
pub fn request_body(m: &Message, max_bytes: usize) -> String {
    let items: Vec<String> = m.questions.iter().map(question_json).collect();
    let budget = max_bytes.max(2 * RESERVE) - RESERVE;
    let mut used = 16;
    let (o, omitted) = push_section(Object::new(), "queries", items, &mut used, budget);
    finish_with_omitted(o, omitted)
}

/// The response body: `{"answers":[…]}` plus non-empty `"authority"` / `"additional"` arrays.
pub fn response_body(m: &Message, max_bytes: usize) -> String {
    let budget = max_bytes.max(2 * RESERVE) - RESERVE;
    let mut used = 16;
    let mut omitted = 0;
    let answers: Vec<String> = m.answers.iter().filter_map(record_json).collect();
    let (mut o, n) = push_section(Object::new(), "answers", answers, &mut used, budget);
    omitted += n;
    for (key, section) in [("authority", &m.authority), ("additional", &m.additional)] {
        let items: Vec<String> = section.iter().filter_map(record_json).collect();
        if !items.is_empty() {
            used += key.len() + 4;
            let (next, n) = push_section(o, key, items, &mut used, budget);
            o = next;
            omitted += n;
        }
    }
    finish_with_omitted(o, omitted)
}

fn finish_with_omitted(o: Object, omitted: usize) -> String {
    match omitted {
        0 => o.finish(),
        n => o.raw("omitted", &n.to_string()).finish(),
    }
}
