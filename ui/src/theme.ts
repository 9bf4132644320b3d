// Dark and light themes: CSS variables switched by `data-theme` on <html>, remembered in localStorage.
import { useCallback, useEffect, useState } from 'react';

export type Theme = 'dark' | 'light';
const KEY = 'seer.theme';

function initial(): Theme {
  const saved = localStorage.getItem(KEY);
  if (saved === 'dark' || saved === 'light') return saved;
  return window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(initial);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem(KEY, theme);
  }, [theme]);
  const toggle = useCallback(() => setTheme((t) => (t === 'dark' ? 'light' : 'dark')), []);
  return [theme, toggle];
}

/** Chart colours that read on both themes. */
export const PALETTE = ['#3fa7f5', '#f5a623', '#4cd07d', '#e5566b', '#a77bf3', '#2ec4b6', '#ff7f50', '#c0ca33', '#ef6ec6', '#8d99ae'];
