// The custom start of a time range: a PxL relative time (`-30s`, `-2h`) or an absolute date, which becomes
// the relative time from `nowMs` (PxL resolves relative times against the query's "now").

const RELATIVE = /^-\d+(\.\d+)?(ns|us|ms|s|m|h|d)$/;

export function parseStartTime(text: string, nowMs: number): string | null {
  const t = text.trim();
  if (RELATIVE.test(t)) return t;
  if (!/\d{4}-\d{2}-\d{2}/.test(t)) return null;
  const when = Date.parse(t.replace(' ', 'T'));
  if (Number.isNaN(when)) return null;
  const secs = Math.max(1, Math.round((nowMs - when) / 1000));
  return `-${secs}s`;
}
