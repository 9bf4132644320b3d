//! Payload decoding: commands, OK / ERR / EOF packets, length-encoded integers, column
//! definitions, and the parameters of `COM_STMT_EXECUTE` rendered into the prepared query as Pixie
//! does (each `?` replaced by its value). Nothing here panics on malformed input.

use crate::l7::Reader;

pub(crate) const COM_QUIT: u8 = 0x01;
pub(crate) const COM_INIT_DB: u8 = 0x02;
pub(crate) const COM_QUERY: u8 = 0x03;
pub(crate) const COM_FIELD_LIST: u8 = 0x04;
pub(crate) const COM_CREATE_DB: u8 = 0x05;
pub(crate) const COM_DROP_DB: u8 = 0x06;
pub(crate) const COM_STATISTICS: u8 = 0x09;
pub(crate) const COM_CHANGE_USER: u8 = 0x11;
pub(crate) const COM_STMT_PREPARE: u8 = 0x16;
pub(crate) const COM_STMT_EXECUTE: u8 = 0x17;
pub(crate) const COM_STMT_SEND_LONG_DATA: u8 = 0x18;
pub(crate) const COM_STMT_CLOSE: u8 = 0x19;
pub(crate) const COM_STMT_FETCH: u8 = 0x1c;

/// `SERVER_MORE_RESULTS_EXISTS` status flag.
pub(crate) const MORE_RESULTS: u16 = 0x0008;

/// Command bytes a client sends on a connection (Pixie's list, internal commands excluded).
pub(crate) fn is_command(c: u8) -> bool {
    matches!(c, 0x01..=0x1f) && !matches!(c, 0x0f | 0x10 | 0x14 | 0x1d)
}

/// Commands whose argument is one string (shown in `req_body`).
pub(crate) fn string_command(c: u8) -> bool {
    matches!(
        c,
        COM_INIT_DB | COM_QUERY | COM_FIELD_LIST | COM_CREATE_DB | COM_DROP_DB | COM_STMT_PREPARE
    )
}

pub(crate) fn text(b: &[u8]) -> String {
    crate::text::utf8_lossy(b).into_owned()
}

/// A length-encoded integer.
pub(crate) fn lenenc(r: &mut Reader<'_>) -> Option<u64> {
    match r.u8()? {
        0xfc => r.le_u16().map(u64::from),
        0xfd => {
            let b = r.take(3)?;
            Some(b.iter().rev().fold(0u64, |acc, &x| acc << 8 | u64::from(x)))
        }
        0xfe => r.le_u64(),
        0xfb | 0xff => None,
        n => Some(u64::from(n)),
    }
}

/// Whether a packet is an ERR packet.
pub(crate) fn is_err(p: &[u8]) -> bool {
    p.first() == Some(&0xff)
}

/// Whether a packet ends a result set (EOF, or OK with the 0xFE header): 0xFE and shorter than
/// a length-encoded 8-byte integer could need.
pub(crate) fn is_eof_or_ok_fe(p: &[u8], len: usize) -> bool {
    p.first() == Some(&0xfe) && len < 0xFF_FFFF
}

/// The status flags of an OK packet (0x00 or 0xFE header) or an EOF packet (5 bytes).
pub(crate) fn status_flags(p: &[u8], len: usize) -> u16 {
    let mut r = Reader::new(p);
    if r.u8().is_none() {
        return 0;
    }
    if p.first() == Some(&0xfe) && len <= 5 {
        r.le_u16();
        return r.le_u16().unwrap_or(0);
    }
    if lenenc(&mut r).is_none() || lenenc(&mut r).is_none() {
        return 0;
    }
    r.le_u16().unwrap_or(0)
}

/// The message of an ERR packet (after the error code and SQL state), as Pixie shows it.
pub(crate) fn err_message(p: &[u8]) -> String {
    let at = if p.get(3) == Some(&b'#') { 9 } else { 3 };
    text(p.get(at..).unwrap_or_default())
}

/// Whether a packet looks like a column definition (`def` catalog).
pub(crate) fn is_column_def(p: &[u8]) -> bool {
    p.starts_with(b"\x03def")
}

