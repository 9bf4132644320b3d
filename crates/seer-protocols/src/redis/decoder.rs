//! An incremental RESP2/RESP3 decoder over one direction's [`ByteStream`], with bounded memory.
//!
//! It consumes bytes as it goes: the stream never holds more than one unfinished line, and a bulk
//! string of any size (up to RESP's 512 MB) streams through while only its first `max_string`
//! bytes are kept. Aggregates keep elements until the message's retained text reaches
//! `max_retained`, then only count them; nesting is limited to [`MAX_DEPTH`]. Attributes (`|`) are
//! decoded and dropped, as RESP3 allows clients to. In the request direction, a line that does not
//! start with a RESP type byte is an inline command (split like `redis-cli` does, quotes and
//! escapes included) and becomes an array of bulk strings.

use super::value::{AggKind, Value};
use crate::stream::ByteStream;
use crate::text::truncate_marked;

/// Deepest nesting accepted.
pub(crate) const MAX_DEPTH: usize = 32;
/// Longest line (type byte to CRLF) or inline command accepted, as Redis' own inline limit.
pub(crate) const MAX_LINE: usize = 64 * 1024;
/// Largest bulk string RESP allows.
const MAX_BULK: u64 = 512 * 1024 * 1024;

/// Limits of one decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Text kept per string (longer ones are cut, marked).
    pub max_string: usize,
    /// Text kept per message across all its strings.
    pub max_retained: usize,
}

/// A complete top-level value and when its first and last bytes were seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub value: Value,
    pub start_ts: u64,
    pub end_ts: u64,
    /// Elements of a top-level aggregate as sent (kept or not).
    pub len: u64,
}

/// What one step produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// A whole value.
    Value(Decoded),
    /// The stream ends inside a value; feed more.
    NeedMore,
    /// The bytes are not RESP.
    Invalid,
}

/// What one line or bulk step did.
enum Progress {
    /// A value finished (scalar, empty aggregate or bulk string).
    Value(Value),
    /// Bytes were consumed but no value finished (an aggregate or bulk string opened).
    Continue,
    /// More bytes are needed.
    NeedMore,
}

#[derive(Debug)]
struct Agg {
    kind: Option<AggKind>,
    declared: u64,
    remaining: u64,
    items: Vec<Value>,
    omitted: u64,
}

#[derive(Debug)]
enum BulkKind {
    Bulk,
    Verbatim,
    BlobError,
}

#[derive(Debug)]
struct Bulk {
    kind: BulkKind,
    /// Payload bytes still to come.
    remaining: u64,
    /// Bytes of the closing CRLF still to come (fewer when a gap swallowed them).
    term: usize,
    kept: Vec<u8>,
    cut: bool,
}

/// Decoder state for one direction.
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    stack: Vec<Agg>,
    bulk: Option<Bulk>,
    start_ts: Option<u64>,
    last_ts: u64,
    retained: usize,
}

fn lossy_cut(bytes: &[u8], max: usize, cut: bool) -> String {
    let mut s = crate::text::utf8_lossy(bytes).into_owned();
    if !truncate_marked(&mut s, max) && cut {
        s.push_str(crate::text::TRUNCATED_SUFFIX);
    }
    s
}

/// Parses a RESP length/count field: `-1` or 0..=max.
fn parse_len(line: &[u8], max: u64) -> Option<i64> {
    let n = parse_int(line)?;
    (n == -1 || (0..=max as i64).contains(&n)).then_some(n)
}

/// An optionally signed decimal integer of at most 20 characters.
pub(crate) fn parse_int(line: &[u8]) -> Option<i64> {
    if line.is_empty() || line.len() > 20 {
        return None;
    }
    std::str::from_utf8(line).ok()?.parse().ok()
}

fn is_number(line: &[u8]) -> bool {
    let digits = line
        .strip_prefix(b"-")
        .or_else(|| line.strip_prefix(b"+"))
        .unwrap_or(line);
    !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
}

