import { useId, useState } from 'react';
import { parseStartTime } from '../timerange';

export const PRESETS = ['-5m', '-15m', '-1h'] as const;

interface Props {
  value: string;
  onChange: (v: string) => void;
}

/** Relative start of the queried window: presets or a custom value (`-2h`, or an absolute date). */
export function TimeRangePicker({ value, onChange }: Props) {
  const id = useId();
  const isPreset = (PRESETS as readonly string[]).includes(value);
  const [custom, setCustom] = useState(isPreset ? '' : value);
  const [mode, setMode] = useState<string>(isPreset ? value : 'custom');
  const [error, setError] = useState<string | null>(null);

  const applyCustom = (text: string) => {
    const v = parseStartTime(text, Date.now());
    if (v === null) {
      setError('use a relative time such as -30s, -2h or a date such as 2026-11-29 14:00');
      return;
    }
    setError(null);
    onChange(v);
  };

  return (
    <div className="timerange" role="group" aria-label="Time range picker">
      <label htmlFor={`${id}-sel`}>Time range</label>
      <select
        id={`${id}-sel`}
        value={mode}
        onChange={(e) => {
          setMode(e.target.value);
          if (e.target.value !== 'custom') onChange(e.target.value);
        }}
      >
        {PRESETS.map((p) => (
          <option key={p} value={p}>
            last {p.slice(1)}
          </option>
        ))}
        <option value="custom">custom…</option>
      </select>
      {mode === 'custom' && (
        <>
          <label htmlFor={`${id}-custom`} className="visually-hidden">
            Custom start time
          </label>
          <input
            id={`${id}-custom`}
            className="narrow"
            placeholder="-30s or 2026-11-29 14:00"
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') applyCustom(custom);
            }}
            onBlur={() => custom && applyCustom(custom)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-err` : undefined}
          />
          {error && (
            <span id={`${id}-err`} className="error small" role="alert">
              {error}
            </span>
          )}
        </>
      )}
    </div>
  );
}

interface RefreshProps {
  intervalSec: number;
  setIntervalSec: (n: number) => void;
  paused: boolean;
  setPaused: (p: boolean) => void;
  onRefresh: () => void;
  running: boolean;
}

/** Auto-refresh interval, pause/resume and a manual refresh. */
export function RefreshControl({ intervalSec, setIntervalSec, paused, setPaused, onRefresh, running }: RefreshProps) {
  const id = useId();
  return (
    <div className="refresh" role="group" aria-label="Refresh controls">
      <label htmlFor={`${id}-int`}>Auto-refresh</label>
      <select id={`${id}-int`} value={intervalSec} onChange={(e) => setIntervalSec(Number(e.target.value))}>
        <option value={0}>off</option>
        <option value={5}>5 s</option>
        <option value={10}>10 s</option>
        <option value={30}>30 s</option>
        <option value={60}>1 min</option>
      </select>
      <button type="button" onClick={() => setPaused(!paused)} aria-pressed={paused} disabled={intervalSec === 0}>
        {paused ? '▶ Resume' : '❚❚ Pause'}
      </button>
      <button type="button" onClick={onRefresh} disabled={running}>
        ⟳ Run now
      </button>
    </div>
  );
}
