import type { Table } from '../types';
import type { Widget } from '../vis';
import { gridArea } from '../vis';
import { BarWidget, TimeseriesWidget } from './Charts';
import { FlameGraphWidget } from './FlameGraph';
import { GraphWidget } from './GraphWidget';
import { StatWidget, TextWidget } from './Simple';
import { TableWidget } from './TableWidget';

function Body({ w, table }: { w: Widget; table: Table | undefined }) {
  if (w.kind === 'TextChart') return <TextWidget spec={w.spec} />;
  if (!table) return <p className="muted">No output named {w.outputName}.</p>;
  switch (w.kind) {
    case 'TimeseriesChart':
      return <TimeseriesWidget table={table} spec={w.spec} label={w.name} />;
    case 'BarChart':
      return <BarWidget table={table} spec={w.spec} label={w.name} />;
    case 'Graph':
    case 'RequestGraph':
      return <GraphWidget table={table} spec={w.spec} kind={w.kind} label={w.name} />;
    case 'StatChart':
      return <StatWidget table={table} spec={w.spec} label={w.name} />;
    case 'StackTraceFlameGraph':
      return <FlameGraphWidget table={table} spec={w.spec} label={w.name} />;
    default:
      return <TableWidget table={table} label={w.name} />;
  }
}

/** One widget card placed on the 12-column grid. */
export function WidgetCard({ w, index, tables }: { w: Widget; index: number; tables: Table[] }) {
  const table = tables.find((t) => t.name === w.outputName);
  const fallback = !['Table', 'TimeseriesChart', 'BarChart', 'Graph', 'RequestGraph', 'StatChart', 'TextChart', 'StackTraceFlameGraph'].includes(w.kind);
  return (
    <section className={`widget widget-${w.kind}`} style={gridArea(w, index)} aria-label={w.name} data-kind={w.kind}>
      <h2>
        {w.name}
        {fallback && <span className="muted small"> ({w.kind} shown as a table)</span>}
      </h2>
      <div className="widget-body">
        <Body w={w} table={table} />
      </div>
    </section>
  );
}

/** The tables of a run without a vis.json: one table widget each. */
export function PlainTables({ tables }: { tables: Table[] }) {
  if (tables.length === 0) return <p className="muted">The script displayed no tables.</p>;
  return (
    <>
      {tables.map((t) => (
        <section key={t.name} className="widget plain" aria-label={t.name}>
          <h2>{t.name}</h2>
          <TableWidget table={t} label={t.name} />
        </section>
      ))}
    </>
  );
}
