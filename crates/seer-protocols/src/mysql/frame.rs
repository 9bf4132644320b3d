//! MySQL packets, one direction at a time: 3-byte little-endian payload length, sequence id,
//! payload. Bounded like the PostgreSQL framing (long packets keep their head, the rest is skipped).
//!
//! In the request direction only command packets (sequence id 0) are kept: every other client
//! packet is part of the handshake or authentication (passwords, auth plugin data), of a
//! `LOAD DATA LOCAL` upload, or a continuation, and is skipped unread, except that the short
//! SSLRequest is noticed (the rest of the connection is then TLS).

use std::collections::VecDeque;

use crate::sql_common::{FrameSync, Queued};
use crate::stream::ByteStream;
use crate::types::{MessageKind, SessionStats};

/// `CLIENT_SSL` capability flag.
const CLIENT_SSL: u32 = 0x0800;

/// One packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Packet {
    pub seq: u8,
    /// Payload (cut when `truncated`).
    pub payload: Vec<u8>,
    /// Declared payload length.
    pub len: usize,
    pub truncated: bool,
    /// Timestamp of the packet's first byte.
    pub ts: u64,
}

impl Queued for Packet {
    fn ts(&self) -> u64 {
        self.ts
    }

    fn held(&self) -> usize {
        Packet::held(self)
    }
}

impl Packet {
    pub(crate) fn held(&self) -> usize {
        self.payload.len() + 32
    }

    pub(crate) fn first(&self) -> Option<u8> {
        self.payload.first().copied()
    }
}

/// Parser state of one direction.
#[derive(Debug, Default)]
pub(crate) struct PacketParser {
    pub stream: ByteStream,
    sync: FrameSync,
    /// The client asked for TLS (request direction).
    pub ssl_requested: bool,
}

fn header(data: &[u8]) -> Option<(usize, u8)> {
    let h = data.get(..4)?;
    let len = usize::from(h[0]) | usize::from(h[1]) << 8 | usize::from(h[2]) << 16;
    Some((len, h[3]))
}

/// Whether a plausible packet starts at `data` (used to resynchronise).
fn plausible(kind: MessageKind, data: &[u8]) -> bool {
    let Some((len, seq)) = header(data) else { return false };
    let head_ok = match kind {
        MessageKind::Request => seq == 0 && len >= 1 && data.get(4).is_some_and(|&c| super::msg::is_command(c)),
        MessageKind::Response => seq >= 1 && len >= 1,
    };
    if !head_ok {
        return false;
    }
    match data.get(4 + len..) {
        None => true,
        Some([]) => true,
        Some(after) => header(after).is_some_and(|(_, next)| next == seq.wrapping_add(1) || next <= 1),
    }
}

impl PacketParser {
    /// Parses every complete packet into `out`.
    pub(crate) fn advance(
        &mut self,
        kind: MessageKind,
        keep: usize,
        stats: &mut SessionStats,
        out: &mut VecDeque<Packet>,
    ) {
        loop {
            if !self.sync.skip_cut(&mut self.stream) || !self.find_boundary(kind, stats) {
                return;
            }
            let data = self.stream.data();
            let Some((len, seq)) = header(data) else { return };
            let ts = self.stream.ts_here();
            let total = 4 + len;
            let secret = kind == MessageKind::Request && seq != 0;
            if secret && len == 32 && data.len() >= 12 {
                let caps = data
                    .get(4..8)
                    .and_then(|b| b.try_into().ok())
                    .map_or(0, u32::from_le_bytes);
                if caps & CLIENT_SSL != 0 && seq == 1 {
                    self.ssl_requested = true;
                }
            }
            let keep = keep.max(5);
            let (payload, consumed, truncated) = if total > keep && data.len() >= keep {
                (data.get(4..keep), keep, true)
            } else if total <= data.len() {
                (data.get(4..total), total, false)
            } else if secret {
                // Skip secrets as they arrive; never buffer them.
                (Some(&[][..]), data.len(), true)
            } else {
                return;
            };
            let payload = if secret {
                Vec::new()
            } else {
                payload.map(<[u8]>::to_vec).unwrap_or_default()
            };
            self.stream.consume(consumed);
            self.sync.skip = (total - consumed) as u64;
            stats.frames_parsed += 1;
            if secret {
                stats.bytes_skipped += total as u64;
                continue;
            }
            out.push_back(Packet {
                seq,
                payload,
                len,
                truncated,
                ts,
            });
        }
    }

    /// When resynchronising, skips to the next plausible packet; `false` when more data is needed.
    fn find_boundary(&mut self, kind: MessageKind, stats: &mut SessionStats) -> bool {
        self.sync
            .find_boundary(&mut self.stream, stats, 5, |rest| plausible(kind, rest))
    }

    /// Bytes were lost: a cut packet absorbs them (`true`); otherwise resynchronise (`false`).
    pub(crate) fn gap(&mut self, lost: u64, stats: &mut SessionStats) -> bool {
        self.sync.gap(&mut self.stream, lost, stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkt(seq: u8, payload: &[u8]) -> Vec<u8> {
        let n = payload.len() as u32;
        let mut v = vec![n as u8, (n >> 8) as u8, (n >> 16) as u8, seq];
        v.extend_from_slice(payload);
        v
    }

    fn parse(kind: MessageKind, data: &[u8], keep: usize) -> Vec<Packet> {
        let mut p = PacketParser::default();
        let mut out = VecDeque::new();
        p.stream.push(7, data);
        p.advance(kind, keep, &mut SessionStats::default(), &mut out);
        out.into_iter().collect()
    }

    #[test]
    fn commands_kept_auth_packets_skipped() {
        let mut data = pkt(1, b"handshake response with scrambled password");
        data.extend(pkt(0, b"\x03select 1"));
        let got = parse(MessageKind::Request, &data, 1024);
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].seq, got[0].payload.as_slice()), (0, &b"\x03select 1"[..]));
    }

    #[test]
    fn ssl_request_is_noticed() {
        let mut payload = vec![0u8; 32];
        payload[1] = 0x08;
        let mut p = PacketParser::default();
        p.stream.push(1, &pkt(1, &payload));
        p.advance(
            MessageKind::Request,
            1024,
            &mut SessionStats::default(),
            &mut VecDeque::new(),
        );
        assert!(p.ssl_requested);
    }

    #[test]
    fn long_packets_are_cut() {
        let mut data = pkt(1, &[1u8; 300]);
        data.extend(pkt(2, b"\xfe\0\0\x02\0"));
        let got = parse(MessageKind::Response, &data, 64);
        assert_eq!(got.len(), 2);
        assert!(got[0].truncated);
        assert_eq!((got[0].len, got[0].payload.len()), (300, 60));
        assert_eq!(got[1].seq, 2);
    }
}
