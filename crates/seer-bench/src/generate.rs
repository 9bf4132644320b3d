//! Deterministic synthetic `http_events` rows, shaped like a busy host's server-side HTTP traffic.
//!
//! 50 services × 4 processes (UPIDs), each service with 9 paths of its own plus a shared `/healthz`
//! (451 distinct paths, 500 service × path pairs); traffic skewed toward the first services; a status mix
//! with ~17 % errors (≥ 400); latency log-normal around a per-path median (1–40 ms, σ = 0.9, errors
//! slower); timestamps spread evenly over the span, in order, as an agent appends them.

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanArray, FixedSizeBinaryArray, Int64Array, RecordBatch, StringArray, TimestampNanosecondArray,
};
use arrow::error::ArrowError;
use seer_types::Upid;
use seer_types::tables::HTTP_EVENTS;

/// Services in the data.
pub const SERVICES: usize = 50;
/// Processes (UPIDs) per service.
pub const PROCS_PER_SERVICE: usize = 4;
/// Paths owned by each service (plus the shared `/healthz`).
const OWN_PATHS: usize = 9;
const RESOURCES: [&str; OWN_PATHS] = [
    "users", "orders", "items", "carts", "payments", "sessions", "search", "reviews", "stock",
];
/// (status, cumulative weight in ‰, message).
const STATUSES: [(i64, u32, &str); 10] = [
    (200, 740, "OK"),
    (201, 790, "Created"),
    (204, 810, "No Content"),
    (304, 830, "Not Modified"),
    (400, 860, "Bad Request"),
    (404, 930, "Not Found"),
    (429, 940, "Too Many Requests"),
    (500, 980, "Internal Server Error"),
    (502, 990, "Bad Gateway"),
    (503, 1000, "Service Unavailable"),
];

/// splitmix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator with `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// The process behind UPID number `i` (`service = i / PROCS_PER_SERVICE`).
pub fn upid(i: usize) -> Upid {
    let pid = 1000 + i as u32 * 7;
    Upid::new(1, pid, 10_000 + i as u64 * 13)
}

/// What `df.ctx['cmdline']` shows for UPID number `i`: the service's command line.
pub fn cmdline(i: usize) -> String {
    let svc = i / PROCS_PER_SERVICE;
    format!("/usr/bin/svc-{svc:02} --port {}", 8000 + svc)
}

fn path(svc: usize, p: usize) -> String {
    match RESOURCES.get(p) {
        Some(res) => format!("/api/v1/svc-{svc:02}/{res}"),
        None => "/healthz".to_string(),
    }
}

/// Everything that varies per row, before it becomes Arrow columns.
#[derive(Debug, Default)]
struct Columns {
    time: Vec<i64>,
    upid: Vec<[u8; 16]>,
    remote_addr: Vec<String>,
    remote_port: Vec<i64>,
    local_addr: Vec<String>,
    local_port: Vec<i64>,
    content_type: Vec<i64>,
    req_headers: Vec<String>,
    req_method: Vec<&'static str>,
    req_path: Vec<String>,
    req_body: Vec<String>,
    resp_headers: Vec<String>,
    resp_status: Vec<i64>,
    resp_message: Vec<&'static str>,
    resp_body: Vec<String>,
    latency: Vec<i64>,
}

/// Generates `http_events` rows in batches (logical schema), row `i` at
/// `start_ns + i * span_ns / rows` plus jitter inside its slot.
#[derive(Debug)]
pub struct Generator {
    rng: Rng,
    rows: usize,
    next: usize,
    start_ns: i64,
    span_ns: i64,
    /// Median latency (ns) per (service, path).
    medians: Vec<f64>,
}

impl Generator {
    /// A generator of `rows` rows over `[start_ns, start_ns + span_ns)`.
    pub fn new(seed: u64, rows: usize, start_ns: i64, span_ns: i64) -> Self {
        let mut rng = Rng::new(seed);
        let medians = (0..SERVICES * (OWN_PATHS + 1))
            .map(|_| 1e6 * (1.0 + 39.0 * rng.unit()))
            .collect();
        Self {
            rng: Rng::new(seed ^ 0x5EE7),
            rows,
            next: 0,
            start_ns,
            span_ns,
            medians,
        }
    }

    /// The next batch of at most `n` rows, or `None` when all rows were produced.
    pub fn batch(&mut self, n: usize) -> Option<Result<RecordBatch, ArrowError>> {
        let n = n.min(self.rows - self.next);
        if n == 0 {
            return None;
        }
        let mut c = Columns::default();
        for _ in 0..n {
            self.row(&mut c);
        }
        Some(to_batch(c, n))
    }