/// A prepared statement as the stitcher remembers it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Prepared {
    pub query: String,
    pub num_params: usize,
    /// Parameter types from the last execute that sent them (type byte, unsigned flag).
    pub types: Vec<(u8, bool)>,
}

/// `COM_STMT_PREPARE_OK` header: statement id, columns, parameters.
pub(crate) fn prepare_ok(p: &[u8]) -> Option<(u32, usize, usize)> {
    let mut r = Reader::new(p);
    (r.u8()? == 0).then_some(())?;
    let id = r.le_u32()?;
    let cols = r.le_u16()?;
    let params = r.le_u16()?;
    Some((id, usize::from(cols), usize::from(params)))
}

/// The statement id of `COM_STMT_EXECUTE` / `COM_STMT_CLOSE` / `COM_STMT_RESET`.
pub(crate) fn stmt_id(p: &[u8]) -> Option<u32> {
    let mut r = Reader::new(p);
    r.u8()?;
    r.le_u32()
}

fn int_value(b: &[u8], unsigned: bool) -> String {
    let n = b.len().min(8);
    if n == 0 {
        return "0".to_string();
    }
    let mut v = [0u8; 8];
    if let (Some(dst), Some(src)) = (v.get_mut(..n), b.get(..n)) {
        dst.copy_from_slice(src);
    }
    let u = u64::from_le_bytes(v);
    if unsigned {
        return u.to_string();
    }
    let shift = 64 - 8 * n as u32;
    (((u << shift) as i64) >> shift).to_string()
}

fn datetime(r: &mut Reader<'_>, time: bool) -> Option<String> {
    let n = usize::from(r.u8()?);
    let b = r.take(n)?;
    let mut f = Reader::new(b);
    if time {
        if n == 0 {
            return Some("00:00:00".to_string());
        }
        let neg = f.u8()? == 1;
        let days = f.le_u32()?;
        let (h, m, s) = (f.u8()?, f.u8()?, f.u8()?);
        let us = f.le_u32();
        let hours = u64::from(days) * 24 + u64::from(h);
        let mut out = format!("{}{hours:02}:{m:02}:{s:02}", if neg { "-" } else { "" });
        if let Some(us) = us {
            out.push_str(&format!(".{us:06}"));
        }
        return Some(out);
    }
    if n == 0 {
        return Some("0000-00-00 00:00:00".to_string());
    }
    let (y, mo, d) = (f.le_u16()?, f.u8()?, f.u8()?);
    let mut out = format!("{y:04}-{mo:02}-{d:02}");
    if n >= 7 {
        let (h, mi, s) = (f.u8()?, f.u8()?, f.u8()?);
        out.push_str(&format!(" {h:02}:{mi:02}:{s:02}"));
        if let Some(us) = f.le_u32() {
            out.push_str(&format!(".{us:06}"));
        }
    }
    Some(out)
}

/// One binary-protocol value of `ty`.
fn value(r: &mut Reader<'_>, ty: u8, unsigned: bool) -> Option<String> {
    Some(match ty {
        0x01 => int_value(r.take(1)?, unsigned),
        0x02 | 0x0d => int_value(r.take(2)?, unsigned),
        0x03 | 0x09 => int_value(r.take(4)?, unsigned),
        0x08 => int_value(r.take(8)?, unsigned),
        0x04 => format!("{:.6}", f32::from_le_bytes(r.take(4)?.try_into().ok()?)),
        0x05 => format!("{:.6}", f64::from_le_bytes(r.take(8)?.try_into().ok()?)),
        0x06 => "NULL".to_string(),
        0x07 | 0x0a | 0x0c => datetime(r, false)?,
        0x0b => datetime(r, true)?,
        _ => {
            let n = usize::try_from(lenenc(r)?).ok()?;
            text(r.take(n)?)
        }
    })
}

