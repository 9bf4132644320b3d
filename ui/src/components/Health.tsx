import type { DataWarning, RunStats } from '../types';
import { formatBytes, formatNumber } from '../format';

/** Data-health warning: the queried window overlaps evicted or dropped rows. */
export function HealthBanner({ warnings }: { warnings: DataWarning[] }) {
  if (warnings.length === 0) return null;
  const evicted = warnings.reduce((n, w) => n + w.rows_evicted, 0);
  const dropped = warnings.reduce((n, w) => n + w.rows_dropped, 0);
  return (
    <div className="health" role="alert" aria-label="Data health warning">
      <strong>⚠ Incomplete data:</strong> the queried window lost {formatNumber(evicted)} evicted and{' '}
      {formatNumber(dropped)} dropped rows.
      <ul>
        {warnings.map((w) => (
          <li key={w.table}>
            <code>{w.table}</code>: {formatNumber(w.rows_evicted)} rows evicted, {formatNumber(w.rows_dropped)} dropped —{' '}
            {w.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function StatsLine({ stats }: { stats: RunStats }) {
  return (
    <p className="muted small" aria-label="Execution statistics">
      {formatNumber(stats.rows_returned)} rows returned · {formatNumber(stats.rows_scanned)} scanned (
      {formatBytes(stats.bytes_scanned)}) · {stats.batches_pruned} batches pruned · compile {stats.compile_ms.toFixed(1)} ms ·
      run {stats.exec_ms.toFixed(1)} ms
    </p>
  );
}
