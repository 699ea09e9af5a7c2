// Dark and light: the system's preference unless the user picked one (kept in localStorage).
import { useEffect, useState } from 'preact/hooks';

export type Theme = 'dark' | 'light';
const KEY = 'precursor.theme';
const media = () => window.matchMedia('(prefers-color-scheme: light)');

export function currentTheme(): Theme {
  const saved = localStorage.getItem(KEY);
  if (saved === 'dark' || saved === 'light') return saved;
  return media().matches ? 'light' : 'dark';
}

/**
 * Sets the theme on the document before the first render: applied only by the app's effect, a saved
 * light theme flashed dark on every load and was not yet set when the page's load event fired.
 */
export function applyInitialTheme(): void {
  document.documentElement.dataset.theme = currentTheme();
}

function apply(t: Theme): void {
  document.documentElement.dataset.theme = t;
  window.dispatchEvent(new CustomEvent('themechange', { detail: t }));
}

export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(currentTheme);
  useEffect(() => {
    apply(theme);
  }, [theme]);
  useEffect(() => {
    const m = media();
    const on = () => {
      if (!localStorage.getItem(KEY)) setTheme(m.matches ? 'light' : 'dark');
    };
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  const toggle = () => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(KEY, next);
    // At once, in the click's own task: the effect would apply it only after the next paint.
    apply(next);
    setTheme(next);
  };
  return [theme, toggle];
}

/** A theme colour from the stylesheet's custom properties (charts and the graph draw on canvas). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Re-renders the caller when the theme changes (canvas drawings read colours at draw time). */
export function useThemeVersion(): number {
  const [v, setV] = useState(0);
  useEffect(() => {
    const on = () => setV((x) => x + 1);
    window.addEventListener('themechange', on);
    return () => window.removeEventListener('themechange', on);
  }, []);
  return v;
}
