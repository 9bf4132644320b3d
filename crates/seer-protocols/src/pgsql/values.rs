//! Binary-format values (parameters and result columns sent with format code 1) rendered as text by
//! their type OID; unknown types and malformed values render as `\x` + hex, like `bytea`.

use super::msg::text;

/// Hex form (`\x0a0b`), as PostgreSQL prints `bytea`.
fn hex(v: &[u8]) -> String {
    let mut s = String::with_capacity(2 + v.len() * 2);
    s.push_str("\\x");
    for b in v {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

fn uuid(v: &[u8]) -> Option<String> {
    if v.len() != 16 {
        return None;
    }
    let h: String = v.iter().map(|b| format!("{b:02x}")).collect();
    Some(format!(
        "{}-{}-{}-{}-{}",
        h.get(0..8)?,
        h.get(8..12)?,
        h.get(12..16)?,
        h.get(16..20)?,
        h.get(20..32)?
    ))
}

fn int(oid: i32, v: &[u8]) -> Option<String> {
    Some(match oid {
        21 => i16::from_be_bytes(v.try_into().ok()?).to_string(),
        23 => i32::from_be_bytes(v.try_into().ok()?).to_string(),
        26 => u32::from_be_bytes(v.try_into().ok()?).to_string(),
        _ => i64::from_be_bytes(v.try_into().ok()?).to_string(),
    })
}

/// Renders a binary value of type `oid`.
pub(crate) fn binary(oid: i32, v: &[u8]) -> String {
    let s = match oid {
        16 => match v {
            [0] => Some("f".to_string()),
            [1] => Some("t".to_string()),
            _ => None,
        },
        20 | 21 | 23 | 26 => int(oid, v),
        700 => v.try_into().ok().map(|b| f32::from_be_bytes(b).to_string()),
        701 => v.try_into().ok().map(|b| f64::from_be_bytes(b).to_string()),
        18 | 19 | 25 | 114 | 1042 | 1043 => Some(text(v)),
        3802 => match v.split_first() {
            Some((1, rest)) => Some(text(rest)),
            _ => None,
        },
        2950 => uuid(v),
        _ => None,
    };
    s.unwrap_or_else(|| hex(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_types_and_fallback() {
        assert_eq!(binary(23, &42i32.to_be_bytes()), "42");
        assert_eq!(binary(20, &(-7i64).to_be_bytes()), "-7");
        assert_eq!(binary(16, &[1]), "t");
        assert_eq!(binary(701, &1.5f64.to_be_bytes()), "1.5");
        assert_eq!(binary(25, b"hi"), "hi");
        assert_eq!(binary(3802, b"\x01{}"), "{}");
        assert_eq!(binary(2950, &[0x12; 16]), "12121212-1212-1212-1212-121212121212");
        assert_eq!(binary(23, &[1, 2]), "\\x0102");
        assert_eq!(binary(0, &[0xff]), "\\xff");
    }
}
