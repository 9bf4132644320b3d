import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../api';
import type { ScriptSummary } from '../types';

export function ScriptsPage() {
  const [scripts, setScripts] = useState<ScriptSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api
      .scripts()
      .then(setScripts)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
  }, []);

  useEffect(() => {
    // "/" focuses the search box, as on Pixie's script picker.
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key === '/' && t?.tagName !== 'INPUT' && t?.tagName !== 'TEXTAREA' && !t?.isContentEditable) {
        e.preventDefault();
        search.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (scripts ?? []).filter(
      (s) => !needle || s.name.toLowerCase().includes(needle) || s.short.toLowerCase().includes(needle),
    );
  }, [scripts, q]);

  return (
    <section aria-labelledby="scripts-title">
      <h1 id="scripts-title">Scripts</h1>
      <label htmlFor="script-search" className="visually-hidden">
        Search scripts
      </label>
      <input
        id="script-search"
        ref={search}
        type="search"
        placeholder="Search scripts (press /)"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!scripts && !error && <p role="status">Loading…</p>}
      <ul className="script-list">
        {shown.map((s) => (
          <li key={s.name}>
            <Link to={`/view/${s.name}`}>{s.name}</Link>
            <span className="muted">{s.short}</span>
          </li>
        ))}
      </ul>
      {scripts && shown.length === 0 && <p>No script matches “{q}”.</p>}
    </section>
  );
}
