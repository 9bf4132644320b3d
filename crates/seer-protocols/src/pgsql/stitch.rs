//! Pairs frontend messages with the backend messages that answer them, following the protocol flow
//! (simple query: everything up to ReadyForQuery; extended query: one answer per message, and after
//! an error the server skips to Sync), and renders records as Pixie does.
//!
//! Statements and portals are tracked per connection, so Execute shows the query it runs with its
//! bound parameters, and binary values are decoded by their types.

use std::collections::{HashMap, VecDeque};

use super::frame::{CANCEL_REQUEST, Frame, GSSENC_REQUEST, SSL_ANSWER, SSL_REQUEST, STARTUP};
use super::msg::{self, Field};

/// Longest `req` / `resp` text kept (Pixie's default string column limit).
pub(crate) const MAX_TEXT: usize = 1024;
/// Prepared statements / portals remembered per connection.
const MAX_NAMED: usize = 256;

/// A record before it gets its row head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pair {
    pub req_cmd: &'static str,
    pub req: String,
    pub resp: String,
    pub req_ts: u64,
    pub resp_ts: u64,
}

/// What handling the head request did.
pub(crate) enum Outcome {
    /// Its answer is not complete yet.
    Wait,
    /// Consumed `n` response frames; maybe a record.
    Done { n: usize, pair: Option<Pair> },
    /// The answer does not fit the request: dropped.
    Desync,
}

#[derive(Debug, Clone, Default)]
struct Stmt {
    query: String,
    param_oids: Vec<i32>,
    fields: Vec<Field>,
}

#[derive(Debug, Clone, Default)]
struct Portal {
    query: String,
    params: Vec<String>,
    fields: Vec<Field>,
}

/// Per-connection statement and portal names.
#[derive(Debug, Default)]
pub(crate) struct State {
    stmts: HashMap<String, Stmt>,
    portals: HashMap<String, Portal>,
    /// The server agreed to TLS/GSS encryption: the rest is ciphertext.
    pub encrypted: bool,
    cap: usize,
}

impl State {
    pub(crate) fn held_bytes(&self) -> usize {
        let s: usize = self.stmts.iter().map(|(k, v)| k.len() + v.query.len() + 64).sum();
        let p: usize = self
            .portals
            .iter()
            .map(|(k, v)| k.len() + v.query.len() + v.params.iter().map(String::len).sum::<usize>() + 64)
            .sum();
        s + p
    }

    /// Bytes the remembered statements and portals may hold (beyond it they are forgotten).
    pub(crate) fn set_cap(&mut self, cap: usize) {
        self.cap = cap;
    }

    fn put_stmt(&mut self, name: String, s: Stmt) {
        if self.stmts.len() >= MAX_NAMED && !self.stmts.contains_key(&name) || self.held_bytes() > self.cap {
            self.stmts.clear();
            self.portals.clear();
        }
        self.stmts.insert(name, s);
    }

    fn put_portal(&mut self, name: String, p: Portal) {
        if self.portals.len() >= MAX_NAMED && !self.portals.contains_key(&name) || self.held_bytes() > self.cap {
            self.portals.clear();
        }
        self.portals.insert(name, p);
    }
}

/// Messages the server may send at any time; they answer nothing.
fn is_async(tag: u8) -> bool {
    matches!(tag, b'N' | b'A' | b'S')
}

/// Response frames that count, with their queue index.
fn answers(resps: &VecDeque<Frame>) -> impl Iterator<Item = (usize, &Frame)> {
    resps.iter().enumerate().filter(|(_, f)| !is_async(f.tag))
}

fn done(n: usize, pair: Option<Pair>) -> Outcome {
    Outcome::Done { n, pair }
}

fn pair(cmd: &'static str, req: &Frame, req_text: String, resp: String, resp_ts: u64) -> Option<Pair> {
    Some(Pair {
        req_cmd: cmd,
        req: req_text,
        resp,
        req_ts: req.ts,
        resp_ts,
    })
}

