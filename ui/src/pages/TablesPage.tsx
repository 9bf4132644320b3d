import { Fragment, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../api';
import { formatBytes, formatNumber, formatTime } from '../format';
import type { TableInfo } from '../types';

/** Every table: rows held, bytes against its budget, evictions, and its schema. */
export function TablesPage() {
  const [tables, setTables] = useState<TableInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [q, setQ] = useState('');

  useEffect(() => {
    const load = () =>
      api
        .tables()
        .then(setTables)
        .catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
    load();
    const t = window.setInterval(load, 10_000);
    return () => window.clearInterval(t);
  }, []);

  const shown = useMemo(() => (tables ?? []).filter((t) => t.name.includes(q.trim())), [tables, q]);

  return (
    <section aria-labelledby="tables-title">
      <h1 id="tables-title">Tables</h1>
      <label htmlFor="table-filter" className="visually-hidden">
        Filter tables
      </label>
      <input id="table-filter" type="search" placeholder="Filter tables" value={q} onChange={(e) => setQ(e.target.value)} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!tables && !error && <p role="status">Loading…</p>}
      {tables && (
        <div className="table-scroll">
          <table aria-label="Tables" className="tables-list">
            <thead>
              <tr>
                <th scope="col">table</th>
                <th scope="col" className="num">rows held</th>
                <th scope="col" className="num">bytes / budget</th>
                <th scope="col" className="num">rows evicted</th>
                <th scope="col" className="num">rows refused</th>
                <th scope="col">oldest … newest</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((t) => (
                <Fragment key={t.name}>
                  <tr>
                    <th scope="row">
                      <button type="button" className="link" aria-expanded={open === t.name} onClick={() => setOpen(open === t.name ? null : t.name)}>
                        {open === t.name ? '▾' : '▸'} {t.name}
                      </button>
                    </th>
                    <td className="num" data-testid={`rows-${t.name}`}>
                      {formatNumber(t.rows_held)}
                    </td>
                    <td className="num">
                      {formatBytes(t.bytes_held)} / {formatBytes(t.budget_bytes)}
                    </td>
                    <td className="num">{formatNumber(t.rows_evicted)}</td>
                    <td className="num">{formatNumber(t.rows_refused)}</td>
                    <td className="small">
                      {t.min_time_ns !== null && t.max_time_ns !== null ? `${formatTime(t.min_time_ns)} … ${formatTime(t.max_time_ns).slice(11)}` : '–'}
                    </td>
                  </tr>
                  {open === t.name && (
                    <tr>
                      <td colSpan={6}>
                        <p className="muted">{t.desc}</p>
                        <table aria-label={`${t.name} schema`} className="schema">
                          <thead>
                            <tr>
                              <th scope="col">column</th>
                              <th scope="col">type</th>
                              <th scope="col">semantic type</th>
                              <th scope="col">description</th>
                            </tr>
                          </thead>
                          <tbody>
                            {t.columns.map((c) => (
                              <tr key={c.name}>
                                <td>
                                  <code>{c.name}</code>
                                </td>
                                <td>{c.data_type}</td>
                                <td>{c.semantic_type}</td>
                                <td>{c.desc}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