fn is_double(line: &[u8]) -> bool {
    matches!(line, b"inf" | b"-inf" | b"nan" | b"-nan")
        || (!line.is_empty()
            && line.len() <= 64
            && line
                .iter()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')))
}

impl Decoder {
    /// Forgets any partly decoded value (after a gap or garbage).
    pub(crate) fn reset(&mut self) {
        *self = Self::default();
    }

    /// Bytes lost inside a bulk string's payload (and its closing CRLF) are skipped without losing
    /// the framing; `false` when the loss is not known to lie within the bulk string in progress.
    pub(crate) fn skip_in_bulk(&mut self, buffered: usize, lost: u64) -> bool {
        match self.bulk.as_mut() {
            Some(b) if buffered == 0 && lost <= b.remaining + b.term as u64 => {
                let from_payload = lost.min(b.remaining);
                b.remaining -= from_payload;
                b.term -= usize::try_from(lost - from_payload).unwrap_or(0);
                b.cut |= from_payload > 0;
                true
            }
            _ => false,
        }
    }

    /// Ends the value in progress where it stands (after a gap): a partial bulk string becomes a
    /// cut string and each open aggregate counts its missing elements as omitted. `None` when no
    /// value was in progress (or only an attribute).
    pub(crate) fn salvage(&mut self, lim: Limits) -> Option<Decoded> {
        let start_ts = self.start_ts?;
        let mut v = self.bulk.take().map(|b| {
            let text = lossy_cut(&b.kept, lim.max_string, true);
            match b.kind {
                BulkKind::BlobError => Value::Error(text),
                BulkKind::Bulk | BulkKind::Verbatim => Value::Bulk(text),
            }
        });
        let mut declared = 0;
        while let Some(agg) = self.stack.pop() {
            declared = agg.declared;
            let mut items = agg.items;
            let mut omitted = agg.omitted + agg.remaining;
            if let Some(inner) = v.take() {
                items.push(inner);
                omitted = omitted.saturating_sub(1);
            }
            v = agg.kind.map(|kind| Value::Agg { kind, items, omitted });
        }
        let end_ts = self.last_ts;
        self.reset();
        v.map(|value| Decoded {
            value,
            start_ts,
            end_ts,
            len: declared,
        })
    }

    /// Bytes of a partly decoded value held (elements kept so far, bulk prefix).
    pub(crate) fn held(&self) -> usize {
        self.retained + self.bulk.as_ref().map_or(0, |b| b.kept.len())
    }

    /// `true` while a value is partly decoded.
    pub(crate) fn in_value(&self) -> bool {
        self.start_ts.is_some()
    }

    fn consume(&mut self, s: &mut ByteStream, n: usize) {
        if n > 0 {
            self.last_ts = s.ts_at(s.abs_pos() + n as u64 - 1);
            s.consume(n);
        }
    }

    /// Decodes the next top-level value from `s`.
    pub(crate) fn step(&mut self, s: &mut ByteStream, inline_ok: bool, lim: Limits) -> Step {
        loop {
            if s.len() == 0 {
                return Step::NeedMore;
            }
            if self.start_ts.is_none() {
                self.start_ts = Some(s.ts_here());
            }
            let progress = if self.bulk.is_some() {
                self.bulk_step(s, lim)
            } else {
                self.line_step(s, inline_ok, lim)
            };
            let done = match progress {
                Err(()) => return Step::Invalid,
                Ok(Progress::NeedMore) => return Step::NeedMore,
                Ok(Progress::Continue) => None,
                Ok(Progress::Value(v)) => self.complete(v, lim),
            };
            if let Some((value, len)) = done {
                let start_ts = self.start_ts.take().unwrap_or(self.last_ts);
                self.retained = 0;
                return Step::Value(Decoded {
                    value,
                    start_ts,
                    end_ts: self.last_ts,
                    len,
                });
            }
        }
    }

    /// Streams bulk payload; `Some(value)` once payload and CRLF are in.
    fn bulk_step(&mut self, s: &mut ByteStream, lim: Limits) -> Result<Progress, ()> {
        let Some(b) = self.bulk.as_mut() else {
            return Ok(Progress::Continue);
        };
        if b.remaining > 0 {
            let n = usize::try_from(b.remaining).unwrap_or(usize::MAX).min(s.len());
            let room = lim.max_string.saturating_sub(b.kept.len());
            let data = s.data();
            b.kept.extend_from_slice(data.get(..n.min(room)).unwrap_or_default());
            b.cut |= n > room;
            b.remaining -= n as u64;
            let pending = b.remaining > 0;
            self.consume(s, n);
            if pending {
                return Ok(Progress::NeedMore);
            }
        }
        let term = self.bulk.as_ref().map_or(2, |b| b.term.min(2));
        let want: &[u8] = b"\r\n".get(2 - term..).unwrap_or_default();
        match s.data().get(..want.len()) {
            Some(got) if got == want => {}
            None if want.starts_with(s.data()) => return Ok(Progress::NeedMore),
            _ => return Err(()),
        }
        self.consume(s, want.len());
        let Some(b) = self.bulk.take() else {
            return Ok(Progress::Continue);
        };
        let text = |bytes: &[u8]| lossy_cut(bytes, lim.max_string, b.cut);
        Ok(Progress::Value(match b.kind {
            BulkKind::Bulk => Value::Bulk(text(&b.kept)),
            BulkKind::BlobError => Value::Error(text(&b.kept)),
            BulkKind::Verbatim => {
                // `fmt:` prefix (three bytes and a colon).
                let body = match b.kept.get(3) {
                    Some(b':') => b.kept.get(4..).unwrap_or_default(),
                    _ => &b.kept,
                };
                Value::Bulk(text(body))
            }
        }))
    }

    /// Reads one line: a scalar (`Some`), or the start of an aggregate or bulk string (`None`).
    fn line_step(&mut self, s: &mut ByteStream, inline_ok: bool, lim: Limits) -> Result<Progress, ()> {
        let data = s.data();
        let Some(nl) = data.iter().take(MAX_LINE + 2).position(|&b| b == b'\n') else {
            return if data.len() > MAX_LINE {
                Err(())
            } else {
                Ok(Progress::NeedMore)
            };
        };
        let Some((&marker, _)) = data.split_first() else {
            return Ok(Progress::NeedMore);
        };
        let resp_type = b"+-:$*_#,(=!%~>|".contains(&marker);
        if !resp_type {
            if !(inline_ok && self.stack.is_empty()) {
                return Err(());
            }
            let line = data.get(..nl).unwrap_or_default();
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let args = super::inline::split(line).ok_or(())?;
            if args.first().is_some_and(|name| !super::inline::command_like(name)) {
                return Err(());
            }
            self.consume(s, nl + 1);
            if args.is_empty() {
                // Redis ignores empty lines.
                self.start_ts = None;
                return Ok(Progress::Continue);
            }
            let items = args
                .iter()
                .map(|a| Value::Bulk(lossy_cut(a, lim.max_string, false)))
                .collect();
            return Ok(Progress::Value(Value::Agg {
                kind: AggKind::Array,
                items,
                omitted: 0,
            }));
        }
        let line = data.get(1..nl).unwrap_or_default();
        let body = line.strip_suffix(b"\r").ok_or(())?.to_vec();
        if body.contains(&b'\r') {
            return Err(());
        }
        self.consume(s, nl + 1);
        self.typed_line(marker, &body, lim)
    }

    fn typed_line(&mut self, marker: u8, body: &[u8], lim: Limits) -> Result<Progress, ()> {
        let text = || lossy_cut(body, lim.max_string, false);
        let value = match marker {
            b'+' => Value::Simple(text()),
            b'-' => Value::Error(text()),
            b':' | b'(' if is_number(body) => Value::Integer(text()),
            b',' if is_double(body) => Value::Double(text()),
            b'#' => match body {
                b"t" => Value::Bool(true),
                b"f" => Value::Bool(false),
                _ => return Err(()),
            },
            b'_' if body.is_empty() => Value::Null { array: false },
            b'$' | b'=' | b'!' => {
                let n = parse_len(body, MAX_BULK).ok_or(())?;
                if n < 0 {
                    return if marker == b'$' {
                        Ok(Progress::Value(Value::Null { array: false }))
                    } else {
                        Err(())
                    };
                }
                let kind = match marker {
                    b'$' => BulkKind::Bulk,
                    b'=' => BulkKind::Verbatim,
                    _ => BulkKind::BlobError,
                };
                self.bulk = Some(Bulk {
                    kind,
                    remaining: n as u64,
                    term: 2,
                    kept: Vec::new(),
                    cut: false,
                });
                return Ok(Progress::Continue);
            }
            b'*' | b'~' | b'>' | b'%' | b'|' => return self.open_agg(marker, body),
            _ => return Err(()),
        };
        Ok(Progress::Value(value))
    }

    fn open_agg(&mut self, marker: u8, body: &[u8]) -> Result<Progress, ()> {
        let n = parse_len(body, u64::from(u32::MAX)).ok_or(())?;
        let kind = match marker {
            b'*' => Some(AggKind::Array),
            b'~' => Some(AggKind::Set),
            b'>' => Some(AggKind::Push),
            b'%' => Some(AggKind::Map),
            _ => None, // attribute
        };
        if n < 0 {
            return if marker == b'*' {
                Ok(Progress::Value(Value::Null { array: true }))
            } else {
                Err(())
            };
        }
        let declared = n as u64;
        let remaining = if matches!(marker, b'%' | b'|') {
            declared * 2
        } else {
            declared
        };
        if remaining == 0 {
            return Ok(match kind {
                Some(kind) => Progress::Value(Value::Agg {
                    kind,
                    items: Vec::new(),
                    omitted: 0,
                }),
                None => Progress::Continue,
            });
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(());
        }
        self.stack.push(Agg {
            kind,
            declared,
            remaining,
            items: Vec::new(),
            omitted: 0,
        });
        Ok(Progress::Continue)
    }

    /// Hands a finished value to its parent; returns the top-level value (and its declared
    /// element count) once complete.
    fn complete(&mut self, mut v: Value, lim: Limits) -> Option<(Value, u64)> {
        let mut declared = 0;
        loop {
            let Some(top) = self.stack.last_mut() else {
                return Some((v, declared));
            };
            // A finished aggregate's elements were counted as they arrived.
            let cost = match &v {
                Value::Agg { .. } => 48,
                scalar => scalar.size(),
            };
            if top.omitted == 0 && self.retained + cost <= lim.max_retained {
                self.retained += cost;
                top.items.push(v);
            } else {
                top.omitted += 1;
            }
            top.remaining -= 1;
            if top.remaining > 0 {
                return None;
            }
            let agg = self.stack.pop()?;
            declared = agg.declared;
            match agg.kind {
                Some(kind) => {
                    v = Value::Agg {
                        kind,
                        items: agg.items,
                        omitted: agg.omitted,
                    }
                }
                // A finished attribute is not a value: the value it annotates follows.
                None => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIM: Limits = Limits {
        max_string: 16,
        max_retained: 1024,
    };

    fn all(input: &[u8], inline_ok: bool) -> (Vec<Value>, Step) {
        let mut s = ByteStream::default();
        s.push(7, input);
        let mut d = Decoder::default();
        let mut out = Vec::new();
        loop {
            match d.step(&mut s, inline_ok, LIM) {
                Step::Value(v) => out.push(v.value),
                other => return (out, other),
            }
        }
    }

    fn one(input: &[u8]) -> Value {
        let (v, end) = all(input, false);
        assert_eq!(end, Step::NeedMore, "{input:?}");
        assert_eq!(v.len(), 1, "{input:?}: {v:?}");
        v.into_iter().next().expect("one")
    }

    #[test]
    fn every_resp2_and_resp3_type() {
        assert_eq!(one(b"+OK\r\n").render(), "OK");
        assert_eq!(one(b"-ERR x\r\n").render(), "ERR x");
        assert_eq!(one(b":-12\r\n").render(), "-12");
        assert_eq!(one(b"$5\r\nhello\r\n").render(), "hello");
        assert_eq!(one(b"$0\r\n\r\n").render(), "");
        assert_eq!(one(b"$-1\r\n").render(), "<NULL>");
        assert_eq!(one(b"*-1\r\n").render(), "[NULL]");
        assert_eq!(one(b"*0\r\n").render(), "[]");
        assert_eq!(one(b"_\r\n").render(), "<NULL>");
        assert_eq!(one(b"#t\r\n").render(), "true");
        assert_eq!(one(b",3.25\r\n").render(), "3.25");
        assert_eq!(one(b",-inf\r\n").render(), "-inf");
        assert_eq!(one(b"(-349289032840923\r\n").render(), "-349289032840923");
        assert_eq!(one(b"=15\r\ntxt:Some string\r\n").render(), "Some string");
        assert_eq!(one(b"!10\r\nSYNTAX bad\r\n").render(), "SYNTAX bad");
        assert_eq!(
            one(b"%2\r\n+first\r\n:1\r\n+second\r\n*2\r\n:2\r\n$1\r\nx\r\n").render(),
            r#"{"first":"1","second":["2","x"]}"#
        );
        assert_eq!(one(b"~2\r\n+a\r\n+b\r\n").render(), r#"["a","b"]"#);
        assert_eq!(
            one(b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n").render(),
            r#"["message","ch","hi"]"#
        );
        // An attribute before a value is dropped.
        assert_eq!(one(b"|1\r\n+ttl\r\n:3\r\n$2\r\nok\r\n").render(), "ok");
        assert_eq!(one(b"*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n").render(), r#"["1","2"]"#);
    }

    #[test]
    fn pipelined_values_and_inline_commands() {
        let (v, end) = all(b"+OK\r\n:1\r\n$1\r\na\r\n", false);
        assert_eq!((v.len(), end), (3, Step::NeedMore));
        let (v, _) = all(b"PING\r\nSET k \"a b\\n\"\n\r\n*1\r\n$4\r\nPING\r\n", true);
        let r: Vec<String> = v.iter().map(Value::render).collect();
        assert_eq!(r, [r#"["PING"]"#, r#"["SET","k","a b\n"]"#, r#"["PING"]"#]);
        // Inline is for requests only.
        assert_eq!(all(b"PING\r\n", false).1, Step::Invalid);
    }

    #[test]
    fn long_strings_are_cut_and_streamed() {
        let mut s = ByteStream::default();
        let mut d = Decoder::default();
        s.push(1, b"$40\r\n0123456789");
        assert_eq!(d.step(&mut s, false, LIM), Step::NeedMore);
        assert_eq!(s.len(), 0, "payload consumed as it arrives");
        s.push(2, b"0123456789012345678901234567890123456789\r");
        assert_eq!(
            d.step(&mut s, false, LIM),
            Step::Invalid,
            "payload longer than declared"
        );
        let mut s = ByteStream::default();
        let mut d = Decoder::default();
        s.push(1, b"$20\r\n0123456789");
        let _ = d.step(&mut s, false, LIM);
        s.push(2, b"0123456789\r");
        assert_eq!(d.step(&mut s, false, LIM), Step::NeedMore);
        s.push(3, b"\n");
        match d.step(&mut s, false, LIM) {
            Step::Value(v) => {
                assert_eq!(v.value.render(), "0123456789012345... [TRUNCATED]");
                assert_eq!((v.start_ts, v.end_ts), (1, 3));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn big_aggregates_keep_a_bounded_prefix() {
        let mut input = b"*1000\r\n".to_vec();
        for i in 0..1000 {
            input.extend(format!(":{i}\r\n").as_bytes());
        }
        let v = one(&input);
        let Value::Agg { items, omitted, .. } = &v else {
            panic!("{v:?}")
        };
        assert!(items.len() < 100 && items.len() as u64 + omitted == 1000);
    }

    #[test]
    fn garbage_is_invalid() {
        for bad in [
            &b"?x\r\n"[..],
            b"$-2\r\n",
            b"*-2\r\n",
            b"$1\r\nab\r\n",
            b":12a\r\n",
            b"#x\r\n",
            b"+a\rb\r\n",
            b"+no-cr\n",
        ] {
            assert_eq!(all(bad, false).1, Step::Invalid, "{bad:?}");
        }
        let mut deep = Vec::new();
        for _ in 0..=MAX_DEPTH {
            deep.extend(b"*1\r\n");
        }
        assert_eq!(all(&deep, false).1, Step::Invalid);
    }
}
