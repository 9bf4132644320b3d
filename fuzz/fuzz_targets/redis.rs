//! Fuzz target: arbitrary bytes through a Redis (RESP2/RESP3 and inline) session, fed to both directions in
//! input-derived splits, interleavings, gaps and limits (`seer_protocols::fuzz::drive`). Fails on a
//! panic or a broken invariant (schema, row count, memory bound).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = seer_protocols::fuzz::drive(&seer_protocols::redis::Redis, data) {
        panic!("invariant broken: {e}");
    }
});
