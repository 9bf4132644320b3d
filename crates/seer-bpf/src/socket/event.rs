//! Decoding of the socket tracer's ring-buffer records (layout: `bpf/socket_trace.h`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

const EV_OPEN: u32 = 1;
const EV_DATA: u32 = 2;
const EV_CLOSE: u32 = 3;
const EV_EXEC: u32 = 4;
const HEADER: usize = 32;
const OPEN_SIZE: usize = HEADER + 8 + 8 + 32;
const DATA_HEADER: usize = HEADER + 24;
/// `struct ev_peer` (family, port, pad, 16-byte address): opens `data[]` when the flag says so.
const PEER_SIZE: usize = 24;
const CLOSE_SIZE: usize = HEADER + 16;
const SRC_TLS: u8 = 1;
const AF_INET: u16 = 2;
const AF_INET6: u16 = 10;

/// Identity of one connection: process, fd and generation (first-seen time, so a reused fd is a new
/// connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnKey {
    /// Process id (thread-group id).
    pub tgid: u32,
    /// File descriptor.
    pub fd: i32,
    /// Generation: monotonic ns when the connection was first seen.
    pub gen_ns: u64,
}

/// Which side of the connection the process is, as far as the kernel saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketRole {
    /// The process called `connect`.
    Client,
    /// The process got the socket from `accept`.
    Server,
    /// First seen on data (connection opened before tracing started).
    Unknown,
}

impl SocketRole {
    fn from_raw(v: u32) -> Self {
        match v {
            1 => Self::Client,
            2 => Self::Server,
            _ => Self::Unknown,
        }
    }
}

/// Data direction relative to the traced process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataDirection {
    /// The process wrote / sent.
    Egress,
    /// The process read / received.
    Ingress,
}

/// A connection became known: connect, accept, or first data on an existing socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnOpen {
    /// Connection identity.
    pub key: ConnKey,
    /// Role.
    pub role: SocketRole,
    /// Monotonic ns.
    pub ts_ns: u64,
    /// Process start, clock ticks since boot (as field 22 of `/proc/<pid>/stat`).
    pub start_ticks: u64,
    /// `SOCK_STREAM` (1) or `SOCK_DGRAM` (2).
    pub sock_type: u16,
    /// Local address and port.
    pub local: SocketAddr,
    /// Remote address and port (unspecified for unconnected datagram sockets).
    pub remote: SocketAddr,
}

/// Payload bytes of one syscall (or one chunk of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataChunk<'a> {
    /// Connection identity.
    pub key: ConnKey,
    /// Role known to BPF when the chunk was sent.
    pub role: SocketRole,
    /// Monotonic ns at syscall exit.
    pub ts_ns: u64,
    /// Direction.
    pub dir: DataDirection,
    /// x86_64 syscall number (low 8 bits); 0 for TLS plaintext.
    pub syscall: u8,
    /// Plaintext from a TLS library's read/write (SSL_read/SSL_write…): its positions count
    /// plaintext bytes, separately from the syscall stream (which then carries only ciphertext).
    pub tls: bool,
    /// Offset of `data[0]` in this direction's byte stream.
    pub pos: u64,
    /// Bytes the syscall transferred from `pos` on; `data` holds the first `data.len()` of them. An
    /// empty `data` marks bytes that were transferred but not captured (sendfile, or past the capture
    /// limit).
    pub msg_size: u32,
    /// The captured bytes.
    pub data: &'a [u8],
    /// The peer this datagram was sent to or received from, when the syscall named one (`sendto`,
    /// `recvfrom`, `sendmsg`/`recvmsg`, `sendmmsg`/`recvmmsg` with an address; IPv4 or IPv6). `None`
    /// for connected sockets, which name none: their peer is the connection's remote address.
    pub peer: Option<SocketAddr>,
}

/// A traced connection was closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnClose {
    /// Connection identity.
    pub key: ConnKey,
    /// Role.
    pub role: SocketRole,
    /// Monotonic ns.
    pub ts_ns: u64,
    /// Total bytes written over the connection's life.
    pub wr_bytes: u64,
    /// Total bytes read.
    pub rd_bytes: u64,
}

/// One decoded ring-buffer record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketEvent<'a> {
    /// See [`ConnOpen`].
    Open(ConnOpen),
    /// See [`DataChunk`].
    Data(DataChunk<'a>),
    /// See [`ConnClose`].
    Close(ConnClose),
    /// A process (this thread-group id) called exec: new code may bring a new TLS library.
    Exec(u32),
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn ip(family: u16, raw: &[u8]) -> Option<IpAddr> {
    match family {
        AF_INET => {
            let a: [u8; 4] = raw.get(..4)?.try_into().ok()?;
            Some(IpAddr::V4(Ipv4Addr::from(a)))
        }
        AF_INET6 => {
            let a: [u8; 16] = raw.get(..16)?.try_into().ok()?;
            let v6 = Ipv6Addr::from(a);
            Some(v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4))
        }
        _ => None,
    }
}

