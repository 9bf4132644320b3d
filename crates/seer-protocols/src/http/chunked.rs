//! Incremental `Transfer-Encoding: chunked` decoder (RFC 9112 §7.1), trailers included.
//!
//! It reads from the front of a direction's unparsed bytes and reports how many it consumed; an
//! incomplete size or trailer line stays unconsumed until more bytes arrive.

use super::message::{Body, Head, Invalid};

/// A chunk-size line longer than this is invalid.
const MAX_SIZE_LINE: usize = 1024;

/// Where the decoder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChunkState {
    /// Expecting `hex-size [;ext] CRLF`.
    Size,
    /// Inside chunk data: bytes left.
    Data(u64),
    /// Expecting the CRLF after chunk data.
    DataEnd,
    /// After the last chunk: trailer fields until an empty line; bytes of trailers so far.
    Trailers(usize),
}

/// Outcome of [`decode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The body (and its trailers) ended.
    Done,
    /// All usable bytes were consumed; more are needed.
    NeedMore,
}

/// The line at the front of `data` without its terminator, and its length with the terminator.
fn line(data: &[u8]) -> Option<(&[u8], usize)> {
    let nl = data.iter().position(|&b| b == b'\n')?;
    let raw = data.get(..nl)?;
    let text = raw.strip_suffix(b"\r").unwrap_or(raw);
    Some((text, nl + 1))
}

fn parse_size(line: &[u8]) -> Result<u64, Invalid> {
    let end = line.iter().position(|&b| b == b';').unwrap_or(line.len());
    let hex = line.get(..end).ok_or(Invalid)?.trim_ascii();
    if hex.is_empty() || hex.len() > 16 || !hex.iter().all(u8::is_ascii_hexdigit) {
        return Err(Invalid);
    }
    let s = std::str::from_utf8(hex).map_err(|_| Invalid)?;
    u64::from_str_radix(s, 16).map_err(|_| Invalid)
}

/// Decodes from the front of `data`; returns bytes consumed and whether the body ended.
pub(crate) fn decode(
    state: &mut ChunkState,
    data: &[u8],
    body: &mut Body,
    trailers: &mut Head,
    max_trailer_bytes: usize,
) -> Result<(usize, Outcome), Invalid> {
    let mut used = 0;
    loop {
        let rest = data.get(used..).unwrap_or_default();
        match *state {
            ChunkState::Size => {
                let Some((text, n)) = line(rest) else {
                    return if rest.len() > MAX_SIZE_LINE {
                        Err(Invalid)
                    } else {
                        Ok((used, Outcome::NeedMore))
                    };
                };
                if n > MAX_SIZE_LINE {
                    return Err(Invalid);
                }
                let size = parse_size(text)?;
                used += n;
                *state = if size == 0 {
                    ChunkState::Trailers(0)
                } else {
                    ChunkState::Data(size)
                };
            }
            ChunkState::Data(left) => {
                if rest.is_empty() {
                    return Ok((used, Outcome::NeedMore));
                }
                let take = usize::try_from(left).unwrap_or(usize::MAX).min(rest.len());
                body.add(rest.get(..take).unwrap_or_default());
                used += take;
                let left = left - take as u64;
                *state = if left == 0 {
                    ChunkState::DataEnd
                } else {
                    ChunkState::Data(left)
                };
            }
            ChunkState::DataEnd => match rest {
                [] | [b'\r'] => return Ok((used, Outcome::NeedMore)),
                [b'\r', b'\n', ..] => {
                    used += 2;
                    *state = ChunkState::Size;
                }
                [b'\n', ..] => {
                    used += 1;
                    *state = ChunkState::Size;
                }
                _ => return Err(Invalid),
            },
            ChunkState::Trailers(total) => {
                let Some((text, n)) = line(rest) else {
                    return if total + rest.len() > max_trailer_bytes {
                        Err(Invalid)
                    } else {
                        Ok((used, Outcome::NeedMore))
                    };
                };
                let total = total + n;
                if total > max_trailer_bytes {
                    return Err(Invalid);
                }
                used += n;
                if text.is_empty() {
                    return Ok((used, Outcome::Done));
                }
                let colon = text.iter().position(|&b| b == b':').ok_or(Invalid)?;
                let (name, value) = (
                    text.get(..colon).unwrap_or_default(),
                    text.get(colon + 1..).unwrap_or_default(),
                );
                if name.is_empty() || name.iter().any(|b| b.is_ascii_whitespace()) {
                    return Err(Invalid);
                }
                trailers.push_field(name, value.trim_ascii());
                *state = ChunkState::Trailers(total);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Run = (Result<(usize, Outcome), Invalid>, Body, Head);

    fn run(data: &[u8]) -> Run {
        let mut st = ChunkState::Size;
        let mut body = Body {
            cap: 1024,
            ..Body::default()
        };
        let mut tr = Head::default();
        let r = decode(&mut st, data, &mut body, &mut tr, 1024);
        (r, body, tr)
    }

    #[test]
    fn decodes_chunks_extensions_and_trailers() {
        let (r, body, tr) = run(b"4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nExpires: never\r\n\r\nNEXT");
        assert_eq!(r, Ok((44, Outcome::Done)));
        assert_eq!(body.captured, b"Wikipedia");
        assert_eq!(body.size, 9);
        assert_eq!(tr.fields().collect::<Vec<_>>(), vec![("Expires", "never")]);
    }

    #[test]
    fn incremental_and_invalid() {
        let (r, body, _) = run(b"4\r\nWi");
        assert_eq!(r, Ok((5, Outcome::NeedMore)));
        assert_eq!(body.size, 2);
        assert_eq!(run(b"zz\r\n").0, Err(Invalid));
        assert_eq!(run(b"4\r\nWikiXX").0, Err(Invalid));
        assert_eq!(run(b"11111111111111111\r\n").0, Err(Invalid));
        assert_eq!(run(&[b'1'; 2000]).0, Err(Invalid));
    }
}
