//! Best-effort redaction of personal data in free text (`px.redact_pii_best_effort`), with Pixie's
//! categories: IBAN, e-mail, IPv6, IPv4, MAC address, IMEI/IMEISV, credit-card number and US SSN.
//!
//! Every tagger proposes spans; where spans overlap the longest wins (ties go to the earlier tagger);
//! each kept span is replaced by its category's marker, e.g. `<REDACTED_EMAIL>`.

mod checks;
mod taggers;

use taggers::TAGGERS;

/// One proposed redaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
    /// Index of the tagger (its priority on equal length).
    tagger: usize,
}

/// `text` with every recognised piece of personal data replaced by a marker.
pub(crate) fn redact(text: &str) -> String {
    let mut spans: Vec<Span> = Vec::new();
    for (i, tagger) in TAGGERS.iter().enumerate() {
        for (start, end) in (tagger.find)(text) {
            spans.push(Span { start, end, tagger: i });
        }
    }
    spans.sort_by(|a, b| (b.end - b.start).cmp(&(a.end - a.start)).then(a.tagger.cmp(&b.tagger)));
    let mut kept: Vec<Span> = Vec::new();
    for s in spans {
        if kept.iter().all(|k| s.end <= k.start || s.start >= k.end) {
            kept.push(s);
        }
    }
    kept.sort_by_key(|s| s.start);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for s in kept {
        out.push_str(&text[last..s.start]);
        out.push_str(TAGGERS[s.tagger].marker);
        last = s.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn every_category() {
        let cases = [
            ("iban DE89 3704 0044 0532 0130 00 end", "iban <REDACTED_IBAN> end"),
            ("bad iban DE00370400440532013000", "bad iban DE00370400440532013000"),
            ("mail bob.smith+x@example.co.uk now", "mail <REDACTED_EMAIL> now"),
            ("url-encoded bob%40example.com", "url-encoded <REDACTED_EMAIL>"),
            (
                "v6 2001:db8::8a2e:370:7334 and ::ffff:10.0.0.1",
                "v6 <REDACTED_IPV6> and <REDACTED_IPV6>",
            ),
            ("from 192.168.1.20 to 256.1.1.1", "from <REDACTED_IPV4> to 256.1.1.1"),
            (
                "mac 00:1A:2b:3c:4D:5e / 00-1a-2b-3c-4d-5e",
                "mac <REDACTED_MAC_ADDR> / <REDACTED_MAC_ADDR>",
            ),
            (
                "imei 49-015420-323751-8 sv 49-015420-323751-89",
                "imei <REDACTED_IMEI> sv <REDACTED_IMEI>",
            ),
            ("imei bad 49-015420-323751-7", "imei bad 49-015420-323751-7"),
            (
                "card 4111 1111 1111 1111, bad 4111 1111 1111 1112",
                "card <REDACTED_CC_NUMBER>, bad 4111 1111 1111 1112",
            ),
            (
                "ssn 123-45-6789 not 000-45-6789 or 123-00-6789",
                "ssn <REDACTED_SSN> not 000-45-6789 or 123-00-6789",
            ),
            ("nothing here at 12:30:45", "nothing here at 12:30:45"),
        ];
        for (input, want) in cases {
            assert_eq!(redact(input), want, "{input}");
        }
    }
}
