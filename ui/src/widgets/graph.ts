// Graph and RequestGraph widgets: rows → nodes and weighted edges.
import { formatCell, formatDuration, formatNumber, formatPercent } from '../format';
import type { Cell, Column, Table } from '../types';

export interface GraphNode {
  id: string;
  weight: number | null;
}

export interface GraphEdge {
  from: string;
  to: string;
  weight: number | null;
  /** Short label drawn on the edge (latency, throughput). */
  label: string;
  /** Hover text lines. */
  hover: string[];
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const MAX_NODES = 200;

type Spec = Record<string, unknown>;

function s(spec: Spec, k: string): string | undefined {
  const v = spec[k];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function idx(t: Table, name: string | undefined): number {
  return name ? t.columns.findIndex((c) => c.name === name) : -1;
}

function num(v: Cell | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function firstColumn(t: Table, names: (string | undefined)[]): number {
  for (const n of names) {
    const i = idx(t, n);
    if (i >= 0) return i;
  }
  return -1;
}

/** Builds the node/edge model from a `Graph` (adjacencyList) or `RequestGraph` display spec. */
export function buildGraph(t: Table, kind: 'Graph' | 'RequestGraph', spec: Spec): GraphModel {
  let fi: number;
  let ti: number;
  const hoverCols: number[] = [];
  let wi = -1;
  let labelFn: (r: Cell[]) => string = () => '';
  if (kind === 'Graph') {
    const adj = (spec.adjacencyList ?? spec.adjacency_list) as Spec | undefined;
    if (!adj) throw new Error('Graph needs adjacencyList {fromColumn, toColumn} (dotColumn is not supported)');
    fi = idx(t, s(adj, 'fromColumn') ?? s(adj, 'from_column'));
    ti = idx(t, s(adj, 'toColumn') ?? s(adj, 'to_column'));
    wi = idx(t, s(spec, 'edgeWeightColumn'));
    const hover = spec.edgeHoverInfo;
    if (Array.isArray(hover)) for (const h of hover) if (typeof h === 'string' && idx(t, h) >= 0) hoverCols.push(idx(t, h));
    const wcol = t.columns[wi];
    if (wcol) labelFn = (r) => formatCell(r[wi] ?? null, wcol);
  } else {
    fi = firstColumn(t, [s(spec, 'requestorServiceColumn'), s(spec, 'requestorPodColumn'), s(spec, 'requestorIPColumn')]);
    ti = firstColumn(t, [s(spec, 'responderServiceColumn'), s(spec, 'responderPodColumn'), s(spec, 'responderIPColumn')]);
    const p50 = idx(t, s(spec, 'p50Column'));
    const p99 = idx(t, s(spec, 'p99Column'));
    const rps = idx(t, s(spec, 'requestsPerSecondColumn'));
    const err = idx(t, s(spec, 'errorRateColumn'));
    wi = rps >= 0 ? rps : idx(t, s(spec, 'totalRequestCountColumn'));
    for (const c of ['p50Column', 'p90Column', 'p99Column', 'errorRateColumn', 'requestsPerSecondColumn', 'inboundBytesPerSecondColumn', 'outboundBytesPerSecondColumn', 'totalRequestCountColumn']) {
      const i = idx(t, s(spec, c));
      if (i >= 0) hoverCols.push(i);
    }
    labelFn = (r) => {
      const parts: string[] = [];
      const l50 = num(r[p50]);
      const l99 = num(r[p99]);
      if (l50 !== null) parts.push(`p50 ${formatDuration(l50)}`);
      else if (l99 !== null) parts.push(`p99 ${formatDuration(l99)}`);
      const q = num(r[rps]);
      if (q !== null) parts.push(`${formatNumber(Math.round(q * 10) / 10)} req/s`);
      const e = num(r[err]);
      if (e !== null && e > 0) parts.push(`${formatPercent(e, true)} err`);
      return parts.join(' · ');
    };
  }
  if (fi < 0 || ti < 0) throw new Error('the table lacks the graph’s from/to columns');
  const nodeW = idx(t, s(spec, 'nodeWeightColumn'));
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const addNode = (id: string, w: number | null) => {
    const n = nodes.get(id);
    if (n) {
      if (w !== null) n.weight = (n.weight ?? 0) + w;
      return true;
    }
    if (nodes.size >= MAX_NODES) return false;
    nodes.set(id, { id, weight: w });
    return true;
  };
  for (const r of t.rows) {
    const from = r[fi];
    const to = r[ti];
    if (from === null || from === undefined || to === null || to === undefined || from === '' || to === '') continue;
    const f = String(from);
    const d = String(to);
    const nw = num(r[nodeW]);
    if (!addNode(f, null) || !addNode(d, nw)) continue;
    const key = `${f}\u0000${d}`;
    const w = num(r[wi]);
    const hover = hoverCols.map((i) => {
      const c = t.columns[i] as Column;
      return `${c.name}: ${formatCell(r[i] ?? null, c)}`;
    });
    const prev = edges.get(key);
    if (prev) {
      prev.weight = w === null ? prev.weight : (prev.weight ?? 0) + w;
    } else {
      edges.set(key, { from: f, to: d, weight: w, label: labelFn(r), hover });
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** Stroke width for an edge weight relative to the heaviest edge (1–6 px). */
export function strokeWidth(w: number | null, max: number): number {
  if (w === null || max <= 0) return 1.5;
  return 1 + 5 * Math.sqrt(Math.max(0, w) / max);
}

/** Edge colour class by Pixie's edgeThresholds (medium/high) on the weight or colour column. */
export function thresholdClass(v: number | null, th: { mediumThreshold?: number; highThreshold?: number } | undefined): string {
  if (v === null || !th) return 'edge-normal';
  if (th.highThreshold !== undefined && v >= th.highThreshold) return 'edge-high';
  if (th.mediumThreshold !== undefined && v >= th.mediumThreshold) return 'edge-medium';
  return 'edge-normal';
}
