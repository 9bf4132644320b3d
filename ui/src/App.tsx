import { useCallback, useEffect, useState } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router-dom';
import { api, UNAUTHENTICATED_EVENT } from './api';
import { LoginPage } from './pages/LoginPage';
import { ScriptsPage } from './pages/ScriptsPage';
import { ViewPage } from './pages/ViewPage';
import { ScratchPage } from './pages/ScratchPage';
import { TablesPage } from './pages/TablesPage';
import { useTheme } from './theme';

type AuthState = 'checking' | 'in' | 'out';

export function App() {
  const [auth, setAuth] = useState<AuthState>('checking');
  const [theme, toggleTheme] = useTheme();

  useEffect(() => {
    // A one-time login link carries its nonce in the fragment (#login=…), which never reaches the server
    // in a request line; post it once and drop it from the address bar.
    const m = /^#login=([0-9a-f]+)$/.exec(window.location.hash);
    if (m?.[1]) {
      history.replaceState(null, '', window.location.pathname + window.location.search);
      api
        .login({ nonce: m[1] })
        .then(() => setAuth('in'))
        .catch(() => setAuth('out'));
      return;
    }
    api
      .session()
      .then(() => setAuth('in'))
      .catch(() => setAuth('out'));
  }, []);

  useEffect(() => {
    const onOut = () => setAuth('out');
    window.addEventListener(UNAUTHENTICATED_EVENT, onOut);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, onOut);
  }, []);

  const logout = useCallback(() => {
    api
      .logout()
      .catch(() => undefined)
      .finally(() => setAuth('out'));
  }, []);

  if (auth === 'checking') {
    return (
      <p className="centered" role="status">
        Loading…
      </p>
    );
  }
  if (auth === 'out') {
    return <LoginPage onLogin={() => setAuth('in')} theme={theme} toggleTheme={toggleTheme} />;
  }
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand" aria-label="Seer">
          ◉ Seer
        </span>
        <nav aria-label="Main">
          <NavLink to="/scripts">Scripts</NavLink>
          <NavLink to="/scratch">Scratch pad</NavLink>
          <NavLink to="/tables">Tables</NavLink>
        </nav>
        <div className="topbar-right">
          <button type="button" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
            {theme === 'dark' ? '☀ Light' : '☾ Dark'}
          </button>
          <button type="button" onClick={logout}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Navigate to="/scripts" replace />} />
          <Route path="/scripts" element={<ScriptsPage />} />
          <Route path="/view/*" element={<ViewPage />} />
          <Route path="/scratch" element={<ScratchPage />} />
          <Route path="/tables" element={<TablesPage />} />
          <Route path="*" element={<p>Page not found.</p>} />
        </Routes>
      </main>
    </>
  );
}
