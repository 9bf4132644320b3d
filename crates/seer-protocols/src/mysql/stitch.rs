//! Pairs each command with the packets that answer it, following the structure of each answer
//! (OK / ERR / EOF, text and binary result sets with optional EOF packets, multiple result sets,
//! `COM_STMT_PREPARE_OK` with its definitions), checking sequence ids, and renders records as Pixie
//! does: `req_body` is the query (or the prepared query with its parameters filled in),
//! `resp_status` 1 none / 2 OK / 3 error, `resp_body` the error message or `Resultset rows = N`.

use std::collections::{HashMap, VecDeque};

use super::frame::Packet;
use super::msg::{self, Prepared};
use crate::l7::Reader;

/// `resp_status` values.
pub(crate) const STATUS_UNKNOWN: i64 = 0;
pub(crate) const STATUS_NONE: i64 = 1;
pub(crate) const STATUS_OK: i64 = 2;
pub(crate) const STATUS_ERR: i64 = 3;

/// Prepared statements remembered per connection.
const MAX_STMTS: usize = 256;

/// A record before it gets its row head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rec {
    pub cmd: u8,
    pub req_body: String,
    pub status: i64,
    pub resp_body: String,
    pub req_ts: u64,
    pub resp_ts: u64,
}

/// What handling the head command did.
pub(crate) enum Outcome {
    Wait,
    Done { n: usize, rec: Option<Rec> },
    Desync,
}

/// Per-connection prepared statements.
#[derive(Debug, Default)]
pub(crate) struct State {
    stmts: HashMap<u32, Prepared>,
    cap: usize,
}

impl State {
    /// A state whose statements hold at most about `cap` bytes (beyond it they are forgotten).
    pub(crate) fn with_cap(cap: usize) -> Self {
        Self {
            stmts: HashMap::new(),
            cap,
        }
    }

    pub(crate) fn held_bytes(&self) -> usize {
        self.stmts
            .values()
            .map(|s| s.query.len() + 2 * s.types.len() + 64)
            .sum()
    }
}

enum Stop {
    Wait,
    Desync,
}

/// Walks the answer packets in order, checking sequence ids.
struct Walk<'a> {
    resps: &'a VecDeque<Packet>,
    i: usize,
    seq: u8,
    /// Another command follows, so an answer that may end here does end here.
    more_reqs: bool,
    last_ts: u64,
}

impl<'a> Walk<'a> {
    fn peek(&self) -> Result<&'a Packet, Stop> {
        let p = self.resps.get(self.i).ok_or(Stop::Wait)?;
        if p.seq != self.seq {
            return Err(Stop::Desync);
        }
        Ok(p)
    }

    /// Whether the answer may continue (`false` once it is known to end here).
    fn has_more(&self) -> Result<bool, Stop> {
        match self.resps.get(self.i) {
            Some(p) => Ok(p.seq == self.seq),
            None if self.more_reqs => Ok(false),
            None => Err(Stop::Wait),
        }
    }

    fn next(&mut self) -> Result<&'a Packet, Stop> {
        let p = self.peek()?;
        self.i += 1;
        self.seq = self.seq.wrapping_add(1);
        self.last_ts = p.ts;
        Ok(p)
    }
}

fn rec(req: &Packet, req_body: String, status: i64, resp_body: String, resp_ts: u64) -> Option<Rec> {
    Some(Rec {
        cmd: req.first().unwrap_or(0),
        req_body,
        status,
        resp_body,
        req_ts: req.ts,
        resp_ts,
    })
}

/// Handles the head command `req`.
pub(crate) fn handle(req: &Packet, resps: &VecDeque<Packet>, more_reqs: bool, st: &mut State) -> Outcome {
    let Some(cmd) = req.first() else { return Outcome::Desync };
    let body = req.payload.get(1..).unwrap_or_default();
    match cmd {
        msg::COM_QUIT | msg::COM_STMT_SEND_LONG_DATA => Outcome::Done {
            n: 0,
            rec: rec(req, String::new(), STATUS_NONE, String::new(), req.ts),
        },
        msg::COM_STMT_CLOSE => {
            if let Some(id) = msg::stmt_id(&req.payload) {
                st.stmts.remove(&id);
            }
            Outcome::Done {
                n: 0,
                rec: rec(req, String::new(), STATUS_NONE, String::new(), req.ts),
            }
        }
        _ => {
            let req_body = match cmd {
                c if msg::string_command(c) => msg::text(body),
                msg::COM_STMT_EXECUTE => execute_body(req, st),
                _ => String::new(),
            };
            let mut w = Walk {
                resps,
                i: 0,
                seq: 1,
                more_reqs,
                last_ts: req.ts,
            };
            let answer = match cmd {
                msg::COM_QUERY | msg::COM_STMT_EXECUTE | msg::COM_STMT_FETCH => results(&mut w),
                msg::COM_STMT_PREPARE => prepare(&mut w, req_body.clone(), st),
                msg::COM_FIELD_LIST => field_list(&mut w),
                msg::COM_CHANGE_USER => change_user(&mut w),
                msg::COM_STATISTICS => w.next().map(|p| (STATUS_OK, msg::text(&p.payload))),
                c if msg::is_command(c) => basic(&mut w),
                _ => Err(Stop::Desync),
            };
            match answer {
                Ok((status, resp_body)) => Outcome::Done {
                    n: w.i,
                    rec: rec(req, req_body, status, resp_body, w.last_ts),
                },
                Err(Stop::Wait) => Outcome::Wait,
                Err(Stop::Desync) => Outcome::Desync,
            }
        }
    }
}