    fn row(&mut self, c: &mut Columns) {
        let r = &mut self.rng;
        let slot = self.span_ns as f64 / self.rows as f64;
        let t = self.start_ns + (self.next as f64 * slot + r.unit() * slot * 0.99) as i64;
        self.next += 1;
        // Skewed: service 0 gets ~7 % of the traffic, service 49 ~0.8 %.
        let svc = ((r.unit().powf(1.6)) * SERVICES as f64) as usize % SERVICES;
        let proc = svc * PROCS_PER_SERVICE + r.below(PROCS_PER_SERVICE as u64) as usize;
        let p = if r.below(10) == 0 {
            OWN_PATHS
        } else {
            ((r.unit().powi(2)) * OWN_PATHS as f64) as usize % OWN_PATHS
        };
        let method = match r.below(100) {
            0..70 => "GET",
            70..90 => "POST",
            90..95 => "PUT",
            _ => "DELETE",
        };
        let w = r.below(1000) as u32;
        let (status, _, message) = STATUSES
            .iter()
            .copied()
            .find(|(_, cum, _)| w < *cum)
            .unwrap_or(STATUSES[0]);
        let slow = if status >= 500 { 2.5 } else { 1.0 };
        let latency = self.medians[svc * (OWN_PATHS + 1) + p] * slow * (0.9 * r.normal()).exp();
        let client = r.below(200);
        c.time.push(t);
        c.upid.push(upid(proc).to_bytes());
        c.remote_addr.push(format!("10.1.{}.{}", client / 50, client % 50 + 1));
        c.remote_port.push(30_000 + r.below(30_000) as i64);
        c.local_addr
            .push(format!("10.0.{svc}.{}", proc % PROCS_PER_SERVICE + 1));
        c.local_port.push(8000 + svc as i64);
        c.content_type.push(i64::from(p != OWN_PATHS));
        c.req_headers.push(format!(
            r#"{{"Accept":"application/json","Host":"svc-{svc:02}:{}","User-Agent":"client/{}"}}"#,
            8000 + svc,
            client % 5
        ));
        c.req_method.push(method);
        c.req_path.push(path(svc, p));
        c.req_body.push(match method {
            "POST" | "PUT" => format!(r#"{{"id":{},"qty":{}}}"#, r.below(1_000_000), r.below(10) + 1),
            _ => String::new(),
        });
        c.resp_headers.push(format!(
            r#"{{"Content-Type":"application/json","Server":"svc-{svc:02}","Status":"{status}"}}"#
        ));
        c.resp_status.push(status);
        c.resp_message.push(message);
        c.resp_body.push(if status < 400 {
            format!(r#"{{"ok":true,"items":{}}}"#, r.below(500))
        } else {
            format!(r#"{{"error":"{message}","request_id":"{:08x}"}}"#, r.next_u64() as u32)
        });
        c.latency.push(latency.max(10_000.0) as i64);
    }
}

fn strings<S: AsRef<str>>(v: &[S]) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(v.iter().map(AsRef::as_ref)))
}

fn ints(v: Vec<i64>) -> ArrayRef {
    Arc::new(Int64Array::from(v))
}

fn sizes(v: &[String]) -> ArrayRef {
    ints(v.iter().map(|s| s.len() as i64).collect())
}

/// The columns in `http_events` order (see `seer_types::tables::HTTP_EVENTS`).
fn to_batch(c: Columns, n: usize) -> Result<RecordBatch, ArrowError> {
    let cols: Vec<ArrayRef> = vec![
        Arc::new(TimestampNanosecondArray::from(c.time)),
        Arc::new(FixedSizeBinaryArray::try_from_iter(c.upid.into_iter())?),
        strings(&c.remote_addr),
        ints(c.remote_port),
        strings(&c.local_addr),
        ints(c.local_port),
        ints(vec![2; n]),
        Arc::new(BooleanArray::from(vec![false; n])),
        ints(vec![1; n]),
        ints(vec![1; n]),
        ints(c.content_type),
        strings(&c.req_headers),
        strings(&c.req_method),
        strings(&c.req_path),
        strings(&c.req_body),
        sizes(&c.req_body),
        strings(&c.resp_headers),
        ints(c.resp_status),
        strings(&c.resp_message),
        strings(&c.resp_body),
        sizes(&c.resp_body),
        ints(c.latency),
    ];
    RecordBatch::try_new(HTTP_EVENTS.arrow_schema(), cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_match_the_schema_and_are_deterministic() -> Result<(), ArrowError> {
        let mut a = Generator::new(7, 3000, 0, 3_000_000);
        let mut b = Generator::new(7, 3000, 0, 3_000_000);
        let (Some(x), Some(y)) = (a.batch(2000), b.batch(2000)) else {
            panic!("rows expected");
        };
        assert_eq!(x?, y?);
        assert_eq!(a.batch(2000).map(|r| r.map(|b| b.num_rows()).ok()), Some(Some(1000)));
        assert!(a.batch(10).is_none());
        Ok(())
    }
}