/// A `struct ev_peer`: `None` for a family other than IPv4/IPv6 (never sent by BPF).
fn peer(raw: &[u8]) -> Option<SocketAddr> {
    Some(SocketAddr::new(ip(u16_at(raw, 0)?, raw.get(8..24)?)?, u16_at(raw, 2)?))
}

impl<'a> SocketEvent<'a> {
    /// Decodes one record; `None` for a truncated or unknown record (counted by the caller).
    pub fn decode(b: &'a [u8]) -> Option<Self> {
        let kind = u32_at(b, 0)?;
        let key = ConnKey {
            tgid: u32_at(b, 4)?,
            fd: u32_at(b, 8)? as i32,
            gen_ns: u64_at(b, 16)?,
        };
        let role = SocketRole::from_raw(u32_at(b, 12)?);
        let ts_ns = u64_at(b, 24)?;
        match kind {
            EV_OPEN if b.len() >= OPEN_SIZE => {
                let family = u16_at(b, 40)?;
                let local = SocketAddr::new(ip(family, b.get(48..64)?)?, u16_at(b, 44)?);
                let remote = SocketAddr::new(ip(family, b.get(64..80)?)?, u16_at(b, 46)?);
                Some(Self::Open(ConnOpen {
                    key,
                    role,
                    ts_ns,
                    start_ticks: u64_at(b, 32)?,
                    sock_type: u16_at(b, 42)?,
                    local,
                    remote,
                }))
            }
            EV_DATA if b.len() >= DATA_HEADER => {
                let len = u32_at(b, 40)? as usize;
                let dir = if *b.get(48)? == 0 {
                    DataDirection::Egress
                } else {
                    DataDirection::Ingress
                };
                let (peer, start) = match usize::from(*b.get(51)?) {
                    0 => (None, DATA_HEADER),
                    PEER_SIZE => (
                        peer(b.get(DATA_HEADER..DATA_HEADER + PEER_SIZE)?),
                        DATA_HEADER + PEER_SIZE,
                    ),
                    _ => return None,
                };
                Some(Self::Data(DataChunk {
                    key,
                    role,
                    ts_ns,
                    dir,
                    syscall: *b.get(49)?,
                    tls: *b.get(50)? == SRC_TLS,
                    pos: u64_at(b, 32)?,
                    msg_size: u32_at(b, 44)?,
                    data: b.get(start..start.checked_add(len)?)?,
                    peer,
                }))
            }
            EV_CLOSE if b.len() >= CLOSE_SIZE => Some(Self::Close(ConnClose {
                key,
                role,
                ts_ns,
                wr_bytes: u64_at(b, 32)?,
                rd_bytes: u64_at(b, 40)?,
            })),
            EV_EXEC => Some(Self::Exec(key.tgid)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(kind: u32, len: usize) -> Vec<u8> {
        let mut b = vec![0u8; len];
        b[0..4].copy_from_slice(&kind.to_le_bytes());
        b[4..8].copy_from_slice(&77u32.to_le_bytes());
        b[8..12].copy_from_slice(&5i32.to_le_bytes());
        b[12..16].copy_from_slice(&2u32.to_le_bytes());
        b[16..24].copy_from_slice(&1000u64.to_le_bytes());
        b[24..32].copy_from_slice(&2000u64.to_le_bytes());
        b
    }

    #[test]
    fn decodes_open_ipv4() {
        let mut b = header(EV_OPEN, OPEN_SIZE);
        b[32..40].copy_from_slice(&123u64.to_le_bytes());
        b[40..42].copy_from_slice(&AF_INET.to_le_bytes());
        b[42..44].copy_from_slice(&1u16.to_le_bytes());
        b[44..46].copy_from_slice(&8080u16.to_le_bytes());
        b[46..48].copy_from_slice(&40000u16.to_le_bytes());
        b[48..52].copy_from_slice(&[127, 0, 0, 1]);
        b[64..68].copy_from_slice(&[10, 1, 2, 3]);
        let Some(SocketEvent::Open(o)) = SocketEvent::decode(&b) else {
            panic!("not an open")
        };
        assert_eq!(
            o.key,
            ConnKey {
                tgid: 77,
                fd: 5,
                gen_ns: 1000
            }
        );
        assert_eq!(o.role, SocketRole::Server);
        assert_eq!(o.local.to_string(), "127.0.0.1:8080");
        assert_eq!(o.remote.to_string(), "10.1.2.3:40000");
        assert_eq!(o.start_ticks, 123);
    }

    #[test]
    fn decodes_data_and_rejects_truncated() {
        let mut b = header(EV_DATA, DATA_HEADER + 3);
        b[32..40].copy_from_slice(&42u64.to_le_bytes());
        b[40..44].copy_from_slice(&3u32.to_le_bytes());
        b[44..48].copy_from_slice(&10u32.to_le_bytes());
        b[48] = 1;
        b[49] = 45;
        b[DATA_HEADER..].copy_from_slice(b"GET");
        let Some(SocketEvent::Data(d)) = SocketEvent::decode(&b) else {
            panic!("not data")
        };
        assert_eq!(
            (d.pos, d.msg_size, d.data, d.dir),
            (42, 10, &b"GET"[..], DataDirection::Ingress)
        );
        assert!(SocketEvent::decode(&b[..b.len() - 1]).is_none(), "len beyond record");
        assert!(SocketEvent::decode(&b[..20]).is_none());
        assert!(SocketEvent::decode(&header(9, 64)).is_none());
    }

    /// A data event whose `data[]` opens with an `ev_peer` of `family`, `port`, `addr`.
    fn data_with_peer(family: u16, port: u16, addr: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut b = header(EV_DATA, DATA_HEADER + PEER_SIZE + payload.len());
        b[32..40].copy_from_slice(&7u64.to_le_bytes());
        b[40..44].copy_from_slice(&(payload.len() as u32).to_le_bytes());
        b[44..48].copy_from_slice(&(payload.len() as u32).to_le_bytes());
        b[48] = 1;
        b[49] = 47;
        b[51] = PEER_SIZE as u8;
        b[56..58].copy_from_slice(&family.to_le_bytes());
        b[58..60].copy_from_slice(&port.to_le_bytes());
        b[64..64 + addr.len()].copy_from_slice(addr);
        b[DATA_HEADER + PEER_SIZE..].copy_from_slice(payload);
        b
    }

    fn decode_data(b: &[u8]) -> Option<DataChunk<'_>> {
        match SocketEvent::decode(b)? {
            SocketEvent::Data(d) => Some(d),
            _ => None,
        }
    }

    #[test]
    fn decodes_ipv4_peer_before_payload() {
        let b = data_with_peer(AF_INET, 53000, &[127, 0, 0, 9], b"dns!");
        let d = decode_data(&b).expect("data");
        assert_eq!(d.peer, Some("127.0.0.9:53000".parse().expect("addr")));
        assert_eq!((d.data, d.pos, d.dir), (&b"dns!"[..], 7, DataDirection::Ingress));
        assert!(decode_data(&b[..b.len() - 1]).is_none(), "payload cut");
        assert!(decode_data(&b[..DATA_HEADER + 10]).is_none(), "peer cut");
    }

    #[test]
    fn decodes_ipv6_peer_and_mapped_ipv4() {
        let v6: std::net::Ipv6Addr = "fd00::53".parse().expect("v6");
        let b = data_with_peer(AF_INET6, 5353, &v6.octets(), b"x");
        assert_eq!(
            decode_data(&b).and_then(|d| d.peer),
            Some("[fd00::53]:5353".parse().expect("addr"))
        );
        let mapped: std::net::Ipv6Addr = "::ffff:10.1.2.3".parse().expect("mapped");
        let b = data_with_peer(AF_INET6, 1, &mapped.octets(), b"");
        assert_eq!(
            decode_data(&b).and_then(|d| d.peer),
            Some("10.1.2.3:1".parse().expect("addr"))
        );
    }

    #[test]
    fn no_peer_flag_means_payload_right_after_the_header_and_bad_flags_are_refused() {
        let mut b = header(EV_DATA, DATA_HEADER + 2);
        b[40..44].copy_from_slice(&2u32.to_le_bytes());
        b[DATA_HEADER..].copy_from_slice(b"ok");
        let d = decode_data(&b).expect("data");
        assert_eq!((d.peer, d.data), (None, &b"ok"[..]));
        b[51] = 3;
        assert!(SocketEvent::decode(&b).is_none(), "unknown peer size");
        // A family BPF never sends: the chunk stays, without a peer.
        let b = data_with_peer(1, 9, &[1, 2, 3, 4], b"z");
        let d = decode_data(&b).expect("data");
        assert_eq!((d.peer, d.data), (None, &b"z"[..]));
    }

    #[test]
    fn data_layout_matches_the_bpf_struct() {
        use crate::skel::socket_trace::types::ev_data;
        assert_eq!(std::mem::offset_of!(ev_data, data), DATA_HEADER);
        assert_eq!(std::mem::offset_of!(ev_data, peer), 51);
        assert_eq!(
            std::mem::size_of::<ev_data>(),
            DATA_HEADER + PEER_SIZE + super::super::MAX_PAYLOAD as usize
        );
    }

    #[test]
    fn ipv4_mapped_ipv6_becomes_ipv4() {
        let mut raw = [0u8; 16];
        raw[10] = 0xff;
        raw[11] = 0xff;
        raw[12..].copy_from_slice(&[127, 0, 0, 1]);
        assert_eq!(ip(AF_INET6, &raw), Some(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    }
}
