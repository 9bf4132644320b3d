//! Wire framing of protocol v3, one direction at a time: tagged messages (`tag`, BE int32 length
//! that counts itself, payload), the untagged messages a client opens with (StartupMessage,
//! SSLRequest, GSSENCRequest, CancelRequest) and the one-byte answer to an SSL/GSS request.
//!
//! Bounded: a message longer than the keep limit is cut (its head is kept, marked truncated, the
//! rest skipped as it arrives). Password and SASL payloads (`p`), authentication requests (`R`) and
//! the cancel key (`K`) are never kept. After a gap or garbage the parser resynchronises on the next
//! plausible message header.

use std::collections::VecDeque;

use crate::sql_common::{FrameSync, Queued};
use crate::stream::ByteStream;
use crate::types::{MessageKind, SessionStats};

/// Pseudo tag of the untagged StartupMessage.
pub(crate) const STARTUP: u8 = 0;
/// Pseudo tag of SSLRequest.
pub(crate) const SSL_REQUEST: u8 = 1;
/// Pseudo tag of GSSENCRequest.
pub(crate) const GSSENC_REQUEST: u8 = 2;
/// Pseudo tag of CancelRequest.
pub(crate) const CANCEL_REQUEST: u8 = 3;
/// Pseudo tag of the server's one-byte answer (`S`, `G` or `N`) to an SSL/GSS request.
pub(crate) const SSL_ANSWER: u8 = 4;

const PROTOCOL_3: u32 = 196_608;
const SSL_CODE: u32 = 80_877_103;
const GSSENC_CODE: u32 = 80_877_104;
const CANCEL_CODE: u32 = 80_877_102;
/// Longest untagged message accepted (the server's own limit is 10000).
const MAX_STARTUP_LEN: u32 = 10_240;
/// Longest declared message length accepted as plausible (the server's limit is 1 GiB).
const MAX_MESSAGE_LEN: u32 = 1 << 30;

/// Tags a client sends.
pub(crate) const FRONTEND_TAGS: &[u8] = b"QPBEDSCHXpFdcf";
/// Tags a server sends.
pub(crate) const BACKEND_TAGS: &[u8] = b"RKSZTDCEI123ntsNAGHWdcVv";

/// One message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Frame {
    /// Message tag, or one of the pseudo tags above.
    pub tag: u8,
    /// Payload (without tag and length); empty for secrets; cut when `truncated`.
    pub payload: Vec<u8>,
    /// The payload was cut.
    pub truncated: bool,
    /// Timestamp of the message's first byte.
    pub ts: u64,
    /// DataRow messages folded into this one (not kept: enough rows are kept to fill the display).
    pub extra_rows: u64,
}

impl Queued for Frame {
    fn ts(&self) -> u64 {
        self.ts
    }

    fn held(&self) -> usize {
        Frame::held(self)
    }
}

impl Frame {
    /// Bytes this frame holds.
    pub(crate) fn held(&self) -> usize {
        self.payload.len() + 32
    }
}

/// Parser state of one direction.
#[derive(Debug, Default)]
pub(crate) struct FrameParser {
    pub stream: ByteStream,
    /// The rest of a cut message to skip; resynchronising after a gap or garbage.
    sync: FrameSync,
    /// SSL/GSS requests the server has not answered yet (response direction only).
    pub ssl_answers_due: u32,
}

/// Limits for one parse call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Messages longer than this are cut to it.
    pub keep: usize,
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map(u32::from_be_bytes)
}

fn known(kind: MessageKind, tag: u8) -> bool {
    match kind {
        MessageKind::Request => FRONTEND_TAGS.contains(&tag),
        MessageKind::Response => BACKEND_TAGS.contains(&tag),
    }
}

