// Starts a real `seer up` (the debug binary from the shared target directory) for the browser tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Seer {
  proc: ChildProcess;
  base: string;
  loginLink: string;
  token: string;
  dataDir: string;
  stderr: () => string;
  stop: () => Promise<void>;
}

export function seerBinary(): string {
  const bin = process.env.SEER_BIN ?? join(process.env.CARGO_TARGET_DIR ?? '/var/tmp/seer-target', 'debug', 'seer');
  if (!existsSync(bin)) throw new Error(`${bin} not found: build it with \`cargo build -p seer-cli\` (or set SEER_BIN)`);
  return bin;
}

export async function startSeer(memoryBudget = '128MiB'): Promise<Seer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seer-e2e-'));
  const proc = spawn(
    seerBinary(),
    ['up', '--listen', '127.0.0.1:0', '--ui-listen', '127.0.0.1:0', '--data-dir', dataDir, '--memory-budget', memoryBudget, '--log', 'info'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  proc.stderr?.setEncoding('utf8');
  const link = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`seer up printed no login link in 60 s:\n${err}`)), 60_000);
    proc.on('exit', (code) => reject(new Error(`seer up exited with ${code}:\n${err}`)));
    proc.stderr?.on('data', (chunk: string) => {
      err += chunk;
      const m = /one-time login link \(valid 15 minutes\): (http:\/\/\S+)/.exec(err);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  const base = link.slice(0, link.indexOf('/#'));
  const token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
  return {
    proc,
    base,
    loginLink: link,
    token,
    dataDir,
    stderr: () => err,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface TableCounts {
  name: string;
  rows_held: number;
  rows_evicted: number;
}

/** Waits until `table`'s counters satisfy `ok` (API with the bearer token). */
export async function waitForTable(s: Seer, table: string, ok: (t: TableCounts) => boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${s.base}/api/tables`, { headers: { authorization: `Bearer ${s.token}` } });
    if (res.ok) {
      const t = ((await res.json()) as TableCounts[]).find((x) => x.name === table);
      if (t && ok(t)) return;
    }
    if (Date.now() > until) throw new Error(`${table} did not reach the expected state in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Waits until `table` holds at least `rows` rows. */
export function waitForRows(s: Seer, table: string, rows: number, timeoutMs = 60_000): Promise<void> {
  return waitForTable(s, table, (t) => t.rows_held >= rows, timeoutMs);
}
