import { useMemo, useState } from 'react';
import { formatNumber } from '../format';
import type { Table } from '../types';
import { addStack, frameColor, layoutFlame, newFrame, type Frame } from './flame';

const ROW_H = 18;
const WIDTH = 1000;

/** Flame graph of a frame tree; click a frame to zoom into it, click the root to zoom out. */
export function FlameGraph({ root, label }: { root: Frame; label: string }) {
  const [focus, setFocus] = useState<string | null>(null);
  const { rects, depth, total } = useMemo(() => layoutFlame(root), [root]);
  const f = rects.find((r) => r.path === focus) ?? rects[0];
  if (!f || total === 0) return <p className="muted">No stack samples.</p>;
  const scale = (x: number) => ((x - f.x0) / (f.x1 - f.x0)) * WIDTH;
  const visible = rects.filter((r) => r.x1 > f.x0 && r.x0 < f.x1 && (r.depth >= f.depth || f.path.startsWith(r.path)));
  return (
    <div className="flame-scroll">
      <svg
        className="flamegraph"
        role="img"
        aria-label={`${label}: flame graph, ${formatNumber(total)} samples`}
        viewBox={`0 0 ${WIDTH} ${depth * ROW_H}`}
        width="100%"
        data-frames={visible.length}
      >
        {visible.map((r) => {
          const x = Math.max(0, scale(r.x0));
          const w = Math.min(WIDTH, scale(r.x1)) - x;
          const pct = ((100 * r.value) / total).toFixed(1);
          return (
            <g
              key={r.path}
              className="frame"
              data-name={r.name}
              transform={`translate(${x.toFixed(1)},${r.depth * ROW_H})`}
              onClick={() => setFocus(r.path === f.path ? null : r.path)}
            >
              <title>{`${r.name}: ${formatNumber(r.value)} samples (${pct} %)`}</title>
              <rect width={Math.max(0.5, w - 0.5)} height={ROW_H - 1} fill={frameColor(r.name)} />
              {w > 40 && (
                <text x={4} y={13} className="frame-label">
                  {r.name.length * 6.5 > w - 8 ? `${r.name.slice(0, Math.max(1, Math.floor((w - 8) / 6.5) - 1))}…` : r.name}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/** Pixie StackTraceFlameGraph over a result table (stacktraceColumn holds folded stacks, countColumn samples). */
export function FlameGraphWidget({ table, spec, label }: { table: Table; spec: Record<string, unknown>; label: string }) {
  const stackCol = typeof spec.stacktraceColumn === 'string' ? spec.stacktraceColumn : 'stack_trace';
  const countCol = typeof spec.countColumn === 'string' ? spec.countColumn : 'count';
  const root = useMemo(() => {
    const si = table.columns.findIndex((c) => c.name === stackCol);
    const ci = table.columns.findIndex((c) => c.name === countCol);
    if (si < 0 || ci < 0) return null;
    const r = newFrame('all');
    for (const row of table.rows) {
      const s = row[si];
      const c = row[ci];
      if (typeof s === 'string' && typeof c === 'number') addStack(r, s, c);
    }
    return r;
  }, [table, stackCol, countCol]);
  if (!root) return <p className="error">The table lacks the {stackCol} or {countCol} column.</p>;
  return <FlameGraph root={root} label={label} />;
}
