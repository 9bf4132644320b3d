//! `proc_exit_events` from the BPF `sched_process_exit` tracepoint (root only; skips loudly otherwise).

mod bpf_common;

use std::process::Command;
use std::time::Duration;

use bpf_common::*;
use seer_collect::ProcExitCollector;
use seer_types::tables::PROC_EXIT_EVENTS;

#[test]
fn exit_codes_and_signals_are_recorded() {
    if !bpf_or_skip("exit_codes_and_signals_are_recorded") {
        return;
    }
    let mut c = ProcExitCollector::start().expect("proc exit tracer starts as root");
    let sink = VecSink::default();
    let st = Command::new("sh").args(["-c", "exit 3"]).status().expect("sh");
    assert_eq!(st.code(), Some(3));
    let mut sleeper = Command::new("sleep").arg("100").spawn().expect("sleep");
    let sleeper_pid = sleeper.id();
    sleeper.kill().expect("kill -9");
    let _ = sleeper.wait();
    let find = |s: &VecSink, pred: &dyn Fn(u32, i64, i64, &str) -> bool| {
        let b = s.table(&PROC_EXIT_EVENTS);
        let (p, code, sig, comm) = (pids(&b), ints(&b, "exit_code"), ints(&b, "signal"), strings(&b, "comm"));
        (0..b.num_rows()).any(|i| pred(p[i], code[i], sig[i], &comm[i]))
    };
    let ok = collect_until(&mut c, &sink, Duration::from_secs(10), |s| {
        find(s, &|_, code, sig, comm| comm == "sh" && code == 3 && sig == 0)
            && find(s, &|pid, _, sig, _| pid == sleeper_pid && sig == 9)
    });
    assert!(ok, "rows: {:?}", {
        let b = sink.table(&PROC_EXIT_EVENTS);
        (pids(&b), ints(&b, "exit_code"), ints(&b, "signal"), strings(&b, "comm"))
    });
}