/// Handles the head request `req` against the queued responses.
pub(crate) fn handle(req: &Frame, resps: &VecDeque<Frame>, st: &mut State) -> Outcome {
    let first = answers(resps).next();
    match req.tag {
        STARTUP => match answers(resps).find(|(_, f)| matches!(f.tag, b'Z' | b'E')) {
            Some((i, _)) => done(i + 1, None),
            None => Outcome::Wait,
        },
        SSL_REQUEST | GSSENC_REQUEST => match first {
            Some((i, f)) if f.tag == SSL_ANSWER => {
                st.encrypted = matches!(f.payload.first(), Some(b'S' | b'G'));
                done(i + 1, None)
            }
            Some(_) => done(0, None),
            None => Outcome::Wait,
        },
        CANCEL_REQUEST | b'p' | b'X' | b'H' | b'd' | b'c' | b'f' | b'F' => done(0, None),
        b'Q' => simple_query(req, resps),
        b'P' => parse(req, first, st),
        b'B' => bind(req, first, st),
        b'D' => describe(req, resps, st),
        b'E' => execute(req, resps, st),
        b'S' => match answers(resps).find(|(_, f)| f.tag == b'Z') {
            Some((i, _)) => done(i + 1, None),
            None => Outcome::Wait,
        },
        b'C' => close(req, first, st),
        _ => Outcome::Desync,
    }
}

/// Renders result sets, errors and empty-query answers of one simple Query (or one Execute when
/// `with_header` is false) from `frames`; returns the text and the timestamp of the last answer.
fn render_results<'a>(
    frames: impl Iterator<Item = &'a Frame>,
    mut fields: Vec<Field>,
    with_header: bool,
) -> (String, u64) {
    let mut parts: Vec<String> = Vec::new();
    let mut rows: Vec<String> = Vec::new();
    let mut folded = 0u64;
    let mut ts = 0;
    for f in frames {
        match f.tag {
            b'T' => {
                fields = msg::row_desc(&f.payload);
                rows.clear();
            }
            b'D' => {
                rows.push(msg::render_data_row(&f.payload, &fields));
                folded += f.extra_rows;
            }
            b'C' | b'I' | b's' | b'E' => {
                let end = match f.tag {
                    b'C' => msg::cstring_payload(&f.payload),
                    b'I' => String::new(),
                    b's' => "PORTAL SUSPENDED".to_string(),
                    _ => msg::render_error(&f.payload),
                };
                let mut text = String::new();
                if !rows.is_empty() {
                    if with_header && !fields.is_empty() {
                        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                        text.push_str(&names.join(","));
                        text.push('\n');
                    }
                    text.push_str(&rows.join("\n"));
                    text.push('\n');
                    if folded > 0 {
                        text.push_str(crate::text::TRUNCATED_SUFFIX);
                        text.push('\n');
                    }
                }
                text.push_str(&end);
                parts.push(text);
                rows.clear();
                folded = 0;
                ts = f.ts;
            }
            _ => ts = ts.max(f.ts),
        }
    }
    (parts.join("\n"), ts)
}

fn simple_query(req: &Frame, resps: &VecDeque<Frame>) -> Outcome {
    let Some((end, z)) = answers(resps).find(|(_, f)| f.tag == b'Z') else {
        return Outcome::Wait;
    };
    let (text, ts) = render_results(resps.iter().take(end), Vec::new(), true);
    let ts = if ts == 0 { z.ts } else { ts };
    done(
        end + 1,
        pair("Query", req, msg::cstring_payload(&req.payload), text, ts),
    )
}

fn parse(req: &Frame, first: Option<(usize, &Frame)>, st: &mut State) -> Outcome {
    let Some((i, f)) = first else { return Outcome::Wait };
    let p = match (msg::parse(&req.payload), req.truncated) {
        (Some(p), _) => p,
        (None, true) => msg::parse_cut(&req.payload),
        (None, false) => return Outcome::Desync,
    };
    let resp = match f.tag {
        b'1' => {
            let stmt = Stmt {
                query: p.query.clone(),
                param_oids: p.param_oids,
                fields: Vec::new(),
            };
            st.put_stmt(p.name, stmt);
            "PARSE COMPLETE".to_string()
        }
        b'E' => msg::render_error(&f.payload),
        b'Z' => return done(0, None),
        _ => return Outcome::Desync,
    };
    done(i + 1, pair("Parse", req, p.query, resp, f.ts))
}