/// The untagged message at the start of `data`, if its header says so: `(pseudo tag, length)`.
pub(crate) fn untagged_header(data: &[u8]) -> Option<(u8, usize)> {
    let len = be_u32(data, 0)?;
    let code = be_u32(data, 4)?;
    let tag = match code {
        PROTOCOL_3 => STARTUP,
        SSL_CODE => SSL_REQUEST,
        GSSENC_CODE => GSSENC_REQUEST,
        CANCEL_CODE => CANCEL_REQUEST,
        _ => return None,
    };
    let fixed = match tag {
        SSL_REQUEST | GSSENC_REQUEST => Some(8),
        CANCEL_REQUEST => Some(16),
        _ => None,
    };
    match fixed {
        Some(n) if len != n => None,
        Some(_) => Some((tag, len as usize)),
        None if (9..=MAX_STARTUP_LEN).contains(&len) => Some((tag, len as usize)),
        None => None,
    }
}

/// `Some(total length)` when a plausible tagged header of `kind` starts at `data`.
fn tagged_header(kind: MessageKind, data: &[u8]) -> Option<usize> {
    let tag = *data.first()?;
    let len = be_u32(data, 1)?;
    (known(kind, tag) && (4..=MAX_MESSAGE_LEN).contains(&len)).then_some(1 + len as usize)
}

/// Whether a payload is a secret or of no use to records, so it is not kept.
fn drop_payload(kind: MessageKind, tag: u8) -> bool {
    match kind {
        MessageKind::Request => tag == b'p',
        MessageKind::Response => matches!(tag, b'R' | b'K'),
    }
}

impl FrameParser {
    /// Parses every complete frame into `out`.
    pub(crate) fn advance(
        &mut self,
        kind: MessageKind,
        lim: Limits,
        stats: &mut SessionStats,
        out: &mut VecDeque<Frame>,
    ) {
        loop {
            if !self.sync.skip_cut(&mut self.stream) || !self.find_boundary(kind, stats) {
                return;
            }
            match self.next_frame(kind, lim) {
                Step::Frame(f) => {
                    stats.frames_parsed += 1;
                    out.push_back(f);
                }
                Step::NeedMore => return,
                Step::Invalid => {
                    stats.parse_errors += 1;
                    self.sync.resync = true;
                    // Skip at least the byte that did not parse.
                    self.stream.consume(1);
                    stats.bytes_skipped += 1;
                }
            }
        }
    }

    fn next_frame(&mut self, kind: MessageKind, lim: Limits) -> Step {
        let data = self.stream.data();
        let Some(&first) = data.first() else {
            return Step::NeedMore;
        };
        let ts = self.stream.ts_here();
        if kind == MessageKind::Response && self.ssl_answers_due > 0 && matches!(first, b'S' | b'N' | b'G') {
            self.ssl_answers_due -= 1;
            self.stream.consume(1);
            return Step::Frame(self.frame(SSL_ANSWER, vec![first], false, ts));
        }
        let (tag, total, body_at) = if kind == MessageKind::Request && first == 0 {
            if data.len() < 8 {
                return Step::NeedMore;
            }
            match untagged_header(data) {
                Some((tag, len)) => (tag, len, 8),
                None => return Step::Invalid,
            }
        } else {
            if data.len() < 5 {
                return Step::NeedMore;
            }
            match tagged_header(kind, data) {
                Some(total) => (first, total, 5),
                None => return Step::Invalid,
            }
        };
        let keep = lim.keep.max(body_at + 1);
        if total > keep {
            if data.len() < keep {
                return Step::NeedMore;
            }
            let payload = if drop_payload(kind, tag) {
                Vec::new()
            } else {
                data.get(body_at..keep).map(<[u8]>::to_vec).unwrap_or_default()
            };
            self.stream.consume(keep);
            self.sync.skip = (total - keep) as u64;
            return Step::Frame(self.frame(tag, payload, true, ts));
        }
        if total <= data.len() {
            let payload = if drop_payload(kind, tag) && !(tag == b'R' && total >= 9) {
                Vec::new()
            } else if tag == b'R' {
                // Only the authentication request code: never salts or SASL data.
                data.get(body_at..body_at + 4).map(<[u8]>::to_vec).unwrap_or_default()
            } else {
                data.get(body_at..total).map(<[u8]>::to_vec).unwrap_or_default()
            };
            self.stream.consume(total);
            return Step::Frame(self.frame(tag, payload, false, ts));
        }
        Step::NeedMore
    }

