// Pivoting result rows into chart series (time series and bar charts).
import type { Cell, Table } from '../types';

export interface SeriesSpec {
  value: string;
  series?: string;
  mode?: string;
  stackBySeries?: boolean;
}

export interface Pivoted {
  /** One object per x value: `{x, [seriesKey]: number}`. */
  data: Record<string, number | string>[];
  /** Series keys with their source spec. */
  keys: { key: string; spec: SeriesSpec }[];
}

export const MAX_SERIES = 20;

function colIndex(t: Table, name: string | undefined): number {
  return name ? t.columns.findIndex((c) => c.name === name) : -1;
}

function num(v: Cell | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Time series: x = `time_` (ns → ms), one key per (value column, series value). */
export function pivotTimeseries(t: Table, specs: SeriesSpec[], timeCol = 'time_'): Pivoted {
  const ti = colIndex(t, timeCol);
  if (ti < 0) throw new Error(`the table has no ${timeCol} column`);
  const byX = new Map<number, Record<string, number | string>>();
  const keys: { key: string; spec: SeriesSpec }[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    const vi = colIndex(t, spec.value);
    if (vi < 0) throw new Error(`the table has no column ${spec.value}`);
    const si = colIndex(t, spec.series);
    for (const r of t.rows) {
      const x = num(r[ti]);
      const y = num(r[vi]);
      if (x === null || y === null) continue;
      const key = si >= 0 ? `${String(r[si])}${specs.length > 1 ? ` ${spec.value}` : ''}` : spec.value;
      if (!seen.has(key)) {
        if (seen.size >= MAX_SERIES) continue;
        seen.add(key);
        keys.push({ key, spec });
      }
      const ms = x / 1e6;
      const row = byX.get(ms) ?? { x: ms };
      row[key] = y + (typeof row[key] === 'number' ? (row[key] as number) : 0);
      byX.set(ms, row);
    }
  }
  const data = [...byX.values()].sort((a, b) => (a.x as number) - (b.x as number));
  return { data, keys };
}

/** Bar chart: x = label column, one key per stackBy/groupBy value (or the value column). */
export function pivotBars(t: Table, bar: { value: string; label: string; stackBy?: string; groupBy?: string }): Pivoted {
  const vi = colIndex(t, bar.value);
  const li = colIndex(t, bar.label);
  if (vi < 0) throw new Error(`the table has no column ${bar.value}`);
  if (li < 0) throw new Error(`the table has no column ${bar.label}`);
  const si = colIndex(t, bar.stackBy || bar.groupBy);
  const byX = new Map<string, Record<string, number | string>>();
  const keys: { key: string; spec: SeriesSpec }[] = [];
  const seen = new Set<string>();
  for (const r of t.rows) {
    const y = num(r[vi]);
    if (y === null) continue;
    const x = String(r[li] ?? '');
    const key = si >= 0 ? String(r[si]) : bar.value;
    if (!seen.has(key)) {
      if (seen.size >= MAX_SERIES) continue;
      seen.add(key);
      keys.push({ key, spec: { value: bar.value } });
    }
    const row = byX.get(x) ?? { x };
    row[key] = y + (typeof row[key] === 'number' ? (row[key] as number) : 0);
    byX.set(x, row);
  }
  return { data: [...byX.values()], keys };
}
