//! The DNS message wire format (RFC 1035 §4, with AAAA from RFC 3596, SRV from RFC 2782 and the
//! EDNS OPT pseudo-record from RFC 6891): a strict, bounds-checked decoder of one whole message.
//!
//! Names follow compression pointers only backwards (every pointer must target an offset before
//! the label that holds it), which rules out loops by construction; the number of jumps and the
//! name length (255 bytes on the wire) are capped as well. Record data is decoded for the common
//! types and kept as raw bytes for the others. Any inconsistency (a count that runs past the end,
//! record data that does not match its length, bytes left over) is an error: a message decodes
//! completely or not at all.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Bytes in the fixed header.
pub(crate) const HEADER_LEN: usize = 12;
/// Longest name on the wire (RFC 1035 §2.3.4).
const MAX_NAME_WIRE: usize = 255;
/// Compression pointers followed per name.
const MAX_JUMPS: usize = 32;

/// Why a message did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum WireError {
    /// The message ends inside a field.
    #[error("message truncated")]
    Truncated,
    /// A label of a reserved type (`0x40`/`0x80` prefixes) or a bad compression pointer.
    #[error("bad label or compression pointer")]
    BadLabel,
    /// A name longer than 255 bytes or with too many pointer jumps.
    #[error("name too long")]
    NameTooLong,
    /// Record data inconsistent with its type or its declared length.
    #[error("bad record data")]
    BadRdata,
    /// Bytes left after the last record.
    #[error("trailing bytes after the last record")]
    Trailing,
}

/// The fixed 12-byte header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Header {
    /// Transaction id.
    pub txid: u16,
    /// QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE.
    pub flags: u16,
    /// Questions.
    pub qdcount: u16,
    /// Answer records.
    pub ancount: u16,
    /// Authority records.
    pub nscount: u16,
    /// Additional records.
    pub arcount: u16,
}

impl Header {
    /// Decodes the first 12 bytes of `data`.
    pub(crate) fn decode(data: &[u8]) -> Option<Self> {
        let be = |i: usize| -> Option<u16> { Some(u16::from_be_bytes([*data.get(i)?, *data.get(i + 1)?])) };
        Some(Self {
            txid: be(0)?,
            flags: be(2)?,
            qdcount: be(4)?,
            ancount: be(6)?,
            nscount: be(8)?,
            arcount: be(10)?,
        })
    }

    /// One flag field: `(flags >> pos) & mask`.
    pub fn field(&self, pos: u32, width: u32) -> u16 {
        (self.flags >> pos) & ((1u16 << width) - 1)
    }

    /// `true` for a response.
    pub fn is_response(&self) -> bool {
        self.field(15, 1) == 1
    }

    /// The opcode (0 = QUERY).
    pub fn opcode(&self) -> u16 {
        self.field(11, 4)
    }

    /// The reserved Z bit (must be zero).
    pub fn z(&self) -> u16 {
        self.field(6, 1)
    }

    /// The response code (0 NOERROR, 3 NXDOMAIN, …).
    pub fn rcode(&self) -> u16 {
        self.field(0, 4)
    }

    /// Records in the answer, authority and additional sections.
    pub fn record_count(&self) -> u32 {
        u32::from(self.ancount) + u32::from(self.nscount) + u32::from(self.arcount)
    }
}

/// One entry of the question section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Queried name (presentation form, no trailing dot; `.` for the root).
    pub name: String,
    /// QTYPE.
    pub qtype: u16,
    /// QCLASS.
    pub qclass: u16,
}

/// Decoded record data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RData {
    /// IPv4 address.
    A(Ipv4Addr),
    /// IPv6 address.
    Aaaa(Ipv6Addr),
    /// Canonical name.
    Cname(String),
    /// Name server.
    Ns(String),
    /// Pointer (reverse lookups).
    Ptr(String),
    /// Mail exchange.
    Mx {
        /// Preference (lower first).
        preference: u16,
        /// Exchange host.
        exchange: String,
    },
    /// Service location.
    Srv {
        /// Priority.
        priority: u16,
        /// Weight.
        weight: u16,
        /// Port.
        port: u16,
        /// Target host.
        target: String,
    },
    /// Text strings (lossy UTF-8).
    Txt(Vec<String>),
    /// Start of authority.
    Soa {
        /// Primary name server.
        mname: String,
        /// Responsible mailbox.
        rname: String,
        /// Serial.
        serial: u32,
        /// Refresh interval (s).
        refresh: u32,
        /// Retry interval (s).
        retry: u32,
        /// Expiry (s).
        expire: u32,
        /// Negative-caching TTL (s).
        minimum: u32,
    },
    /// EDNS OPT pseudo-record (its options are kept raw).
    Opt(Vec<u8>),
    /// Any other type, raw.
    Unknown(Vec<u8>),
}

/// One resource record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Owner name.
    pub name: String,
    /// TYPE.
    pub rtype: u16,
    /// CLASS (for OPT: the requestor's UDP payload size).
    pub class: u16,
    /// TTL (for OPT: extended rcode and flags).
    pub ttl: u32,
    /// Decoded data.
    pub data: RData,
}

