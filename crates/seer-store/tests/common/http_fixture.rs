//! Deterministic `http_events` rows with realistic repetition, shared by tests and benches:
//! paths from 200 values, methods from 5, statuses from 10, remote addresses from 100, header JSON from
//! 50 templates of ~300 B, bodies of ~100 B (mostly distinct).

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, FixedSizeBinaryArray, Int64Array, StringArray, TimestampNanosecondArray};
use arrow::record_batch::RecordBatch;
use seer_types::{Upid, tables::HTTP_EVENTS};

/// splitmix64: a tiny deterministic generator (no external randomness in fixtures).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];
const STATUSES: [i64; 10] = [200, 201, 204, 301, 304, 400, 401, 404, 500, 503];

fn header_template(i: u64) -> String {
    let mut s = format!(
        "{{\"Accept\":\"application/json\",\"Accept-Encoding\":\"gzip, deflate\",\"Connection\":\"keep-alive\",\
         \"Host\":\"svc-{i:02}.default.svc.cluster.local:8080\",\"User-Agent\":\"client-lib/{i}.4.1 (linux; x86_64)\",\
         \"X-Request-Source\":\"frontend-{i}\",\"Content-Type\":\"application/json; charset=utf-8\""
    );
    while s.len() < 296 {
        s.push_str(",\"X-Pad\":\"abcdefgh\"");
    }
    s.push('}');
    s
}

/// `rows` rows starting at `start_ns`, `step_ns` apart.
pub fn http_batch(rng: &mut Rng, rows: usize, start_ns: i64, step_ns: i64) -> RecordBatch {
    let pick = |rng: &mut Rng, n: u64| rng.below(n);
    let mut time = Vec::with_capacity(rows);
    let mut upid = Vec::with_capacity(rows);
    let (mut raddr, mut rport, mut laddr, mut lport) = (vec![], vec![], vec![], vec![]);
    let (mut role, mut enc, mut major, mut minor, mut ctype) = (vec![], vec![], vec![], vec![], vec![]);
    let (mut req_h, mut method, mut path, mut req_body, mut req_size) = (vec![], vec![], vec![], vec![], vec![]);
    let (mut resp_h, mut status, mut msg, mut resp_body, mut resp_size, mut lat) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for i in 0..rows {
        time.push(start_ns + i as i64 * step_ns);
        upid.push(Upid::new(1, 1000 + pick(rng, 50) as u32, 12345).to_bytes());
        let r = pick(rng, 100);
        raddr.push(format!("10.0.{}.{}", r / 10, r % 10 + 1));
        rport.push(30000 + pick(rng, 30000) as i64);
        laddr.push("10.1.0.1".to_string());
        lport.push(8080);
        role.push(2);
        enc.push(false);
        major.push(1);
        minor.push(1);
        ctype.push(1);
        req_h.push(header_template(pick(rng, 50)));
        method.push(METHODS[pick(rng, 5) as usize]);
        path.push(format!(
            "/api/v1/service-{:02}/resource-{:03}",
            pick(rng, 10),
            pick(rng, 20)
        ));
        let body = format!(
            "{{\"id\":{},\"payload\":\"{:016x}{:016x}{:016x}\",\"ok\":true}}",
            rng.next(),
            rng.next(),
            rng.next(),
            rng.next()
        );
        req_size.push(body.len() as i64);
        req_body.push(body);
        resp_h.push(header_template(pick(rng, 50)));
        let st = STATUSES[pick(rng, 10) as usize];
        status.push(st);
        msg.push(if st < 400 { "OK" } else { "Error" });
        let body = format!(
            "{{\"result\":\"{:016x}{:016x}{:016x}\",\"n\":{}}}",
            rng.next(),
            rng.next(),
            rng.next(),
            rng.next()
        );
        resp_size.push(body.len() as i64);
        resp_body.push(body);
        lat.push(1_000_000 + pick(rng, 50_000_000) as i64);
    }
    let cols: Vec<ArrayRef> = vec![
        Arc::new(TimestampNanosecondArray::from(time)),
        Arc::new(FixedSizeBinaryArray::try_from_iter(upid.into_iter()).expect("16-byte upids")),
        Arc::new(StringArray::from(raddr)),
        Arc::new(Int64Array::from(rport)),
        Arc::new(StringArray::from(laddr)),
        Arc::new(Int64Array::from(lport)),
        Arc::new(Int64Array::from(role)),
        Arc::new(BooleanArray::from(enc)),
        Arc::new(Int64Array::from(major)),
        Arc::new(Int64Array::from(minor)),
        Arc::new(Int64Array::from(ctype)),
        Arc::new(StringArray::from(req_h)),
        Arc::new(StringArray::from(method)),
        Arc::new(StringArray::from(path)),
        Arc::new(StringArray::from(req_body)),
        Arc::new(Int64Array::from(req_size)),
        Arc::new(StringArray::from(resp_h)),
        Arc::new(Int64Array::from(status)),
        Arc::new(StringArray::from(msg)),
        Arc::new(StringArray::from(resp_body)),
        Arc::new(Int64Array::from(resp_size)),
        Arc::new(Int64Array::from(lat)),
    ];
    RecordBatch::try_new(HTTP_EVENTS.arrow_schema(), cols).expect("fixture matches http_events")
}
