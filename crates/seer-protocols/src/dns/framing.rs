//! Cutting one direction's events into DNS messages, over UDP or TCP.
//!
//! The session is not told the transport, so each direction works it out from what it is fed:
//! - **datagram** (UDP): each event is one message. An event that decodes whole settles it;
//! - **stream** (TCP): messages behind a 2-byte big-endian length, split and merged across events
//!   in any way. An event that is a sequence of whole length-prefixed messages, or one that is
//!   neither (a message cut across events), settles it.
//!
//! A datagram direction also accepts an event that is length-prefixed messages (a TCP peer that
//! writes length and message together, seen after inference started on a bare message) and ignores
//! 2-byte events (a TCP peer that writes the length on its own); either way it switches to stream
//! framing once it sees a prefix. A gap in a stream loses the framing: the direction starts over.
//!
//! Each message keeps the peer of the event that completed it (a datagram's own source or
//! destination on an unconnected UDP socket; none on TCP).

use std::net::SocketAddr;

use super::infer::tcp_frames;
use super::wire::{self, HEADER_LEN, Message, WireError};
use crate::protocol::ChunkMeta;
use crate::stream::ByteStream;

/// A complete message (decoded, or why not) and when its first and last bytes were seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawMessage {
    pub message: Result<Message, WireError>,
    pub len: usize,
    pub start_ts: u64,
    pub end_ts: u64,
    /// The peer the syscall named for the event that completed the message, if any.
    pub peer: Option<SocketAddr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Mode {
    #[default]
    Unknown,
    Datagram,
    Stream,
}

/// What one event produced.
#[derive(Debug, Default)]
pub(crate) struct Cut {
    /// Whole messages, in order.
    pub messages: Vec<RawMessage>,
    /// Events or frames that were not DNS (resynchronisations).
    pub errors: u64,
    /// Bytes refused because the buffer bound was hit.
    pub dropped: u64,
    /// Bytes skipped (an oversized frame, a lone length prefix).
    pub skipped: u64,
}

/// One direction's framing state.
#[derive(Debug, Default)]
pub(crate) struct Framer {
    mode: Mode,
    stream: ByteStream,
    /// Bytes of an oversized frame still to skip.
    skip: usize,
}

impl Framer {
    /// Bytes held.
    pub(crate) fn held(&self) -> usize {
        self.stream.len()
    }

    /// Some bytes of this direction were lost.
    pub(crate) fn gap(&mut self) {
        if self.mode == Mode::Stream {
            self.stream.clear();
            self.skip = 0;
            self.mode = Mode::Unknown;
        }
    }

    /// Takes one event's bytes.
    pub(crate) fn feed(&mut self, meta: ChunkMeta, data: &[u8], max_buffer: usize, out: &mut Cut) {
        let ts = meta.ts_ns;
        if self.mode != Mode::Stream {
            if let Ok(m) = wire::decode(data) {
                self.mode = Mode::Datagram;
                out.messages.push(RawMessage {
                    message: Ok(m),
                    len: data.len(),
                    start_ts: ts,
                    end_ts: ts,
                    peer: meta.peer,
                });
                return;
            }
            if self.mode == Mode::Datagram && data.len() == 2 {
                out.skipped += 2;
                return;
            }
            if self.mode == Mode::Datagram && tcp_frames(data).is_none() {
                out.errors += 1;
                out.skipped += data.len() as u64;
                return;
            }
            self.mode = Mode::Stream;
        }
        let mut rest = data;
        loop {
            let room = max_buffer.saturating_sub(self.stream.len());
            let (now, later) = rest.split_at(room.min(rest.len()));
            self.stream.push(ts, now);
            self.cut_stream(meta.peer, out);
            self.skip_oversized(max_buffer, meta.peer, out);
            rest = later;
            if rest.is_empty() {
                return;
            }
            if self.mode != Mode::Stream {
                out.skipped += rest.len() as u64;
                return;
            }
            if self.stream.len() >= max_buffer {
                out.dropped += rest.len() as u64;
                self.gap();
                return;
            }
        }
    }

    /// Takes every whole length-prefixed frame out of the stream; `peer`: the current event's.
    fn cut_stream(&mut self, peer: Option<SocketAddr>, out: &mut Cut) {
        loop {
            if self.skip > 0 {
                let n = self.skip.min(self.stream.len());
                self.stream.consume(n);
                self.skip -= n;
                out.skipped += n as u64;
                if self.skip > 0 {
                    return;
                }
            }
            let Some(prefix) = self.stream.data().first_chunk::<2>() else {
                return;
            };
            let len = usize::from(u16::from_be_bytes(*prefix));
            if len < HEADER_LEN {
                // Not a DNS length: the framing is lost.
                out.errors += 1;
                out.skipped += self.stream.clear() as u64;
                self.mode = Mode::Unknown;
                return;
            }
            let start_ts = self.stream.ts_here();
            let Some(frame) = self.stream.data().get(2..2 + len) else {
                return;
            };
            let message = wire::decode(frame);
            let end_ts = self.stream.ts_at(self.stream.abs_pos() + 1 + len as u64);
            self.stream.consume(2 + len);
            out.messages.push(RawMessage {
                message,
                len,
                start_ts,
                end_ts,
                peer,
            });
        }
    }

    /// A frame longer than the buffer can hold is skipped as it streams in.
    fn skip_oversized(&mut self, max_buffer: usize, peer: Option<SocketAddr>, out: &mut Cut) {
        if self.mode != Mode::Stream || self.skip > 0 {
            return;
        }
        if let Some(prefix) = self.stream.data().first_chunk::<2>() {
            let len = usize::from(u16::from_be_bytes(*prefix));
            if 2 + len > max_buffer {
                out.errors += 1;
                self.skip = 2 + len;
                self.cut_stream(peer, out);
            }
        }
    }
}