/// A whole decoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Header.
    pub header: Header,
    /// Question section.
    pub questions: Vec<Question>,
    /// Answer section.
    pub answers: Vec<Record>,
    /// Authority section.
    pub authority: Vec<Record>,
    /// Additional section (OPT included).
    pub additional: Vec<Record>,
}

/// A cursor over the whole message (names may point anywhere before themselves).
struct Reader<'a> {
    msg: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self.pos.checked_add(n).ok_or(WireError::Truncated)?;
        let s = self.msg.get(self.pos..end).ok_or(WireError::Truncated)?;
        self.pos = end;
        Ok(s)
    }

    fn u16(&mut self) -> Result<u16, WireError> {
        let s = self.take(2)?;
        Ok(u16::from_be_bytes([s[0], s[1]]))
    }

    fn u32(&mut self) -> Result<u32, WireError> {
        let s = self.take(4)?;
        Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }

    /// Reads a (possibly compressed) name starting at the cursor; the cursor ends after the name's
    /// in-place part (the terminating zero or the first pointer).
    fn name(&mut self) -> Result<String, WireError> {
        let (name, end) = read_name(self.msg, self.pos)?;
        self.pos = end;
        Ok(name)
    }
}

/// Decodes the name at `start`; returns it and the offset just past its in-place part.
pub(crate) fn read_name(msg: &[u8], start: usize) -> Result<(String, usize), WireError> {
    let mut out = String::new();
    let mut pos = start;
    // Pointers must go strictly below the lowest offset visited so far: no loops possible.
    let mut floor = start;
    let mut end = None;
    let mut wire_len = 0usize;
    let mut jumps = 0usize;
    loop {
        let len = *msg.get(pos).ok_or(WireError::Truncated)?;
        match len & 0xC0 {
            0x00 => {
                wire_len += usize::from(len) + 1;
                if wire_len > MAX_NAME_WIRE {
                    return Err(WireError::NameTooLong);
                }
                if len == 0 {
                    let end = end.unwrap_or(pos + 1);
                    if out.is_empty() {
                        out.push('.');
                    }
                    return Ok((out, end));
                }
                let label = msg
                    .get(pos + 1..pos + 1 + usize::from(len))
                    .ok_or(WireError::Truncated)?;
                if !out.is_empty() {
                    out.push('.');
                }
                push_label(&mut out, label);
                pos += 1 + usize::from(len);
            }
            0xC0 => {
                let lo = *msg.get(pos + 1).ok_or(WireError::Truncated)?;
                let target = usize::from(u16::from_be_bytes([len & 0x3F, lo]));
                if end.is_none() {
                    end = Some(pos + 2);
                }
                jumps += 1;
                if target >= floor || jumps > MAX_JUMPS {
                    return Err(WireError::BadLabel);
                }
                floor = target;
                pos = target;
            }
            _ => return Err(WireError::BadLabel),
        }
    }
}

/// Appends a label in presentation form: printable ASCII as is, `.` and `\` escaped with a
/// backslash, anything else as `\DDD` (as `dig` prints it).
fn push_label(out: &mut String, label: &[u8]) {
    for &b in label {
        match b {
            b'.' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x21..=0x7E => out.push(char::from(b)),
            _ => out.push_str(&format!("\\{b:03}")),
        }
    }
}

fn question(r: &mut Reader<'_>) -> Result<Question, WireError> {
    let name = r.name()?;
    Ok(Question {
        name,
        qtype: r.u16()?,
        qclass: r.u16()?,
    })
}

fn record(r: &mut Reader<'_>) -> Result<Record, WireError> {
    let name = r.name()?;
    let rtype = r.u16()?;
    let class = r.u16()?;
    let ttl = r.u32()?;
    let rdlen = usize::from(r.u16()?);
    let start = r.pos;
    let end = start.checked_add(rdlen).ok_or(WireError::Truncated)?;
    if end > r.msg.len() {
        return Err(WireError::Truncated);
    }
    let data = rdata(r.msg, start, end, rtype)?;
    r.pos = end;
    Ok(Record {
        name,
        rtype,
        class,
        ttl,
        data,
    })
}

/// Decodes record data in `msg[start..end]` (names inside may point back into the message).
fn rdata(msg: &[u8], start: usize, end: usize, rtype: u16) -> Result<RData, WireError> {
    let raw = msg.get(start..end).ok_or(WireError::Truncated)?;
    // A sub-reader over the message, limited to the record data for in-place parts.
    let mut r = Reader {
        msg: msg.get(..end).ok_or(WireError::Truncated)?,
        pos: start,
    };
    let data = match rtype {
        1 => RData::A(Ipv4Addr::from(
            <[u8; 4]>::try_from(raw).map_err(|_| WireError::BadRdata)?,
        )),
        28 => RData::Aaaa(Ipv6Addr::from(
            <[u8; 16]>::try_from(raw).map_err(|_| WireError::BadRdata)?,
        )),
        5 => RData::Cname(r.name()?),
        2 => RData::Ns(r.name()?),
        12 => RData::Ptr(r.name()?),
        15 => RData::Mx {
            preference: r.u16()?,
            exchange: r.name()?,
        },
        33 => RData::Srv {
            priority: r.u16()?,
            weight: r.u16()?,
            port: r.u16()?,
            target: r.name()?,
        },
        16 => RData::Txt(txt_strings(raw)?),
        6 => RData::Soa {
            mname: r.name()?,
            rname: r.name()?,
            serial: r.u32()?,
            refresh: r.u32()?,
            retry: r.u32()?,
            expire: r.u32()?,
            minimum: r.u32()?,
        },
        41 => RData::Opt(raw.to_vec()),
        _ => return Ok(RData::Unknown(raw.to_vec())),
    };
    let fixed_len = matches!(rtype, 1 | 28 | 16 | 41);
    if !fixed_len && r.pos != end {
        return Err(WireError::BadRdata);
    }
    Ok(data)
}