    fn frame(&self, tag: u8, payload: Vec<u8>, truncated: bool, ts: u64) -> Frame {
        Frame {
            tag,
            payload,
            truncated,
            ts,
            extra_rows: 0,
        }
    }

    /// When resynchronising, skips to the next plausible header (the message after it must also
    /// start plausibly, unless it ends the data); `false` when more data is needed to find one.
    fn find_boundary(&mut self, kind: MessageKind, stats: &mut SessionStats) -> bool {
        self.sync.find_boundary(&mut self.stream, stats, 5, |rest| {
            tagged_header(kind, rest).is_some_and(|total| match rest.get(total..) {
                None | Some([]) => true,
                Some(after) => after.first().is_some_and(|&t| known(kind, t)),
            })
        })
    }

    /// Bytes were lost: a cut message absorbs them (`true`); otherwise the partial message is
    /// dropped and the parser resynchronises (`false`).
    pub(crate) fn gap(&mut self, lost: u64, stats: &mut SessionStats) -> bool {
        self.sync.gap(&mut self.stream, lost, stats)
    }
}

enum Step {
    Frame(Frame),
    NeedMore,
    Invalid,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(kind: MessageKind, data: &[u8], keep: usize) -> (Vec<Frame>, SessionStats) {
        let mut p = FrameParser::default();
        let mut out = VecDeque::new();
        let mut stats = SessionStats::default();
        p.stream.push(1, data);
        p.advance(kind, Limits { keep }, &mut stats, &mut out);
        (out.into_iter().collect(), stats)
    }

    fn msg(tag: u8, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        v.extend_from_slice(&(payload.len() as u32 + 4).to_be_bytes());
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn tagged_and_untagged_requests() {
        let mut data = vec![0, 0, 0, 8, 4, 210, 22, 47];
        let mut startup = b"\0\x03\0\0user\0bob\0\0".to_vec();
        let len = (startup.len() + 4) as u32;
        data.extend_from_slice(&len.to_be_bytes());
        data.append(&mut startup);
        data.extend(msg(b'p', b"secret\0"));
        data.extend(msg(b'Q', b"select 1\0"));
        let (frames, stats) = parse(MessageKind::Request, &data, 1024);
        let tags: Vec<u8> = frames.iter().map(|f| f.tag).collect();
        assert_eq!(tags, vec![SSL_REQUEST, STARTUP, b'p', b'Q']);
        assert!(frames[2].payload.is_empty(), "password kept");
        assert_eq!(frames[3].payload, b"select 1\0");
        assert_eq!(stats.parse_errors, 0);
    }

    #[test]
    fn auth_requests_keep_only_their_code() {
        let (frames, _) = parse(MessageKind::Response, &msg(b'R', b"\0\0\0\x05salt"), 1024);
        assert_eq!(frames[0].payload, vec![0, 0, 0, 5]);
    }

    #[test]
    fn long_messages_are_cut_and_skipped() {
        let mut data = msg(b'D', &[7u8; 500]);
        data.extend(msg(b'C', b"SELECT 1\0"));
        let (frames, _) = parse(MessageKind::Response, &data, 64);
        assert_eq!(frames.len(), 2);
        assert!(frames[0].truncated);
        assert_eq!(frames[0].payload.len(), 59);
        assert_eq!(frames[1].payload, b"SELECT 1\0");
    }

    #[test]
    fn garbage_resyncs_on_the_next_header() {
        let mut data = b"\xff\xfegarbage".to_vec();
        data.extend(msg(b'Z', b"I"));
        let (frames, stats) = parse(MessageKind::Response, &data, 1024);
        assert_eq!(frames.iter().map(|f| f.tag).collect::<Vec<_>>(), vec![b'Z']);
        assert!(stats.parse_errors >= 1);
    }
}
