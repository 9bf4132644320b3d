//! The taggers, in Pixie's order: each finds candidate spans and confirms them.

use std::net::Ipv6Addr;
use std::sync::LazyLock;

use regex::Regex;

use super::checks::{iban_len, luhn, ssn_ok};

/// One category.
pub(super) struct Tagger {
    /// Replacement text.
    pub marker: &'static str,
    /// Confirmed spans (byte ranges) in the text.
    pub find: fn(&str) -> Vec<(usize, usize)>,
}

pub(super) static TAGGERS: &[Tagger] = &[
    Tagger {
        marker: "<REDACTED_IBAN>",
        find: iban,
    },
    Tagger {
        marker: "<REDACTED_EMAIL>",
        find: email,
    },
    Tagger {
        marker: "<REDACTED_IPV6>",
        find: ipv6,
    },
    Tagger {
        marker: "<REDACTED_IPV4>",
        find: ipv4,
    },
    Tagger {
        marker: "<REDACTED_MAC_ADDR>",
        find: mac,
    },
    Tagger {
        marker: "<REDACTED_IMEI>",
        find: imei,
    },
    Tagger {
        marker: "<REDACTED_IMEI>",
        find: imeisv,
    },
    Tagger {
        marker: "<REDACTED_CC_NUMBER>",
        find: credit_card,
    },
    Tagger {
        marker: "<REDACTED_SSN>",
        find: ssn,
    },
];

fn re(pattern: &str) -> Regex {
    // The patterns are constants checked by the tests; an invalid one matches nothing.
    Regex::new(pattern).unwrap_or_else(|_| Regex::new("[^\\s\\S]").unwrap_or_else(|_| unreachable!()))
}

macro_rules! regex {
    ($p:expr) => {{
        static RE: LazyLock<Regex> = LazyLock::new(|| re($p));
        &*RE
    }};
}

fn spans(re: &Regex, text: &str, ok: impl Fn(&str) -> bool) -> Vec<(usize, usize)> {
    re.find_iter(text)
        .filter(|m| ok(m.as_str()))
        .map(|m| (m.start(), m.end()))
        .collect()
}

fn iban(text: &str) -> Vec<(usize, usize)> {
    let re = regex!(r"\b[A-Za-z]{2}[ -]?[0-9]{2}[ -]?(?:[A-Za-z0-9][ -]?){11,28}");
    re.find_iter(text)
        .filter_map(|m| iban_len(m.as_str()).map(|len| (m.start(), m.start() + len)))
        .collect()
}

fn email(text: &str) -> Vec<(usize, usize)> {
    let re = regex!(
        r"[0-9a-zA-Z!#$%&'*+\-/=?^_`{|}~.]+(?:@|%40)[0-9a-zA-Z](?:[0-9a-zA-Z-]*[0-9a-zA-Z])?(?:\.[0-9a-zA-Z](?:[0-9a-zA-Z-]*[0-9a-zA-Z])?)+"
    );
    spans(re, text, |_| true)
}

fn ipv6(text: &str) -> Vec<(usize, usize)> {
    let re = regex!(r"[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z]+)?");
    re.find_iter(text)
        .filter_map(|m| {
            let s = m.as_str().trim_end_matches('.');
            let addr = s.split('%').next().unwrap_or(s);
            let valid = addr.chars().any(|c| c.is_ascii_hexdigit()) && addr.parse::<Ipv6Addr>().is_ok();
            valid.then(|| (m.start(), m.start() + s.len()))
        })
        .collect()
}

fn ipv4(text: &str) -> Vec<(usize, usize)> {
    let re = regex!(concat!(
        r"\b(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])",
        r"(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\b"
    ));
    spans(re, text, |_| true)
}

fn mac(text: &str) -> Vec<(usize, usize)> {
    let re = regex!(r"\b(?:(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}|(?:[0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2})\b");
    spans(re, text, |_| true)
}

fn imei(text: &str) -> Vec<(usize, usize)> {
    spans(regex!(r"\b[0-9]{2}-[0-9]{6}-[0-9]{6}-[0-9]\b"), text, luhn)
}

fn imeisv(text: &str) -> Vec<(usize, usize)> {
    spans(regex!(r"\b[0-9]{2}-[0-9]{6}-[0-9]{6}-[0-9]{2}\b"), text, |_| true)
}

fn credit_card(text: &str) -> Vec<(usize, usize)> {
    spans(regex!(r"\b(?:[0-9][ -]?){12,18}[0-9]\b"), text, luhn)
}

fn ssn(text: &str) -> Vec<(usize, usize)> {
    let re = regex!(r"\b([0-9]{3})[ -]+([0-9]{2})[ -]+([0-9]{4})\b");
    re.captures_iter(text)
        .filter(|c| ssn_ok(&c[1], &c[2], &c[3]))
        .filter_map(|c| c.get(0).map(|m| (m.start(), m.end())))
        .collect()
}
