import { useState } from 'preact/hooks';
import type { Theme } from '../lib/theme.js';

export function SignIn(props: {
  onSubmit: (key: string) => void;
  error: string | null;
  checking: boolean;
  theme: Theme;
  toggleTheme: () => void;
}) {
  const [key, setKey] = useState('');
  return (
    <main id="main" class="signin" tabIndex={-1}>
      <form
        class="panel"
        aria-labelledby="signin-h"
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) props.onSubmit(key.trim());
        }}
      >
        <h1 id="signin-h">
          <span class="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Precursor
        </h1>
        <p class="hint">Phishing infrastructure, caught while it is being prepared.</p>
        <label for="apikey">API key</label>
        <input
          id="apikey"
          name="apikey"
          type="password"
          autoComplete="off"
          placeholder="pcr_…"
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          aria-describedby="apikey-help"
          required
        />
        <p id="apikey-help" class="hint">
          Create one with <code>precursor keys create --role analyst</code>; <code>npm start</code> prints a
          demo key. The key stays in this tab only (sessionStorage).
        </p>
        {props.error ? (
          <p class="err" role="alert">
            {props.error}
          </p>
        ) : null}
        <div class="row">
          <button type="submit" class="primary" disabled={props.checking}>
            {props.checking ? 'Checking…' : 'Sign in'}
          </button>
          <button type="button" class="ghost" onClick={props.toggleTheme}>
            {props.theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>
        </div>
      </form>
    </main>
  );
}