fn execute_body(req: &Packet, st: &mut State) -> String {
    let Some(id) = msg::stmt_id(&req.payload) else {
        return String::new();
    };
    match st.stmts.get_mut(&id) {
        Some(stmt) => msg::execute_body(&req.payload, stmt).unwrap_or_else(|| stmt.query.clone()),
        None => format!("Execute stmt_id={id}."),
    }
}

/// OK, EOF or ERR.
fn basic(w: &mut Walk<'_>) -> Result<(i64, String), Stop> {
    let p = w.next()?;
    Ok(match p.first() {
        Some(0x00 | 0xfe) => (STATUS_OK, String::new()),
        Some(0xff) => (STATUS_ERR, msg::err_message(&p.payload)),
        _ => (STATUS_UNKNOWN, String::new()),
    })
}

/// `n` column definitions.
fn definitions(w: &mut Walk<'_>, n: usize) -> Result<(), Stop> {
    for _ in 0..n {
        if !msg::is_column_def(&w.next()?.payload) {
            return Err(Stop::Desync);
        }
    }
    Ok(())
}

/// An EOF packet here, if there is one (servers without `CLIENT_DEPRECATE_EOF`).
fn optional_eof(w: &mut Walk<'_>) -> Result<(), Stop> {
    if w.has_more()? {
        let p = w.peek()?;
        if p.first() == Some(0xfe) && p.len <= 5 {
            w.next()?;
        }
    }
    Ok(())
}

/// A COM_QUERY / COM_STMT_EXECUTE answer: OK, ERR, or result sets, possibly several.
fn results(w: &mut Walk<'_>) -> Result<(i64, String), Stop> {
    let mut sets: Vec<String> = Vec::new();
    loop {
        let first = w.next()?;
        let more = match first.first() {
            Some(0xff) => return Ok((STATUS_ERR, msg::err_message(&first.payload))),
            Some(0x00) => msg::status_flags(&first.payload, first.len),
            Some(0xfb) => return Ok((STATUS_UNKNOWN, sets.join(", "))),
            _ => {
                let (rows, flags) = result_set(w, first)?;
                match rows {
                    Ok(n) => sets.push(format!("Resultset rows = {n}")),
                    Err(e) => return Ok((STATUS_ERR, e)),
                }
                flags
            }
        };
        if more & msg::MORE_RESULTS == 0 {
            return Ok((STATUS_OK, sets.join(", ")));
        }
    }
}

/// One result set after its column-count packet: `(Ok(rows) | Err(message), status flags)`.
fn result_set(w: &mut Walk<'_>, count: &Packet) -> Result<(Result<u64, String>, u16), Stop> {
    let mut r = Reader::new(&count.payload);
    let n = msg::lenenc(&mut r).ok_or(Stop::Desync)?;
    let n = usize::try_from(n).map_err(|_| Stop::Desync)?;
    if n == 0 || n > 4096 {
        return Err(Stop::Desync);
    }
    // MariaDB's metadata-cache extension: a trailing byte says whether definitions follow.
    let defs_follow = r.u8().is_none_or(|b| b == 1);
    if defs_follow {
        definitions(w, n)?;
        let p = w.peek()?;
        if p.first() == Some(0xfe) && p.len <= 5 {
            w.next()?;
        }
    }
    let mut rows = 0u64;
    loop {
        let p = w.next()?;
        if msg::is_err(&p.payload) {
            return Ok((Err(msg::err_message(&p.payload)), 0));
        }
        if msg::is_eof_or_ok_fe(&p.payload, p.len) {
            return Ok((Ok(rows), msg::status_flags(&p.payload, p.len)));
        }
        rows += 1;
    }
}

fn prepare(w: &mut Walk<'_>, query: String, st: &mut State) -> Result<(i64, String), Stop> {
    let first = w.next()?;
    if msg::is_err(&first.payload) {
        return Ok((STATUS_ERR, msg::err_message(&first.payload)));
    }
    let (id, cols, params) = msg::prepare_ok(&first.payload).ok_or(Stop::Desync)?;
    if params > 0 {
        definitions(w, params)?;
        optional_eof(w)?;
    }
    if cols > 0 {
        definitions(w, cols)?;
        optional_eof(w)?;
    }
    if st.stmts.len() >= MAX_STMTS && !st.stmts.contains_key(&id) || st.held_bytes() > st.cap {
        st.stmts.clear();
    }
    st.stmts.insert(
        id,
        Prepared {
            query,
            num_params: params,
            types: Vec::new(),
        },
    );
    Ok((STATUS_OK, String::new()))
}

fn field_list(w: &mut Walk<'_>) -> Result<(i64, String), Stop> {
    loop {
        let p = w.next()?;
        if msg::is_err(&p.payload) {
            return Ok((STATUS_ERR, msg::err_message(&p.payload)));
        }
        if msg::is_eof_or_ok_fe(&p.payload, p.len) {
            return Ok((STATUS_OK, String::new()));
        }
    }
}

/// The answer ends with OK or ERR; authentication packets come in between (the client's packets
/// take sequence ids in between, so they are not checked here).
fn change_user(w: &mut Walk<'_>) -> Result<(i64, String), Stop> {
    loop {
        let p = w.resps.get(w.i).ok_or(Stop::Wait)?;
        w.i += 1;
        w.last_ts = p.ts;
        match p.first() {
            Some(0x00) => return Ok((STATUS_OK, String::new())),
            Some(0xff) => return Ok((STATUS_ERR, msg::err_message(&p.payload))),
            _ => {}
        }
    }
}