/// Decodes the parameters of a `COM_STMT_EXECUTE` for `stmt` (updating its remembered types) and
/// renders the query with each `?` replaced (Pixie's rendering); `None` when malformed.
pub(crate) fn execute_body(p: &[u8], stmt: &mut Prepared) -> Option<String> {
    let mut r = Reader::new(p);
    r.take(1 + 4 + 1 + 4)?;
    let n = stmt.num_params;
    let mut values = Vec::with_capacity(n.min(256));
    if n > 0 {
        let nulls = r.take(n.div_ceil(8))?;
        if r.u8()? == 1 {
            let mut types = Vec::with_capacity(n.min(256));
            for _ in 0..n {
                let t = r.take(2)?;
                types.push((*t.first()?, t.get(1).is_some_and(|f| f & 0x80 != 0)));
            }
            stmt.types = types;
        }
        for i in 0..n {
            let null = nulls.get(i / 8).is_some_and(|b| b & (1 << (i % 8)) != 0);
            let (ty, unsigned) = stmt.types.get(i).copied().unwrap_or((0xfe, false));
            values.push(if null {
                "NULL".to_string()
            } else {
                value(&mut r, ty, unsigned)?
            });
        }
    }
    Some(substitute(&stmt.query, &values))
}

/// The query with each `?` replaced by the next value (extra `?` are kept).
fn substitute(query: &str, values: &[String]) -> String {
    let mut out = String::with_capacity(query.len());
    let mut vals = values.iter();
    for c in query.chars() {
        match (c, c == '?') {
            (_, true) => match vals.next() {
                Some(v) => out.push_str(v),
                None => out.push('?'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ok_eof_err() {
        let ok = b"\x00\x01\x00\x0a\x00\x00\x00";
        assert_eq!(status_flags(ok, ok.len()), 0x000a);
        let eof = b"\xfe\x00\x00\x22\x00";
        assert_eq!(status_flags(eof, eof.len()), 0x22);
        assert!(is_eof_or_ok_fe(eof, 5));
        let err = b"\xff\x7a\x04#42S02Table 'x.t' doesn't exist";
        assert!(is_err(err));
        assert_eq!(err_message(err), "Table 'x.t' doesn't exist");
        assert_eq!(err_message(b"\xff\x15\x04Access denied"), "Access denied");
    }

    #[test]
    fn lenenc_forms() {
        for (bytes, want) in [
            (&b"\x05"[..], Some(5)),
            (b"\xfc\x00\x01", Some(256)),
            (b"\xfd\x01\x00\x01", Some(65537)),
            (b"\xfe\x01\0\0\0\0\0\0\0", Some(1)),
            (b"\xfc\x00", None),
            (b"\xfb", None),
        ] {
            assert_eq!(lenenc(&mut Reader::new(bytes)), want, "{bytes:?}");
        }
    }

    #[test]
    fn execute_parameters_fill_the_query() {
        let mut stmt = Prepared {
            query: "SELECT * FROM t WHERE a = ? AND b = ? AND c = ? AND d = ?".to_string(),
            num_params: 4,
            types: Vec::new(),
        };
        let mut p = vec![0x17, 1, 0, 0, 0, 0, 1, 0, 0, 0];
        p.push(0b0000_1000); // d is NULL
        p.push(1);
        p.extend_from_slice(&[0x08, 0, 0xfd, 0, 0x05, 0, 0x06, 0]);
        p.extend_from_slice(&(-42i64).to_le_bytes());
        p.extend_from_slice(b"\x03bob");
        p.extend_from_slice(&1.5f64.to_le_bytes());
        assert_eq!(
            execute_body(&p, &mut stmt).as_deref(),
            Some("SELECT * FROM t WHERE a = -42 AND b = bob AND c = 1.500000 AND d = NULL")
        );
        // A later execute without types reuses them.
        let mut q = vec![0x17, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0b1110, 0];
        q.extend_from_slice(&7i64.to_le_bytes());
        assert_eq!(
            execute_body(&q, &mut stmt).as_deref(),
            Some("SELECT * FROM t WHERE a = 7 AND b = NULL AND c = NULL AND d = NULL")
        );
        assert_eq!(execute_body(&q[..11], &mut stmt), None);
    }

    #[test]
    fn dates_and_unsigned() {
        let mut r = Reader::new(b"\x0b\xe8\x07\x02\x1d\x0c\x22\x38\x40\xe2\x01\x00");
        assert_eq!(datetime(&mut r, false).as_deref(), Some("2024-02-29 12:34:56.123456"));
        assert_eq!(int_value(&[0xff], true), "255");
        assert_eq!(int_value(&[0xff], false), "-1");
        assert_eq!(int_value(&[0xfe, 0xff], false), "-2");
    }
}
