import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../api';
import { ArgsForm, type ArgField } from '../components/ArgsForm';
import { CodeEditor } from '../components/Editor';
import { HealthBanner, StatsLine } from '../components/Health';
import { TimeRangePicker } from '../components/TimeRange';
import type { FunctionSig, RunRequest, RunResult } from '../types';
import { parseVis, type Vis } from '../vis';
import { PlainTables, WidgetCard } from '../widgets/Widget';

const PXL_KEY = 'seer.scratch.pxl';
const VIS_KEY = 'seer.scratch.vis';
const EXAMPLE = `import px

# Ctrl+Enter runs the script. px.display() shows a table.
df = px.DataFrame(table='process_stats', start_time='-30s')
df.cmd = df.ctx['cmdline']
df = df.groupby('cmd').agg(rss_bytes=('rss_bytes', px.max), samples=('time_', px.count))
px.display(df, 'memory_by_command')
`;

/** Scratch pad: write PxL (and optionally a vis.json), run with Ctrl+Enter, see errors inline. */
export function ScratchPage() {
  const [pxl, setPxl] = useState(() => sessionStorage.getItem(PXL_KEY) ?? EXAMPLE);
  const [visText, setVisText] = useState(() => sessionStorage.getItem(VIS_KEY) ?? '');
  const [tab, setTab] = useState<'pxl' | 'vis'>('pxl');
  const [funcs, setFuncs] = useState<FunctionSig[]>([]);
  const [func, setFunc] = useState('');
  const [args, setArgs] = useState<Record<string, string>>({});
  const [startTime, setStartTime] = useState('-5m');
  const [result, setResult] = useState<RunResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [running, setRunning] = useState(false);
  const dark = document.documentElement.dataset.theme !== 'light';

  useEffect(() => sessionStorage.setItem(PXL_KEY, pxl), [pxl]);
  useEffect(() => sessionStorage.setItem(VIS_KEY, visText), [visText]);
  useEffect(() => {
    const t = window.setTimeout(() => {
      api
        .signatures(pxl)
        .then(setFuncs)
        .catch(() => undefined);
    }, 400);
    return () => window.clearTimeout(t);
  }, [pxl]);

  const vis = useMemo((): Vis | string | null => {
    if (visText.trim() === '') return null;
    try {
      return parseVis(visText);
    } catch (e) {
      return (e as Error).message;
    }
  }, [visText]);
  const visObj = typeof vis === 'object' ? vis : null;
  const sig = funcs.find((f) => f.name === func);

  const fields: ArgField[] = useMemo(() => {
    if (visObj)
      return visObj.variables
        .filter((v) => v.name !== 'start_time')
        .map((v) => ({ name: v.name, type: v.type, description: v.description, validValues: v.validValues, placeholder: v.defaultValue ?? '' }));
    if (sig)
      return sig.params
        .filter((p) => p.name !== 'start_time')
        .map((p) => ({ name: p.name, type: p.annotation, description: p.annotation, validValues: [], placeholder: p.default ?? '' }));
    return [];
  }, [visObj, sig]);

  const run = useCallback(() => {
    const req: RunRequest = { pxl, args: Object.fromEntries(Object.entries(args).filter(([k, v]) => v !== '' && fields.some((f) => f.name === k))) };
    if (visText.trim() !== '') req.vis = visText;
    else if (func) req.func = func;
    if (req.vis || req.func) req.start_time = startTime;
    setRunning(true);
    api
      .run(req)
      .then((r) => {
        setResult(r);
        setError(null);
      })
      .catch((e: unknown) => {
        setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e)));
        setResult(null);
        if (e instanceof ApiError && e.kind === 'vis') setTab('vis');
        if (e instanceof ApiError && e.kind === 'compile') setTab('pxl');
      })
      .finally(() => setRunning(false));
  }, [pxl, visText, func, args, fields, startTime]);

  const editorError = error?.kind === 'compile' && error.line ? { line: error.line, column: error.column ?? 1, message: error.message } : null;

  return (
    <section aria-labelledby="scratch-title" className="scratch">
      <div className="view-head">
        <h1 id="scratch-title">Scratch pad</h1>
        <div className="controls">
          <TimeRangePicker value={startTime} onChange={setStartTime} />
          <button type="button" className="primary" onClick={run} disabled={running} aria-keyshortcuts="Control+Enter">
            {running ? 'Running…' : '▶ Run (Ctrl+Enter)'}
          </button>
        </div>
      </div>
      <div role="tablist" aria-label="Editors" className="tabs">
        <button type="button" role="tab" id="tab-pxl" aria-selected={tab === 'pxl'} aria-controls="panel-pxl" onClick={() => setTab('pxl')}>
          PxL script
        </button>
        <button type="button" role="tab" id="tab-vis" aria-selected={tab === 'vis'} aria-controls="panel-vis" onClick={() => setTab('vis')}>
          vis.json {visText.trim() ? '' : '(optional)'}
        </button>
      </div>
      <div id="panel-pxl" role="tabpanel" aria-labelledby="tab-pxl" hidden={tab !== 'pxl'}>
        <CodeEditor value={pxl} onChange={setPxl} onRun={run} language="pxl" dark={dark} label="PxL script editor" error={editorError} />
      </div>
      <div id="panel-vis" role="tabpanel" aria-labelledby="tab-vis" hidden={tab !== 'vis'}>
        <CodeEditor value={visText} onChange={setVisText} onRun={run} language="json" dark={dark} label="vis.json editor" error={null} />
        {typeof vis === 'string' && <p className="error small">{vis}</p>}
      </div>
      {!visObj && funcs.length > 0 && (
        <div className="row">
          <label htmlFor="scratch-func">Function</label>
          <select id="scratch-func" value={func} onChange={(e) => setFunc(e.target.value)}>
            <option value="">(run the script’s top level)</option>
            {funcs.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}({f.params.map((p) => p.name).join(', ')})
              </option>
            ))}
          </select>
        </div>
      )}
      <ArgsForm fields={fields} values={args} onChange={(n, v) => setArgs((a) => ({ ...a, [n]: v }))} onSubmit={run} />
      {error && (
        <div className="error compile-error" role="alert" data-line={error.line ?? ''} data-column={error.column ?? ''}>
          {error.line ? (
            <>
              <strong>
                Line {error.line}, column {error.column}:
              </strong>{' '}
              {error.message}
            </>
          ) : (
            error.message
          )}
        </div>
      )}
      {result && (
        <div className="results" aria-label="Results">
          <HealthBanner warnings={result.warnings} />
          <StatsLine stats={result.stats} />
          {visObj && visObj.widgets.length > 0 ? (
            <div className="grid">
              {visObj.widgets.map((w, i) => (
                <WidgetCard key={`${w.outputName}-${i}`} w={w} index={i} tables={result.tables} />
              ))}
            </div>
          ) : (
            <PlainTables tables={result.tables} />
          )}
        </div>
      )}
    </section>
  );
}
