import { Area, Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCell, formatTime } from '../format';
import { PALETTE } from '../theme';
import type { Column, Table } from '../types';
import { pivotBars, pivotTimeseries, type SeriesSpec } from './series';

function columnOf(t: Table, name: string): Column {
  return t.columns.find((c) => c.name === name) ?? { name, data_type: 'FLOAT64', semantic_type: 'ST_NONE' };
}

function axisTime(ms: number): string {
  return formatTime(ms * 1e6).slice(11, 19);
}

interface TsSpec {
  timeseries?: SeriesSpec[];
  title?: string;
  yAxis?: { label?: string };
  xAxis?: { label?: string };
}

/** Pixie TimeseriesChart: lines (MODE_LINE/MODE_POINT), areas (MODE_AREA) or bars (MODE_BAR), several series. */
export function TimeseriesWidget({ table, spec, label }: { table: Table; spec: Record<string, unknown>; label: string }) {
  const s = spec as TsSpec;
  const specs = s.timeseries && s.timeseries.length > 0 ? s.timeseries : [];
  if (specs.length === 0) return <p className="error">TimeseriesChart needs a timeseries entry with a value column.</p>;
  let piv;
  try {
    piv = pivotTimeseries(table, specs);
  } catch (e) {
    return <p className="error">{(e as Error).message}</p>;
  }
  const valueCol = columnOf(table, specs[0]?.value ?? '');
  const fmt = (v: number) => formatCell(v, valueCol);
  const dots = piv.data.length <= 200;
  return (
    <div className="chart" role="img" aria-label={`${label}: time series of ${piv.keys.map((k) => k.key).join(', ')}`} data-points={piv.data.length} data-series={piv.keys.length}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={piv.data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="x" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={axisTime} stroke="var(--muted)" />
          <YAxis tickFormatter={fmt} stroke="var(--muted)" width={80} label={s.yAxis?.label ? { value: s.yAxis.label, angle: -90, position: 'insideLeft' } : undefined} />
          <Tooltip
            labelFormatter={(v) => formatTime(Number(v) * 1e6)}
            formatter={(v) => fmt(Number(v))}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
          />
          <Legend />
          {piv.keys.map(({ key, spec: ks }, i) => {
            const color = PALETTE[i % PALETTE.length];
            if (ks.mode === 'MODE_BAR') return <Bar key={key} dataKey={key} fill={color} isAnimationActive={false} stackId={ks.stackBySeries ? 's' : undefined} />;
            if (ks.mode === 'MODE_AREA')
              return <Area key={key} dataKey={key} stroke={color} fill={color} fillOpacity={0.2} isAnimationActive={false} connectNulls stackId={ks.stackBySeries ? 's' : undefined} />;
            return (
              <Line
                key={key}
                dataKey={key}
                stroke={color}
                strokeWidth={ks.mode === 'MODE_POINT' ? 0 : 1.5}
                dot={dots || ks.mode === 'MODE_POINT' ? { r: 2 } : false}
                isAnimationActive={false}
                connectNulls
              />
            );
          })}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

interface BarSpec {
  bar?: { value?: string; label?: string; stackBy?: string; groupBy?: string; horizontal?: boolean };
}

/** Pixie BarChart: one bar per label, stacked or grouped by a column. */
export function BarWidget({ table, spec, label }: { table: Table; spec: Record<string, unknown>; label: string }) {
  const b = (spec as BarSpec).bar;
  if (!b?.value || !b.label) return <p className="error">BarChart needs bar.value and bar.label.</p>;
  let piv;
  try {
    piv = pivotBars(table, { value: b.value, label: b.label, stackBy: b.stackBy, groupBy: b.groupBy });
  } catch (e) {
    return <p className="error">{(e as Error).message}</p>;
  }
  const valueCol = columnOf(table, b.value);
  const fmt = (v: number) => formatCell(v, valueCol);
  const horizontal = !!b.horizontal;
  return (
    <div className="chart" role="img" aria-label={`${label}: bar chart of ${b.value} by ${b.label}`} data-points={piv.data.length}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={piv.data} layout={horizontal ? 'vertical' : 'horizontal'} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          {horizontal ? (
            <>
              <XAxis type="number" tickFormatter={fmt} stroke="var(--muted)" />
              <YAxis type="category" dataKey="x" width={140} stroke="var(--muted)" />
            </>
          ) : (
            <>
              <XAxis type="category" dataKey="x" stroke="var(--muted)" />
              <YAxis type="number" tickFormatter={fmt} width={80} stroke="var(--muted)" />
            </>
          )}
          <Tooltip formatter={(v) => fmt(Number(v))} contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }} />
          {piv.keys.length > 1 && <Legend />}
          {piv.keys.map(({ key }, i) => (
            <Bar key={key} dataKey={key} fill={PALETTE[i % PALETTE.length]} stackId={b.stackBy ? 's' : undefined} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
