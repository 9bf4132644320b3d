// Cell formatting by Pixie semantic type (with a name-based fallback for computed columns that lost it).
import type { Cell, Column } from './types';

export type Unit =
  | 'bytes'
  | 'bytes_per_s'
  | 'duration_ns'
  | 'percent'
  | 'percent_fraction'
  | 'per_s'
  | 'time'
  | 'script_ref'
  | 'plain';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

function trim(n: number, digits = 1): string {
  const s = n.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** 1536 → "1.5 KiB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${sign}${i === 0 ? String(Math.round(v)) : trim(v)} ${BYTE_UNITS[i]}`;
}

/** Nanoseconds → "850 ns", "1.2 µs", "3.4 ms", "2.5 s", "3 min 20 s", "2 h 5 min". */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  const sign = ns < 0 ? '-' : '';
  const v = Math.abs(ns);
  if (v < 1e3) return `${sign}${trim(v, 0)} ns`;
  if (v < 1e6) return `${sign}${trim(v / 1e3)} µs`;
  if (v < 1e9) return `${sign}${trim(v / 1e6)} ms`;
  if (v < 60e9) return `${sign}${trim(v / 1e9, 2)} s`;
  if (v < 3600e9) {
    const m = Math.floor(v / 60e9);
    const s = Math.round((v - m * 60e9) / 1e9);
    return `${sign}${m} min${s ? ` ${s} s` : ''}`;
  }
  const h = Math.floor(v / 3600e9);
  const m = Math.round((v - h * 3600e9) / 60e9);
  return `${sign}${h} h${m ? ` ${m} min` : ''}`;
}

/** A percentage: `fraction` values are 0–1 (Pixie's ST_PERCENT), others already 0–100. */
export function formatPercent(v: number, fraction: boolean): string {
  const p = fraction ? v * 100 : v;
  return `${Math.abs(p) >= 10 ? trim(p, 1) : trim(p, 2)} %`;
}

/** Large numbers with thousands separators, small ones with up to 3 decimals. */
export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const abs = Math.abs(v);
  return v.toLocaleString('en-US', { maximumFractionDigits: abs >= 100 ? 1 : abs >= 1 ? 2 : 4 });
}

/** Nanoseconds since the epoch → "2026-11-29 15:04:05.123" (local time). */
export function formatTime(ns: number): string {
  const d = new Date(ns / 1e6);
  if (Number.isNaN(d.getTime())) return String(ns);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(
    d.getSeconds(),
  )}.${p(d.getMilliseconds(), 3)}`;
}

/** The unit a column's values carry: from its semantic type, else guessed from its name. */
export function unitOf(col: Pick<Column, 'name' | 'semantic_type' | 'data_type'>): Unit {
  switch (col.semantic_type) {
    case 'ST_BYTES':
      return 'bytes';
    case 'ST_DURATION_NS':
      return 'duration_ns';
    case 'ST_PERCENT':
      return 'percent_fraction';
    case 'ST_THROUGHPUT_PER_NS':
      return 'per_s';
    case 'ST_THROUGHPUT_BYTES_PER_NS':
      return 'bytes_per_s';
    case 'ST_TIME_NS':
      return 'time';
    case 'ST_SCRIPT_REFERENCE':
      return 'script_ref';
    default:
      break;
  }
  if (col.data_type === 'TIME64NS') return 'time';
  if (col.data_type !== 'INT64' && col.data_type !== 'FLOAT64') return 'plain';
  const n = col.name.toLowerCase();
  if (/bytes_per_s(ec)?$/.test(n)) return 'bytes_per_s';
  if (/(^|_)bytes$|^bytes_|_bytes_/.test(n)) return 'bytes';
  if (/(_pct|_percent)$/.test(n)) return 'percent';
  if (/(latency|duration)(_ns)?$|_ns$/.test(n) && !/^time_?$/.test(n)) return 'duration_ns';
  return 'plain';
}

/** Semantic per-ns throughputs become per-second values for display. */
function perSecond(v: number, unit: Unit): number {
  return unit === 'per_s' ? v * 1e9 : v;
}

/** A cell as text. */
export function formatCell(v: Cell, col: Pick<Column, 'name' | 'semantic_type' | 'data_type'>): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const unit = unitOf(col);
  if (typeof v === 'string') {
    if (unit === 'script_ref') return parseScriptRef(v)?.label ?? v;
    return v;
  }
  const bytesPerS = col.semantic_type === 'ST_THROUGHPUT_BYTES_PER_NS' ? v * 1e9 : v;
  switch (unit) {
    case 'bytes':
      return formatBytes(v);
    case 'bytes_per_s':
      return `${formatBytes(bytesPerS)}/s`;
    case 'duration_ns':
      return formatDuration(v);
    case 'percent':
      return formatPercent(v, false);
    case 'percent_fraction':
      return formatPercent(v, true);
    case 'per_s':
      return `${formatNumber(perSecond(v, unit))}/s`;
    case 'time':
      return formatTime(v);
    default:
      return formatNumber(v);
  }
}

export interface ScriptRef {
  label: string;
  script: string;
  args: Record<string, string>;
}

/** A `px.script_reference` value: JSON `{"label", "script", "args"}`. */
export function parseScriptRef(v: string): ScriptRef | null {
  try {
    const o: unknown = JSON.parse(v);
    if (typeof o !== 'object' || o === null) return null;
    const r = o as { label?: unknown; script?: unknown; args?: unknown };
    if (typeof r.script !== 'string' || r.script === '') return null;
    const args: Record<string, string> = {};
    if (typeof r.args === 'object' && r.args !== null) {
      for (const [k, val] of Object.entries(r.args as Record<string, unknown>)) {
        args[k] = typeof val === 'string' ? val : JSON.stringify(val);
      }
    }
    return { label: typeof r.label === 'string' ? r.label : r.script, script: r.script, args };
  } catch {
    return null;
  }
}

/** The app URL of a script reference (a deep link to the script's view with its arguments). */
export function scriptRefHref(ref: ScriptRef): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(ref.args)) {
    if (k === 'start_time') q.set('start_time', v);
    else q.set(`arg.${k}`, v);
  }
  const qs = q.toString();
  return `/view/${ref.script}${qs ? `?${qs}` : ''}`;
}

/** Parses a cell holding a JSON object or array (for expandable cells); null for anything else. */
export function jsonCell(v: Cell): unknown {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (!(t.startsWith('{') && t.endsWith('}')) && !(t.startsWith('[') && t.endsWith(']'))) return null;
  try {
    const o: unknown = JSON.parse(t);
    return typeof o === 'object' && o !== null ? o : null;
  } catch {
    return null;
  }
}

/** Sort comparator for cells: numbers numerically, strings naturally, nulls last. */
export function compareCells(a: Cell, b: Cell): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}
