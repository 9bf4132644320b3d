import { type FormEvent, useState } from 'react';
import { api, ApiError } from '../api';
import type { Theme } from '../theme';

interface Props {
  onLogin: () => void;
  theme: Theme;
  toggleTheme: () => void;
}

export function LoginPage({ onLogin, theme, toggleTheme }: Props) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login({ token: token.trim() });
      setToken('');
      onLogin();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'login failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">◉ Seer</h1>
        <p>
          Paste the access token of <code>seer up</code> (in <code>/var/lib/seer/token</code>, or the data directory it
          printed), or open the one-time login link it printed.
        </p>
        <label htmlFor="token">Access token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          autoFocus
          required
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy || token.trim() === ''}>
            Log in
          </button>
          <button type="button" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
            {theme === 'dark' ? '☀' : '☾'}
          </button>
        </div>
      </form>
    </main>
  );
}
