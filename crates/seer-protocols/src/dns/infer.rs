//! Recognising DNS on a connection's first bytes, over UDP (the chunk is one whole message) or TCP
//! (the chunk is one or more whole messages, each behind a 2-byte big-endian length).
//!
//! Stricter than Pixie's BPF rule (12–512 bytes, Z = 0, opcode 0, 1–10 questions, ≤ 25 records):
//! besides those header checks the whole chunk must decode as DNS, every name and record included,
//! with no byte left over, which random binary essentially never does. Header rules: opcode 0
//! (QUERY), Z = 0, 1–4 questions with a non-zero type and a known class (IN, CH, HS, NONE, ANY;
//! the mDNS top bit ignored); a query has rcode 0, no answer or authority records and at most 2
//! additional ones (EDNS OPT, TSIG); a response has a defined rcode (0–10) and at most 512 records.

use super::wire::{self, Message};
use crate::types::MessageKind;

/// Most records a response may hold to be recognised.
const MAX_RECORDS: u32 = 512;

/// Splits `data` into length-prefixed messages if it is exactly a sequence of them (at least one).
pub(crate) fn tcp_frames(data: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (len, tail) = rest.split_first_chunk::<2>()?;
        let len = usize::from(u16::from_be_bytes(*len));
        if len < wire::HEADER_LEN {
            return None;
        }
        out.push(tail.get(..len)?);
        rest = tail.get(len..)?;
    }
    (!out.is_empty()).then_some(out)
}

/// `true` when a decoded message passes the header sanity rules of the module docs.
pub(crate) fn plausible(m: &Message) -> bool {
    let h = &m.header;
    if h.opcode() != 0 || h.z() != 0 || !(1..=4).contains(&h.qdcount) {
        return false;
    }
    let questions_ok = m
        .questions
        .iter()
        .all(|q| q.qtype != 0 && matches!(q.qclass & 0x7FFF, 1 | 3 | 4 | 254 | 255));
    if !questions_ok {
        return false;
    }
    if h.is_response() {
        h.rcode() <= 10 && h.record_count() <= MAX_RECORDS
    } else {
        h.rcode() == 0 && h.ancount == 0 && h.nscount == 0 && h.arcount <= 2
    }
}

fn kind_of(m: &Message) -> MessageKind {
    if m.header.is_response() {
        MessageKind::Response
    } else {
        MessageKind::Request
    }
}

/// Protocol inference: the kind of the (first) message, if `data` is DNS.
pub(crate) fn infer(data: &[u8]) -> Option<MessageKind> {
    if data.len() < wire::HEADER_LEN {
        return None;
    }
    if let Ok(m) = wire::decode(data)
        && plausible(&m)
    {
        return Some(kind_of(&m));
    }
    let frames = tcp_frames(data)?;
    let mut first = None;
    for f in frames {
        let m = wire::decode(f).ok().filter(plausible)?;
        first.get_or_insert(kind_of(&m));
    }
    first
}
