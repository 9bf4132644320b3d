//! Decoding message payloads and rendering them in Pixie's text forms:
//! RowDescription `ROW DESCRIPTION [name=… table_oid=… …]`, DataRow `a,b,[NULL]`, ErrorResponse
//! `ERROR RESPONSE [Severity=ERROR Code=… Message=…]`, Bind `portal=… statement=… parameters=[…]
//! result_format_codes=[…]`, Describe `type=kStatement name=…`, Execute `query=[…] params=[…]`.
//! Malformed payloads render what could be read; nothing here panics.

use super::values;
use crate::l7::Reader;

/// Lossy UTF-8 of `b`.
pub(crate) fn text(b: &[u8]) -> String {
    crate::text::utf8_lossy(b).into_owned()
}

/// A payload that is one NUL-terminated string (Query, CommandComplete): trailing NULs removed.
pub(crate) fn cstring_payload(p: &[u8]) -> String {
    let end = p.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    text(p.get(..end).unwrap_or_default())
}

/// One column of a RowDescription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    pub name: String,
    pub table_oid: i32,
    pub attr_num: i16,
    pub type_oid: i32,
    pub type_size: i16,
    pub type_modifier: i32,
    pub binary: bool,
}

/// RowDescription fields (as many as could be read).
pub(crate) fn row_desc(p: &[u8]) -> Vec<Field> {
    let mut r = Reader::new(p);
    let n = r.be_i16().unwrap_or(0).max(0);
    let mut out = Vec::new();
    for _ in 0..n {
        let f = (|| {
            Some(Field {
                name: text(r.cstr()?),
                table_oid: r.be_i32()?,
                attr_num: r.be_i16()?,
                type_oid: r.be_i32()?,
                type_size: r.be_i16()?,
                type_modifier: r.be_i32()?,
                binary: r.be_i16()? == 1,
            })
        })();
        match f {
            Some(f) => out.push(f),
            None => break,
        }
    }
    out
}

fn fmt_name(binary: bool) -> &'static str {
    if binary { "kBinary" } else { "kText" }
}

/// Pixie's rendering of a RowDescription.
pub(crate) fn render_row_desc(fields: &[Field]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|f| {
            format!(
                "name={} table_oid={} attr_num={} type_oid={} type_size={} type_modifier={} fmt_code={}",
                f.name,
                f.table_oid,
                f.attr_num,
                f.type_oid,
                f.type_size,
                f.type_modifier,
                fmt_name(f.binary)
            )
        })
        .collect();
    format!("ROW DESCRIPTION [{}]", parts.join("] ["))
}

/// A DataRow as `v1,v2,[NULL]`; binary columns are decoded by their type when `fields` says so.
/// A cut row ends with what could be read.
pub(crate) fn render_data_row(p: &[u8], fields: &[Field]) -> String {
    let mut r = Reader::new(p);
    let n = r.be_i16().unwrap_or(0).max(0) as usize;
    let mut cols = Vec::with_capacity(n.min(64));
    for i in 0..n {
        let Some(len) = r.be_i32() else { break };
        if len < 0 {
            cols.push("[NULL]".to_string());
            continue;
        }
        let want = len as usize;
        let bytes = r.take(want.min(r.rest().len())).unwrap_or_default();
        let field = fields.get(i);
        let v = match field {
            Some(f) if f.binary => values::binary(f.type_oid, bytes),
            _ => text(bytes),
        };
        cols.push(v);
        if bytes.len() < want {
            break;
        }
    }
    cols.join(",")
}

/// Pixie's names of ErrorResponse / NoticeResponse field codes.
fn err_field_name(code: u8) -> Option<&'static str> {
    Some(match code {
        b'S' => "Severity",
        b'V' => "InternalSeverity",
        b'C' => "Code",
        b'M' => "Message",
        b'D' => "Detail",
        b'H' => "Hint",
        b'P' => "Position",
        b'p' => "InternalPosition",
        b'q' => "InternalQuery",
        b'W' => "Where",
        b's' => "SchemaName",
        b't' => "TableName",
        b'c' => "ColumnName",
        b'd' => "DataTypeName",
        b'n' => "ConstraintName",
        b'F' => "File",
        b'L' => "Line",
        b'R' => "Routine",
        _ => return None,
    })
}

/// `ERROR RESPONSE [Severity=ERROR Code=42601 Message=…]`.
pub(crate) fn render_error(p: &[u8]) -> String {
    let mut r = Reader::new(p);
    let mut parts = Vec::new();
    while let Some(code) = r.u8() {
        if code == 0 {
            break;
        }
        let value = match r.cstr() {
            Some(v) => text(v),
            None => text(r.take(r.rest().len()).unwrap_or_default()),
        };
        match err_field_name(code) {
            Some(name) => parts.push(format!("{name}={value}")),
            None => parts.push(format!("Field:{}={value}", char::from(code))),
        }
    }
    format!("ERROR RESPONSE [{}]", parts.join(" "))
}

