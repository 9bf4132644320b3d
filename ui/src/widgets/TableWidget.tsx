import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { compareCells, formatCell, jsonCell, parseScriptRef, scriptRefHref, unitOf } from '../format';
import type { Cell, Column, Table } from '../types';

const PAGE_SIZE = 50;

type Sort = { col: number; desc: boolean } | null;

function JsonValue({ value, raw }: { value: unknown; raw: string }) {
  const [open, setOpen] = useState(false);
  const summary = Array.isArray(value) ? `[… ${value.length} items]` : `{… ${Object.keys(value as object).length} keys}`;
  return (
    <span className="json-cell">
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)} title={raw}>
        {open ? '▾' : '▸'} {summary}
      </button>
      {open && <pre>{JSON.stringify(value, null, 2)}</pre>}
    </span>
  );
}

function CellView({ v, col }: { v: Cell; col: Column }) {
  if (typeof v === 'string') {
    if (unitOf(col) === 'script_ref' || (v.startsWith('{') && v.includes('"script"'))) {
      const ref = parseScriptRef(v);
      if (ref) return <Link to={scriptRefHref(ref)}>{ref.label}</Link>;
    }
    const j = jsonCell(v);
    if (j !== null) return <JsonValue value={j} raw={v} />;
  }
  return <>{formatCell(v, col)}</>;
}

function isNumeric(c: Column): boolean {
  return c.data_type === 'INT64' || c.data_type === 'FLOAT64' || c.data_type === 'TIME64NS';
}

/** A sortable, paged table; cells formatted by semantic type; JSON cells expandable. */
export function TableWidget({ table, label }: { table: Table; label: string }) {
  const [sort, setSort] = useState<Sort>(null);
  const [page, setPage] = useState(0);
  const rows = useMemo(() => {
    if (!sort) return table.rows;
    const s = [...table.rows].sort((a, b) => compareCells(a[sort.col] ?? null, b[sort.col] ?? null));
    if (sort.desc) s.reverse();
    return s;
  }, [table.rows, sort]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const p = Math.min(page, pages - 1);
  const shown = rows.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);

  const toggle = (i: number) => {
    setPage(0);
    setSort((s) => {
      if (!s || s.col !== i) return { col: i, desc: isNumeric(table.columns[i]!) };
      return { col: i, desc: !s.desc };
    });
  };

  return (
    <div className="table-widget">
      <div className="table-scroll">
        <table aria-label={label} data-rows={rows.length}>
          <thead>
            <tr>
              {table.columns.map((c, i) => (
                <th
                  key={c.name}
                  scope="col"
                  aria-sort={sort?.col === i ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                  className={isNumeric(c) ? 'num' : undefined}
                >
                  <button type="button" onClick={() => toggle(i)} title={`${c.data_type} ${c.semantic_type}`}>
                    {c.name}
                    <span aria-hidden="true">{sort?.col === i ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r, ri) => (
              <tr key={p * PAGE_SIZE + ri}>
                {table.columns.map((c, ci) => (
                  <td key={c.name} className={isNumeric(c) ? 'num' : undefined}>
                    <CellView v={r[ci] ?? null} col={c} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="pager" role="navigation" aria-label={`${label} pages`}>
        <span className="muted small">
          {rows.length === 0 ? 'no rows' : `rows ${p * PAGE_SIZE + 1}–${Math.min(rows.length, (p + 1) * PAGE_SIZE)} of ${rows.length}`}
        </span>
        <button type="button" onClick={() => setPage(p - 1)} disabled={p === 0} aria-label="Previous page">
          ‹
        </button>
        <span className="small">
          page {p + 1} / {pages}
        </span>
        <button type="button" onClick={() => setPage(p + 1)} disabled={p >= pages - 1} aria-label="Next page">
          ›
        </button>
      </div>
    </div>
  );
}
