#!/usr/bin/env python3
"""Side-by-side agent CPU per request of several `seer` binaries (or env settings), alternating runs.

    python3 bench/agent_cpu_quick.py OLD_SEER NEW_SEER [--runs 3] [--duration 8]
    python3 bench/agent_cpu_quick.py SEER SEER --env '' --env MIMALLOC_PURGE_DELAY=-1

Quicker and rougher than http_overhead.py, for comparing two builds in one sitting on a noisy box: nginx
(as in http_overhead.py) driven by `wrk -t1 -c8` for `--duration` seconds against a fresh `seer up`
(syscall tracepoints), agent CPU (user+sys) over the run and its catch-up (until the agent is idle), divided by requests; runs
alternate between the variants. Writes bench/results/agent_cpu_quick.json. Root only (BPF).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_overhead import start_nginx  # noqa: E402
from overhead_common import Seer, ensure_tracefs, proc_cpu_s, write_result  # noqa: E402


def one_run(binary, env, port, tmp, duration):
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        seer = Seer(binary, tmp, hooks="syscall_tracepoints")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    try:
        time.sleep(1)
        c0 = proc_cpu_s(seer.proc.pid)
        out = subprocess.run(["wrk", "-t1", "-c8", f"-d{duration}s", f"http://127.0.0.1:{port}/"],
                             capture_output=True, text=True, check=True).stdout
        c1 = seer.wait_idle()
        n = int(re.search(r"(\d+) requests in", out).group(1))
        return {"rps": n / duration, "requests": n, "agent_cpu_us_per_req": (c1 - c0) * 1e6 / n,
                "drops": seer.tracer_drops()}
    finally:
        seer.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("seer", nargs="+", help="seer binaries, one per variant")
    ap.add_argument("--env", action="append", default=None,
                    help="per variant: KEY=VALUE[,KEY=VALUE] added to the environment ('' for none)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=int, default=8)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                                                  "agent_cpu_quick.json"))
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("agent_cpu_quick: needs root (BPF)")
    envs = a.env or [""] * len(a.seer)
    if len(envs) != len(a.seer):
        sys.exit("agent_cpu_quick: give one --env per binary")
    variants = [(b, dict(kv.split("=", 1) for kv in e.split(",") if kv)) for b, e in zip(a.seer, envs)]
    ensure_tracefs()
    tmp = tempfile.mkdtemp(prefix="seer-quick-")
    nginx, port = start_nginx(tmp)
    result = {"argv": sys.argv, "variants": [{"binary": os.path.abspath(b), "env": e, "runs": []}
                                             for b, e in variants]}
    try:
        for _ in range(a.runs):
            for v, (binary, env) in zip(result["variants"], variants):
                r = one_run(binary, env, port, tmp, a.duration)
                v["runs"].append(r)
                print(f"{binary} {env}: {r['rps']:.0f} req/s, agent {r['agent_cpu_us_per_req']:.2f} µs/request, "
                      f"drops {r['drops']}", flush=True)
    finally:
        nginx.terminate()
        nginx.wait()
    write_result(result, a.out)


if __name__ == "__main__":
    main()
