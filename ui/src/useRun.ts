// Running a script: one request at a time (a newer run aborts the older), optional auto-refresh.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './api';
import type { RunRequest, RunResult } from './types';

export interface RunState {
  result: RunResult | null;
  error: ApiError | null;
  running: boolean;
  lastRun: Date | null;
}

export function useRun(req: RunRequest | null, intervalSec: number, paused: boolean): RunState & { runNow: () => void } {
  const [state, setState] = useState<RunState>({ result: null, error: null, running: false, lastRun: null });
  const ctrl = useRef<AbortController | null>(null);
  const key = req ? JSON.stringify(req) : null;

  const runNow = useCallback(() => {
    if (!key) return;
    const body = JSON.parse(key) as RunRequest;
    ctrl.current?.abort();
    const c = new AbortController();
    ctrl.current = c;
    setState((s) => ({ ...s, running: true }));
    api
      .run(body, c.signal)
      .then((result) => {
        if (!c.signal.aborted) setState({ result, error: null, running: false, lastRun: new Date() });
      })
      .catch((e: unknown) => {
        if (c.signal.aborted) return;
        const err = e instanceof ApiError ? e : new ApiError(0, 'network', String(e));
        setState((s) => ({ ...s, error: err, running: false, lastRun: new Date() }));
      });
  }, [key]);

  useEffect(() => {
    runNow();
    return () => ctrl.current?.abort();
  }, [runNow]);

  useEffect(() => {
    if (!key || intervalSec <= 0 || paused) return;
    const t = window.setInterval(() => {
      if (document.visibilityState === 'visible') runNow();
    }, intervalSec * 1000);
    return () => window.clearInterval(t);
  }, [key, intervalSec, paused, runNow]);

  return { ...state, runNow };
}