fn bind(req: &Frame, first: Option<(usize, &Frame)>, st: &mut State) -> Outcome {
    let Some((i, f)) = first else { return Outcome::Wait };
    let parsed = match req.truncated {
        false => msg::bind(&req.payload),
        true => msg::bind_cut(&req.payload),
    };
    let Some(b) = parsed else {
        return Outcome::Desync;
    };
    let stmt = st.stmts.get(&b.statement).cloned().unwrap_or_default();
    let req_text = msg::render_bind(&b, &stmt.param_oids);
    let resp = match f.tag {
        b'2' => {
            let params = b
                .params
                .iter()
                .enumerate()
                .map(|(k, p)| msg::param_value(p, stmt.param_oids.get(k).copied()))
                .collect();
            let mut fields = stmt.fields.clone();
            for (k, field) in fields.iter_mut().enumerate() {
                field.binary = match b.result_binary.len() {
                    0 => false,
                    1 => b.result_binary.first().copied().unwrap_or(false),
                    _ => b.result_binary.get(k).copied().unwrap_or(false),
                };
            }
            let portal = Portal {
                query: stmt.query,
                params,
                fields,
            };
            st.put_portal(b.portal, portal);
            "BIND COMPLETE".to_string()
        }
        b'E' => msg::render_error(&f.payload),
        b'Z' => return done(0, None),
        _ => return Outcome::Desync,
    };
    done(i + 1, pair("Bind", req, req_text, resp, f.ts))
}

fn describe(req: &Frame, resps: &VecDeque<Frame>, st: &mut State) -> Outcome {
    let Some((kind, name)) = msg::target(&req.payload) else {
        return Outcome::Desync;
    };
    let mut it = answers(resps);
    let Some((i, f)) = it.next() else { return Outcome::Wait };
    let req_text = msg::render_describe(kind, &name);
    let (last, fields) = match (kind, f.tag) {
        (_, b'E') => {
            return done(
                i + 1,
                pair("Describe", req, req_text, msg::render_error(&f.payload), f.ts),
            );
        }
        (_, b'Z') => return done(0, None),
        (b'S', b't') => {
            let oids = msg::param_desc(&f.payload);
            let Some((j, g)) = it.next() else { return Outcome::Wait };
            let fields = match g.tag {
                b'T' => msg::row_desc(&g.payload),
                b'n' => Vec::new(),
                _ => return Outcome::Desync,
            };
            if let Some(s) = st.stmts.get_mut(&name) {
                s.param_oids = oids;
                s.fields = fields.clone();
            }
            ((j, g), fields)
        }
        (b'P', b'T') => {
            let fields = msg::row_desc(&f.payload);
            if let Some(p) = st.portals.get_mut(&name) {
                p.fields = fields.clone();
            }
            ((i, f), fields)
        }
        (b'P', b'n') => ((i, f), Vec::new()),
        _ => return Outcome::Desync,
    };
    let resp = msg::render_row_desc(&fields);
    done(last.0 + 1, pair("Describe", req, req_text, resp, last.1.ts))
}

fn execute(req: &Frame, resps: &VecDeque<Frame>, st: &mut State) -> Outcome {
    let mut end = None;
    let mut rows = false;
    for (i, f) in answers(resps) {
        match f.tag {
            b'Z' if !rows => return done(0, None),
            b'C' | b'I' | b's' | b'E' => {
                end = Some(i);
                break;
            }
            b'D' => rows = true,
            // CopyInResponse / CopyOutResponse / CopyBothResponse: a COPY runs; its
            // CommandComplete ends the answer.
            b'G' | b'H' | b'W' => rows = true,
            _ => return Outcome::Desync,
        }
    }
    let Some(end) = end else { return Outcome::Wait };
    let portal_name = {
        let mut r = crate::l7::Reader::new(&req.payload);
        r.cstr().map(msg::text).unwrap_or_default()
    };
    let portal = st.portals.get(&portal_name).cloned().unwrap_or_default();
    let req_text = format!("query=[{}] params=[{}]", portal.query, portal.params.join(", "));
    let (text, ts) = render_results(resps.iter().take(end + 1), portal.fields, false);
    done(end + 1, pair("Execute", req, req_text, text, ts))
}

fn close(req: &Frame, first: Option<(usize, &Frame)>, st: &mut State) -> Outcome {
    let Some((i, f)) = first else { return Outcome::Wait };
    match f.tag {
        b'3' => {
            if let Some((kind, name)) = msg::target(&req.payload) {
                if kind == b'S' {
                    st.stmts.remove(&name);
                } else {
                    st.portals.remove(&name);
                }
            }
            done(i + 1, None)
        }
        b'E' => done(i + 1, None),
        b'Z' => done(0, None),
        _ => Outcome::Desync,
    }
}