/// TXT data: one or more length-prefixed character strings.
fn txt_strings(raw: &[u8]) -> Result<Vec<String>, WireError> {
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some((&len, tail)) = rest.split_first() {
        let s = tail.get(..usize::from(len)).ok_or(WireError::BadRdata)?;
        out.push(crate::text::utf8_lossy(s).into_owned());
        rest = tail.get(usize::from(len)..).unwrap_or_default();
    }
    Ok(out)
}

/// Decodes one whole message; every byte must belong to it.
pub(crate) fn decode(msg: &[u8]) -> Result<Message, WireError> {
    let header = Header::decode(msg).ok_or(WireError::Truncated)?;
    let mut r = Reader { msg, pos: HEADER_LEN };
    // Each question takes at least 5 bytes and each record 11: reject impossible counts before
    // allocating anything.
    let min = 5 * usize::from(header.qdcount) + 11 * header.record_count() as usize;
    if HEADER_LEN + min > msg.len() {
        return Err(WireError::Truncated);
    }
    let questions = (0..header.qdcount)
        .map(|_| question(&mut r))
        .collect::<Result<Vec<_>, _>>()?;
    let mut section = |n: u16| (0..n).map(|_| record(&mut r)).collect::<Result<Vec<_>, _>>();
    let answers = section(header.ancount)?;
    let authority = section(header.nscount)?;
    let additional = section(header.arcount)?;
    if r.pos != msg.len() {
        return Err(WireError::Trailing);
    }
    Ok(Message {
        header,
        questions,
        answers,
        authority,
        additional,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_wire(name: &str) -> Vec<u8> {
        let mut v = Vec::new();
        for l in name.split('.').filter(|l| !l.is_empty()) {
            v.push(l.len() as u8);
            v.extend_from_slice(l.as_bytes());
        }
        v.push(0);
        v
    }

    #[test]
    fn names_decode_with_compression_and_escapes() {
        let mut msg = vec![0u8; 12];
        msg.extend(name_wire("www.example.com"));
        let ptr_at = msg.len();
        msg.extend([3, b'a', b'.', b'b', 0xC0, 16]); // "a\.b" + pointer to "example.com"
        assert_eq!(read_name(&msg, 12), Ok(("www.example.com".to_string(), ptr_at)));
        assert_eq!(
            read_name(&msg, ptr_at),
            Ok(("a\\.b.example.com".to_string(), msg.len()))
        );
        assert_eq!(read_name(&[0], 0), Ok((".".to_string(), 1)));
        assert_eq!(read_name(&[1, 7, 0], 0), Ok(("\\007".to_string(), 3)));
    }

    #[test]
    fn pointer_loops_and_forward_pointers_fail() {
        // A pointer to itself.
        assert_eq!(read_name(&[0xC0, 0x00], 0), Err(WireError::BadLabel));
        // Two pointers pointing at each other.
        let msg = [0xC0, 0x02, 0xC0, 0x00];
        assert_eq!(read_name(&msg, 2), Err(WireError::BadLabel));
        // A forward pointer.
        assert_eq!(read_name(&[0xC0, 0x03, 0, 0], 0), Err(WireError::BadLabel));
        // Reserved label types and truncation.
        assert_eq!(read_name(&[0x40], 0), Err(WireError::BadLabel));
        assert_eq!(read_name(&[5, b'a'], 0), Err(WireError::Truncated));
        assert_eq!(read_name(&[], 0), Err(WireError::Truncated));
    }

    #[test]
    fn overlong_names_fail() {
        let mut msg = Vec::new();
        for _ in 0..5 {
            msg.push(63);
            msg.extend([b'x'; 63]);
        }
        msg.push(0);
        assert_eq!(read_name(&msg, 0), Err(WireError::NameTooLong));
    }

    #[test]
    fn header_fields() {
        let h = Header {
            flags: 0x8183,
            ..Default::default()
        };
        assert!(h.is_response());
        assert_eq!(
            (h.opcode(), h.rcode(), h.z(), h.field(8, 1), h.field(7, 1)),
            (0, 3, 0, 1, 1)
        );
    }

    #[test]
    fn counts_beyond_the_message_fail_early() {
        let mut msg = vec![0, 1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0];
        msg.extend([0; 20]);
        assert_eq!(decode(&msg), Err(WireError::Truncated));
    }
}
