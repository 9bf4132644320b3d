//! Checksums and tables that confirm a candidate match.

/// IBAN countries and their IBAN lengths.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NL", 18),
    ("NO", 15),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("SA", 24),
    ("SC", 31),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
];

/// The length of the IBAN inside `candidate` (in bytes of `candidate`), if it holds a valid one.
pub(super) fn iban_len(candidate: &str) -> Option<usize> {
    let country = candidate.get(..2)?.to_ascii_uppercase();
    let (_, want) = IBAN_LENGTHS.iter().find(|(c, _)| *c == country)?;
    let mut chars = String::new();
    let mut end = 0;
    for (i, c) in candidate.char_indices() {
        if c.is_ascii_alphanumeric() {
            chars.push(c.to_ascii_uppercase());
            end = i + 1;
            if chars.len() == *want {
                break;
            }
        }
    }
    (chars.len() == *want && mod97(&chars) == Some(1)).then_some(end)
}

/// ISO 7064 MOD 97-10 of an IBAN (country and check digits moved to the end).
fn mod97(iban: &str) -> Option<u32> {
    let rotated = format!("{}{}", iban.get(4..)?, iban.get(..4)?);
    let mut rem = 0u32;
    for c in rotated.chars() {
        let v = c.to_digit(36)?;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    Some(rem)
}

/// The Luhn check over the digits of `s`.
pub(super) fn luhn(s: &str) -> bool {
    let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                *d
            }
        })
        .sum();
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// US SSN rules: area not 000, 666 or 900–999; group not 00; serial not 0000.
pub(super) fn ssn_ok(area: &str, group: &str, serial: &str) -> bool {
    let area: u32 = area.parse().unwrap_or(0);
    area != 0 && area != 666 && area < 900 && group != "00" && serial != "0000"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums() {
        assert_eq!(iban_len("GB82 WEST 1234 5698 7654 32 tail"), Some(27));
        assert_eq!(iban_len("GB82 WEST 1234 5698 7654 33"), None);
        assert!(luhn("4111-1111-1111-1111"));
        assert!(!luhn("4111-1111-1111-1112"));
        assert!(ssn_ok("123", "45", "6789"));
        assert!(!ssn_ok("666", "45", "6789"));
    }
}
