"""Workloads for bench/overhead.py: a real server started on a free loopback port in a temp dir, and the
stock benchmark client that drives it. Each workload has `name` (the protocol, as in self_telemetry),
`table`, `port`, `command()` (the exact client command line), `calibrate(duration)`, `run()` (one client
run: {"rps", "requests", ...}), `describe()` and `stop()`.
"""
import csv
import glob
import io
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time

from overhead_common import free_port, wait_port


class Redis:
    """redis-server (no persistence) + `redis-benchmark -t set,get -n N -c 32 -P 1`: every request is
    one round trip. N is chosen once, from a warm-up run, so that one run lasts about `duration`."""

    name, table = "redis", "redis_events"

    def __init__(self, tmp):
        self.dir = tempfile.mkdtemp(dir=tmp, prefix="redis-")
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)
        self.n = 20000

    def command(self):
        return ["redis-benchmark", "-h", "127.0.0.1", "-p", str(self.port), "-t", "set,get", "-n", str(self.n),
                "-c", "32", "-P", "1", "--csv"]

    def calibrate(self, duration):
        self.n = 20000
        warm = self.run()
        self.n = max(10000, int(warm["rps"] * duration / 2))
        return warm

    def run(self):
        out = subprocess.run(self.command(), capture_output=True, text=True, check=True).stdout
        tests = {row["test"]: row for row in csv.DictReader(io.StringIO(out))}
        if set(tests) != {"SET", "GET"}:
            raise RuntimeError(f"unexpected redis-benchmark output: {out[:400]}")
        seconds = sum(self.n / float(t["rps"]) for t in tests.values())
        return {
            "rps": 2 * self.n / seconds,
            "requests": 2 * self.n,
            "seconds": seconds,
            "per_test": {k: {"rps": float(t["rps"]), "p50_ms": float(t["p50_latency_ms"]),
                             "p99_ms": float(t["p99_latency_ms"])} for k, t in tests.items()},
        }

    def describe(self):
        v = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.strip()
        return {"server": v, "requests_per_test": self.n}

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def pg_bin():
    """Debian's newest PostgreSQL binaries (/usr/lib/postgresql/<version>/bin)."""
    dirs = sorted(d for d in glob.glob("/usr/lib/postgresql/*/bin") if os.path.isfile(os.path.join(d, "postgres")))
    if not dirs:
        raise RuntimeError("PostgreSQL is not installed (tools/setup.sh test)")
    return dirs[-1]


class Pgsql:
    """A cluster made by `initdb` (as the postgres user, trust auth, fsync off) in a temp dir,
    `pgbench -i` (scale 1) once, then `pgbench -S -c 8 -j 2 -T duration` per run: select-only, one
    statement per transaction, so transactions/s = statements/s."""

    name, table = "pgsql", "pgsql_events"

    def __init__(self, _tmp):
        self.bin = pg_bin()
        # Not under the harness's 0700 temp dir: the postgres user must reach it.
        self.dir = tempfile.mkdtemp(prefix="seer-bench-pg-")
        pw = pwd.getpwnam("postgres")
        os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.user = dict(user=pw.pw_uid, group=pw.pw_gid)
        data = os.path.join(self.dir, "data")
        subprocess.run([os.path.join(self.bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust"],
                       cwd=self.dir, capture_output=True, check=True, **self.user)
        self.port = free_port()
        self.proc = subprocess.Popen(
            [os.path.join(self.bin, "postgres"), "-D", data, "-p", str(self.port), "-k", self.dir,
             "-c", "listen_addresses=127.0.0.1", "-c", "ssl=off", "-c", "fsync=off"],
            cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **self.user)
        wait_port(self.port)
        self._wait_ready()
        subprocess.run([os.path.join(self.bin, "pgbench"), "-i", "-q", *self._conn()], capture_output=True,
                       check=True)
        self.duration = 10

    def _conn(self):
        return ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "postgres"]

    def _wait_ready(self):
        deadline = time.time() + 60
        while subprocess.run([os.path.join(self.bin, "pg_isready"), *self._conn()[:-1]],
                             capture_output=True).returncode != 0:
            if time.time() > deadline:
                raise RuntimeError("postgres is not ready after 60 s")
            time.sleep(0.2)

    def command(self):
        return [os.path.join(self.bin, "pgbench"), "-S", "-c", "8", "-j", "2", "-T", str(self.duration),
                *self._conn()]

    def calibrate(self, duration):
        self.duration = 2
        warm = self.run()
        self.duration = duration
        return warm

    def run(self):
        out = subprocess.run(self.command(), capture_output=True, text=True, check=True).stdout
        tps = re.search(r"^tps = ([\d.]+)", out, re.M)
        done = re.search(r"number of transactions actually processed: (\d+)", out)
        lat = re.search(r"latency average = ([\d.]+) ms", out)
        if not (tps and done):
            raise RuntimeError(f"unexpected pgbench output: {out[-600:]}")
        return {"rps": float(tps.group(1)), "requests": int(done.group(1)),
                "latency_avg_ms": float(lat.group(1)) if lat else None}

    def describe(self):
        v = subprocess.run([os.path.join(self.bin, "postgres"), "--version"], capture_output=True, text=True)
        return {"server": v.stdout.strip(), "scale": 1}

    def stop(self):
        self.proc.send_signal(2)  # SIGINT: fast shutdown
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


WORKLOADS = {"redis": Redis, "pgsql": Pgsql}
