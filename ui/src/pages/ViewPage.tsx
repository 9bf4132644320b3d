import { useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api';
import { ArgsForm, type ArgField } from '../components/ArgsForm';
import { HealthBanner, StatsLine } from '../components/Health';
import { RefreshControl, TimeRangePicker } from '../components/TimeRange';
import type { RunRequest, ScriptDetail } from '../types';
import { useRun } from '../useRun';
import { parseVis, type Vis } from '../vis';
import { PlainTables, WidgetCard } from '../widgets/Widget';

const START = 'start_time';

/** A live view: a bundled script's widgets, its arguments, time range and auto-refresh. */
export function ViewPage() {
  const name = useParams()['*'] ?? '';
  const [params, setParams] = useSearchParams();
  const [detail, setDetail] = useState<ScriptDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [intervalSec, setIntervalSec] = useState(10);
  const [paused, setPaused] = useState(false);

  useEffect(() => {
    setDetail(null);
    setLoadError(null);
    api
      .script(name)
      .then(setDetail)
      .catch((e: unknown) => setLoadError(e instanceof ApiError ? e.message : String(e)));
  }, [name]);

  const vis = useMemo((): Vis | string | null => {
    if (!detail?.vis) return null;
    try {
      return parseVis(detail.vis);
    } catch (e) {
      return (e as Error).message;
    }
  }, [detail]);

  // Arguments live in the URL (deep links): ?start_time=-5m&arg.pid=42&func=f
  const urlArgs = useMemo(() => {
    const a: Record<string, string> = {};
    params.forEach((v, k) => {
      if (k.startsWith('arg.')) a[k.slice(4)] = v;
    });
    return a;
  }, [params]);
  const [draft, setDraft] = useState<Record<string, string>>(urlArgs);
  useEffect(() => setDraft(urlArgs), [urlArgs]);

  const func = params.get('func') ?? '';
  const visObj = typeof vis === 'object' ? vis : null;
  const defaultStart = visObj?.variables.find((v) => v.name === START)?.defaultValue ?? '-5m';
  const startTime = params.get(START) ?? defaultStart;
  const sig = detail?.functions.find((f) => f.name === func);
  const takesStart = visObj ? visObj.variables.some((v) => v.name === START) : !!sig?.params.some((p) => p.name === START);

  const fields: ArgField[] = useMemo(() => {
    if (visObj)
      return visObj.variables
        .filter((v) => v.name !== START)
        .map((v) => ({ name: v.name, type: v.type, description: v.description, validValues: v.validValues, placeholder: v.defaultValue ?? '' }));
    if (sig)
      return sig.params
        .filter((p) => p.name !== START)
        .map((p) => ({ name: p.name, type: p.annotation, description: p.annotation, validValues: [], placeholder: p.default ?? '' }));
    return [];
  }, [visObj, sig]);

  const req: RunRequest | null = useMemo(() => {
    if (!detail || typeof vis === 'string') return null;
    const args = Object.fromEntries(Object.entries(urlArgs).filter(([, v]) => v !== ''));
    const r: RunRequest = { script: detail.name, args };
    if (!visObj && func) r.func = func;
    if (takesStart) r.start_time = startTime;
    return r;
  }, [detail, vis, visObj, urlArgs, func, startTime, takesStart]);

  const run = useRun(req, intervalSec, paused);

  const update = (mut: (p: URLSearchParams) => void) => {
    const p = new URLSearchParams(params);
    mut(p);
    setParams(p);
  };

  if (loadError)
    return (
      <p className="error" role="alert">
        {loadError} — <Link to="/scripts">back to scripts</Link>
      </p>
    );
  if (!detail) return <p role="status">Loading {name}…</p>;

  return (
    <section aria-labelledby="view-title">
      <div className="view-head">
        <div>
          <h1 id="view-title">{detail.name}</h1>
          <p className="muted">{detail.manifest.short}</p>
        </div>
        <div className="controls">
          {takesStart && <TimeRangePicker key={startTime} value={startTime} onChange={(v) => update((p) => p.set(START, v))} />}
          <RefreshControl
            intervalSec={intervalSec}
            setIntervalSec={setIntervalSec}
            paused={paused}
            setPaused={setPaused}
            onRefresh={run.runNow}
            running={run.running}
          />
        </div>
      </div>
      {!visObj && detail.functions.length > 0 && (
        <div className="row">
          <label htmlFor="func-select">Function</label>
          <select id="func-select" value={func} onChange={(e) => update((p) => (e.target.value ? p.set('func', e.target.value) : p.delete('func')))}>
            <option value="">(run the script’s top level)</option>
            {detail.functions.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}({f.params.map((p) => p.name).join(', ')})
              </option>
            ))}
          </select>
        </div>
      )}
      <ArgsForm
        fields={fields}
        values={draft}
        onChange={(n, v) => setDraft((d) => ({ ...d, [n]: v }))}
        onSubmit={() =>
          update((p) => {
            for (const f of fields) {
              const v = draft[f.name] ?? '';
              if (v === '') p.delete(`arg.${f.name}`);
              else p.set(`arg.${f.name}`, v);
            }
          })
        }
      />
      {typeof vis === 'string' && (
        <p className="error" role="alert">
          {vis}
        </p>
      )}
      <div className="status-line" aria-live="polite">
        {run.running ? <span role="status">Running…</span> : run.lastRun && <span className="muted small">updated {run.lastRun.toLocaleTimeString()}</span>}
        {paused && intervalSec > 0 && <span className="badge">paused</span>}
      </div>
      {run.error && (
        <p className="error" role="alert">
          {run.error.line ? `line ${run.error.line}, column ${run.error.column}: ` : ''}
          {run.error.message}
        </p>
      )}
      {run.result && (
        <>
          <HealthBanner warnings={run.result.warnings} />
          <StatsLine stats={run.result.stats} />
          {visObj && visObj.widgets.length > 0 ? (
            <div className="grid">
              {visObj.widgets.map((w, i) => (
                <WidgetCard key={`${w.outputName}-${i}`} w={w} index={i} tables={run.result?.tables ?? []} />
              ))}
            </div>
          ) : (
            <PlainTables tables={run.result.tables} />
          )}
        </>
      )}
    </section>
  );
}
