// The API client: same-origin fetches with the session cookie and the CSRF header.
import type { FunctionSig, RunRequest, RunResult, ScriptDetail, ScriptSummary, TableInfo } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Fired on `window` when a call comes back 401, so the app shows the login page. */
export const UNAUTHENTICATED_EVENT = 'seer:unauthenticated';

interface ErrorBody {
  error?: { kind?: string; message?: string; line?: number; column?: number };
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-seer-request': '1' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (!res.ok) {
    let err: ErrorBody = {};
    try {
      err = (await res.json()) as ErrorBody;
    } catch {
      // not JSON
    }
    const e = err.error ?? {};
    if (res.status === 401 && path !== '/api/login') {
      window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
    }
    throw new ApiError(res.status, e.kind ?? 'http', e.message ?? `${res.status} ${res.statusText}`, e.line, e.column);
  }
  return (await res.json()) as T;
}

export const api = {
  session: () => call<{ authenticated: boolean; version: string }>('GET', '/api/session'),
  login: (cred: { token: string } | { nonce: string }) => call<{ ok: boolean }>('POST', '/api/login', cred),
  logout: () => call<{ ok: boolean }>('POST', '/api/logout', {}),
  scripts: () => call<ScriptSummary[]>('GET', '/api/scripts'),
  script: (name: string) => call<ScriptDetail>('GET', `/api/scripts/${name.split('/').map(encodeURIComponent).join('/')}`),
  signatures: (pxl: string) => call<FunctionSig[]>('POST', '/api/signatures', { pxl }),
  run: (req: RunRequest, signal?: AbortSignal) => call<RunResult>('POST', '/api/run', req, signal),
  tables: () => call<TableInfo[]>('GET', '/api/tables'),
};