/// A Parse message: statement name, query, declared parameter types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parse {
    pub name: String,
    pub query: String,
    pub param_oids: Vec<i32>,
}

pub(crate) fn parse(p: &[u8]) -> Option<Parse> {
    let mut r = Reader::new(p);
    let name = text(r.cstr()?);
    let query = text(r.cstr()?);
    let n = r.be_i16()?.max(0);
    let mut param_oids = Vec::new();
    for _ in 0..n {
        param_oids.push(r.be_i32()?);
    }
    Some(Parse {
        name,
        query,
        param_oids,
    })
}

/// A Parse message cut by the framing (a very long query): the name and as much of the query as
/// was kept.
pub(crate) fn parse_cut(p: &[u8]) -> Parse {
    let mut r = Reader::new(p);
    let name = r.cstr().map(text).unwrap_or_default();
    let rest = r.rest();
    let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    Parse {
        name,
        query: text(rest.get(..end).unwrap_or_default()),
        param_oids: Vec::new(),
    }
}

/// One bound parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Param {
    pub binary: bool,
    pub value: Option<Vec<u8>>,
}

/// A Bind message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bind {
    pub portal: String,
    pub statement: String,
    pub params: Vec<Param>,
    /// Number of parameter format codes sent (0, 1 or one per parameter).
    pub param_formats: usize,
    pub result_binary: Vec<bool>,
}

pub(crate) fn bind(p: &[u8]) -> Option<Bind> {
    bind_from(p, false)
}

/// A Bind message cut by the framing (very long parameters): the parameters that were kept whole,
/// the one being cut shown up to where it was cut.
pub(crate) fn bind_cut(p: &[u8]) -> Option<Bind> {
    bind_from(p, true)
}

fn bind_from(p: &[u8], cut: bool) -> Option<Bind> {
    let mut r = Reader::new(p);
    let portal = text(r.cstr()?);
    let statement = text(r.cstr()?);
    let nfmt = r.be_i16()?.max(0);
    let mut fmts = Vec::new();
    for _ in 0..nfmt {
        fmts.push(r.be_i16()? == 1);
    }
    let n = r.be_i16()?.max(0) as usize;
    if fmts.len() > 1 && fmts.len() != n {
        return None;
    }
    let mut params = Vec::new();
    for i in 0..n {
        let binary = match fmts.len() {
            0 => false,
            1 => fmts.first().copied().unwrap_or(false),
            _ => fmts.get(i).copied().unwrap_or(false),
        };
        let Some(len) = r.be_i32() else {
            if cut {
                break;
            }
            return None;
        };
        let value = if len < 0 {
            None
        } else {
            match r.take(len as usize) {
                Some(v) => Some(v.to_vec()),
                None if cut => {
                    let mut v = r.rest().to_vec();
                    v.extend_from_slice(crate::text::TRUNCATED_SUFFIX.as_bytes());
                    params.push(Param { binary, value: Some(v) });
                    break;
                }
                None => return None,
            }
        };
        params.push(Param { binary, value });
    }
    if cut {
        return Some(Bind {
            portal,
            statement,
            params,
            param_formats: fmts.len(),
            result_binary: Vec::new(),
        });
    }
    let nres = r.be_i16()?.max(0);
    let mut result_binary = Vec::new();
    for _ in 0..nres {
        result_binary.push(r.be_i16()? == 1);
    }
    Some(Bind {
        portal,
        statement,
        params,
        param_formats: fmts.len(),
        result_binary,
    })
}

/// A parameter's display value: text as is, binary decoded by its declared type, NULL as `[NULL]`.
pub(crate) fn param_value(p: &Param, oid: Option<i32>) -> String {
    match (&p.value, p.binary) {
        (None, _) => "[NULL]".to_string(),
        (Some(v), false) => text(v),
        (Some(v), true) => values::binary(oid.unwrap_or(0), v),
    }
}

/// Pixie's Bind rendering.
pub(crate) fn render_bind(b: &Bind, oids: &[i32]) -> String {
    let params: Vec<String> = b
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "[format={} value={}]",
                fmt_name(p.binary),
                param_value(p, oids.get(i).copied())
            )
        })
        .collect();
    let res: Vec<&str> = b.result_binary.iter().map(|&bin| fmt_name(bin)).collect();
    format!(
        "portal={} statement={} parameters=[{}] result_format_codes=[{}]",
        b.portal,
        b.statement,
        params.join(", "),
        res.join(", ")
    )
}

