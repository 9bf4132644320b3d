import dagre from '@dagrejs/dagre';
import { useMemo } from 'react';
import type { Table } from '../types';
import { buildGraph, strokeWidth, thresholdClass } from './graph';

const NODE_H = 28;
const CHAR_W = 7;

interface Laid {
  nodes: { id: string; x: number; y: number; w: number }[];
  edges: { from: string; to: string; d: string; lx: number; ly: number; width: number; label: string; hover: string; cls: string }[];
  width: number;
  height: number;
}

/** Pixie Graph / RequestGraph (service map): dagre layout drawn as SVG. */
export function GraphWidget({ table, spec, kind, label }: { table: Table; spec: Record<string, unknown>; kind: 'Graph' | 'RequestGraph'; label: string }) {
  const laid = useMemo((): Laid | string => {
    let model;
    try {
      model = buildGraph(table, kind, spec);
    } catch (e) {
      return (e as Error).message;
    }
    const g = new dagre.graphlib.Graph({ multigraph: false });
    g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 90, marginx: 12, marginy: 12 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of model.nodes) {
      const w = Math.min(260, Math.max(60, n.id.length * CHAR_W + 24));
      g.setNode(n.id, { width: w, height: NODE_H });
    }
    for (const e of model.edges) {
      g.setEdge(e.from, e.to, { width: Math.min(200, e.label.length * 6), height: e.label ? 14 : 0, labelpos: 'c' });
    }
    dagre.layout(g);
    const maxW = Math.max(0, ...model.edges.map((e) => e.weight ?? 0));
    const th = spec.edgeThresholds as { mediumThreshold?: number; highThreshold?: number } | undefined;
    const nodes = model.nodes.map((n) => {
      const l = g.node(n.id) as { x: number; y: number; width: number };
      return { id: n.id, x: l.x, y: l.y, w: l.width };
    });
    const edges = model.edges.map((e) => {
      const l = g.edge(e.from, e.to) as { points?: { x: number; y: number }[]; x?: number; y?: number };
      const pts = l.points ?? [];
      const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
      const mid = pts[Math.floor(pts.length / 2)] ?? { x: 0, y: 0 };
      return {
        from: e.from,
        to: e.to,
        d,
        lx: l.x ?? mid.x,
        ly: l.y ?? mid.y,
        width: strokeWidth(e.weight, maxW),
        label: e.label,
        hover: [`${e.from} → ${e.to}`, ...e.hover].join('\n'),
        cls: thresholdClass(e.weight, th),
      };
    });
    const gl = g.graph() as { width?: number; height?: number };
    return { nodes, edges, width: gl.width ?? 100, height: gl.height ?? 100 };
  }, [table, spec, kind]);

  if (typeof laid === 'string') return <p className="error">{laid}</p>;
  if (laid.nodes.length === 0) return <p className="muted">No edges in the result.</p>;
  return (
    <div className="graph-scroll">
      <svg
        className="graph"
        role="img"
        aria-label={`${label}: graph with ${laid.nodes.length} nodes and ${laid.edges.length} edges`}
        viewBox={`0 0 ${laid.width} ${laid.height}`}
        width={laid.width}
        height={laid.height}
        data-nodes={laid.nodes.length}
        data-edges={laid.edges.length}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head" />
          </marker>
        </defs>
        {laid.edges.map((e) => (
          <g key={`${e.from}->${e.to}`} className={`graph-edge ${e.cls}`} data-from={e.from} data-to={e.to}>
            <title>{e.hover}</title>
            <path d={e.d} strokeWidth={e.width} fill="none" markerEnd="url(#arrow)" />
            {e.label && (
              <text x={e.lx} y={e.ly} textAnchor="middle" className="edge-label">
                {e.label}
              </text>
            )}
          </g>
        ))}
        {laid.nodes.map((n) => (
          <g key={n.id} className="graph-node" data-id={n.id} tabIndex={0} aria-label={`node ${n.id}`}>
            <title>{n.id}</title>
            <rect x={n.x - n.w / 2} y={n.y - NODE_H / 2} width={n.w} height={NODE_H} rx={6} />
            <text x={n.x} y={n.y + 4} textAnchor="middle">
              {n.id.length > 34 ? `${n.id.slice(0, 33)}…` : n.id}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}
