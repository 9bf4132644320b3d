import { formatCell } from '../format';
import type { Table } from '../types';

/** Pixie StatChart: the last row's value of one column, formatted by its semantic type. */
export function StatWidget({ table, spec, label }: { table: Table; spec: Record<string, unknown>; label: string }) {
  const stat = spec.stat as { value?: string } | undefined;
  const name = stat?.value ?? (typeof spec.value === 'string' ? spec.value : table.columns[0]?.name);
  const i = table.columns.findIndex((c) => c.name === name);
  const col = table.columns[i];
  if (!col) return <p className="error">The table has no column {name}.</p>;
  const last = table.rows[table.rows.length - 1];
  return (
    <div className="stat" role="group" aria-label={label}>
      <span className="stat-value">{last ? formatCell(last[i] ?? null, col) : '–'}</span>
      <span className="muted small">{typeof spec.title === 'string' ? spec.title : col.name}</span>
    </div>
  );
}

/** Pixie TextChart: static text (shown as plain text, never as HTML). */
export function TextWidget({ spec }: { spec: Record<string, unknown> }) {
  const body = typeof spec.body === 'string' ? spec.body : '';
  return <div className="text-widget">{body}</div>;
}