/// A Describe (or Close) target: `S` statement or `P` portal, and its name.
pub(crate) fn target(p: &[u8]) -> Option<(u8, String)> {
    let mut r = Reader::new(p);
    let kind = r.u8()?;
    let name = text(r.cstr()?);
    matches!(kind, b'S' | b'P').then_some((kind, name))
}

/// Pixie's Describe rendering.
pub(crate) fn render_describe(kind: u8, name: &str) -> String {
    let k = if kind == b'S' { "kStatement" } else { "kPortal" };
    format!("type={k} name={name}")
}

/// ParameterDescription type OIDs.
pub(crate) fn param_desc(p: &[u8]) -> Vec<i32> {
    let mut r = Reader::new(p);
    let n = r.be_i16().unwrap_or(0).max(0);
    (0..n).map_while(|_| r.be_i32()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, oid: i32, fmt: i16) -> Vec<u8> {
        let mut v = name.as_bytes().to_vec();
        v.push(0);
        v.extend_from_slice(&16384i32.to_be_bytes());
        v.extend_from_slice(&1i16.to_be_bytes());
        v.extend_from_slice(&oid.to_be_bytes());
        v.extend_from_slice(&(-1i16).to_be_bytes());
        v.extend_from_slice(&(-1i32).to_be_bytes());
        v.extend_from_slice(&fmt.to_be_bytes());
        v
    }

    #[test]
    fn row_description_and_rows() {
        let mut p = 2i16.to_be_bytes().to_vec();
        p.extend(field("id", 23, 1));
        p.extend(field("name", 25, 0));
        let fields = row_desc(&p);
        assert_eq!(fields.len(), 2);
        assert_eq!(
            render_row_desc(&fields[1..]),
            "ROW DESCRIPTION [name=name table_oid=16384 attr_num=1 type_oid=25 type_size=-1 type_modifier=-1 fmt_code=kText]"
        );
        let mut row = 3i16.to_be_bytes().to_vec();
        row.extend_from_slice(&4i32.to_be_bytes());
        row.extend_from_slice(&42i32.to_be_bytes());
        row.extend_from_slice(&3i32.to_be_bytes());
        row.extend_from_slice(b"bob");
        row.extend_from_slice(&(-1i32).to_be_bytes());
        assert_eq!(render_data_row(&row, &fields), "42,bob,[NULL]");
        // Cut in the middle of a value: what was there.
        assert_eq!(render_data_row(&row[..15], &fields), "42,b");
        assert_eq!(render_data_row(&row[..12], &fields), "42");
    }

    #[test]
    fn error_fields_in_order() {
        let p = b"SERROR\0VERROR\0C42601\0Msyntax error at or near \"selec\"\0P1\0Zodd\0\0";
        assert_eq!(
            render_error(p),
            "ERROR RESPONSE [Severity=ERROR InternalSeverity=ERROR Code=42601 Message=syntax error at or near \"selec\" Position=1 Field:Z=odd]"
        );
    }

    #[test]
    fn bind_with_text_binary_and_null() {
        let mut p = b"\0s1\0".to_vec();
        p.extend_from_slice(&3i16.to_be_bytes());
        p.extend_from_slice(&[0, 0, 0, 1, 0, 0]);
        p.extend_from_slice(&3i16.to_be_bytes());
        p.extend_from_slice(&5i32.to_be_bytes());
        p.extend_from_slice(b"Jason");
        p.extend_from_slice(&8i32.to_be_bytes());
        p.extend_from_slice(&7i64.to_be_bytes());
        p.extend_from_slice(&(-1i32).to_be_bytes());
        p.extend_from_slice(&0i16.to_be_bytes());
        let b = bind(&p).expect("bind");
        assert_eq!(
            render_bind(&b, &[25, 20, 25]),
            "portal= statement=s1 parameters=[[format=kText value=Jason], [format=kBinary value=7], [format=kText value=[NULL]]] result_format_codes=[]"
        );
        assert!(bind(p.get(..p.len() - 3).unwrap_or_default()).is_none());
    }

    #[test]
    fn parse_describe_and_param_desc() {
        let mut p = b"s1\0select $1\0".to_vec();
        p.extend_from_slice(&1i16.to_be_bytes());
        p.extend_from_slice(&23i32.to_be_bytes());
        let got = parse(&p).expect("parse");
        assert_eq!(
            (got.name.as_str(), got.query.as_str(), got.param_oids),
            ("s1", "select $1", vec![23])
        );
        assert_eq!(target(b"Ss1\0"), Some((b'S', "s1".to_string())));
        assert_eq!(render_describe(b'P', ""), "type=kPortal name=");
        let mut d = 2i16.to_be_bytes().to_vec();
        d.extend_from_slice(&23i32.to_be_bytes());
        assert_eq!(param_desc(&d), vec![23]);
        assert_eq!(cstring_payload(b"INSERT 0 1\0\0"), "INSERT 0 1");
    }
}
