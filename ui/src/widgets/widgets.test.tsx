import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Table } from '../types';
import { FlameGraph } from './FlameGraph';
import { layoutFlame, parseFolded } from './flame';
import { buildGraph, strokeWidth, thresholdClass } from './graph';
import { pivotBars, pivotTimeseries } from './series';

const folded = readFileSync(new URL('./__fixtures__/stacks.folded', import.meta.url), 'utf8');

describe('flame graph', () => {
  it('builds the frame tree from folded stacks', () => {
    const root = parseFolded(folded);
    const { rects, depth, total } = layoutFlame(root);
    expect(total).toBe(630);
    expect(depth).toBe(7); // all;main;run;serve;handle_request;render;template_eval
    const byName = new Map(rects.map((r) => [r.path, r]));
    expect(byName.get('all;main;run;serve')?.value).toBe(540);
    const render = byName.get('all;main;run;serve;handle_request;render');
    expect(render?.value).toBe(380);
    expect((render?.x1 ?? 0) - (render?.x0 ?? 0)).toBeCloseTo(380 / 630, 6);
    // Children sit inside their parent.
    const te = byName.get('all;main;run;serve;handle_request;render;template_eval');
    expect(te && render && te.x0 >= render.x0 && te.x1 <= render.x1).toBe(true);
  });

  it('renders every frame of the fixture as an SVG rect', () => {
    const html = renderToStaticMarkup(<FlameGraph root={parseFolded(folded)} label="cpu" />);
    expect(html).toContain('data-frames="15"');
    expect((html.match(/<rect /g) ?? []).length).toBe(15);
    expect(html).toContain('data-name="template_eval"');
    expect(html).toContain('630 samples');
  });
});

const edges: Table = {
  name: 'g',
  columns: [
    { name: 'src', data_type: 'STRING', semantic_type: 'ST_NONE' },
    { name: 'dst', data_type: 'STRING', semantic_type: 'ST_NONE' },
    { name: 'bytes', data_type: 'INT64', semantic_type: 'ST_BYTES' },
    { name: 'p50', data_type: 'FLOAT64', semantic_type: 'ST_DURATION_NS' },
    { name: 'rps', data_type: 'FLOAT64', semantic_type: 'ST_NONE' },
  ],
  rows: [
    ['a', 'b', 2048, 1.5e6, 10],
    ['a', 'c', 1024, 3e6, 2],
    ['a', 'b', 1024, 1.5e6, 10],
    ['', 'x', 1, 1, 1],
    [null, 'x', 1, 1, 1],
  ],
};

describe('graph model', () => {
  it('merges duplicate edges and labels by weight', () => {
    const g = buildGraph(edges, 'Graph', { adjacencyList: { fromColumn: 'src', toColumn: 'dst' }, edgeWeightColumn: 'bytes', edgeHoverInfo: ['p50'] });
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['a', 'b', 'c']);
    expect(g.edges).toHaveLength(2);
    const ab = g.edges.find((e) => e.to === 'b');
    expect(ab?.weight).toBe(3072);
    expect(ab?.label).toBe('2 KiB');
    expect(ab?.hover).toEqual(['p50: 1.5 ms']);
  });
  it('labels request graph edges with latency and throughput', () => {
    const g = buildGraph(edges, 'RequestGraph', {
      requestorServiceColumn: 'src',
      responderServiceColumn: 'dst',
      p50Column: 'p50',
      requestsPerSecondColumn: 'rps',
    });
    expect(g.edges.find((e) => e.to === 'c')?.label).toBe('p50 3 ms · 2 req/s');
  });
  it('needs its columns', () => {
    expect(() => buildGraph(edges, 'Graph', {})).toThrow(/adjacencyList/);
    expect(() => buildGraph(edges, 'Graph', { adjacencyList: { fromColumn: 'nope', toColumn: 'dst' } })).toThrow(/from\/to/);
  });
  it('scales and colours edges', () => {
    expect(strokeWidth(100, 100)).toBe(6);
    expect(strokeWidth(null, 100)).toBe(1.5);
    expect(thresholdClass(50, { mediumThreshold: 10, highThreshold: 100 })).toBe('edge-medium');
    expect(thresholdClass(500, { mediumThreshold: 10, highThreshold: 100 })).toBe('edge-high');
  });
});

describe('chart pivots', () => {
  const ts: Table = {
    name: 't',
    columns: [
      { name: 'time_', data_type: 'TIME64NS', semantic_type: 'ST_NONE' },
      { name: 'svc', data_type: 'STRING', semantic_type: 'ST_NONE' },
      { name: 'lat', data_type: 'FLOAT64', semantic_type: 'ST_DURATION_NS' },
    ],
    rows: [
      [2e9, 'a', 5],
      [1e9, 'a', 3],
      [1e9, 'b', 7],
      [2e9, 'b', null],
    ],
  };
  it('pivots time series by series column, sorted by time', () => {
    const p = pivotTimeseries(ts, [{ value: 'lat', series: 'svc' }]);
    expect(p.keys.map((k) => k.key)).toEqual(['a', 'b']);
    expect(p.data).toEqual([
      { x: 1000, a: 3, b: 7 },
      { x: 2000, a: 5 },
    ]);
    expect(() => pivotTimeseries(ts, [{ value: 'nope' }])).toThrow(/no column/);
  });
  it('pivots bars by label and stack', () => {
    const p = pivotBars(ts, { value: 'lat', label: 'svc' });
    expect(p.data).toEqual([
      { x: 'a', lat: 8 },
      { x: 'b', lat: 7 },
    ]);
  });
});
