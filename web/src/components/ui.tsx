import type { ComponentChildren } from 'preact';
import { ApiError } from '../lib/api.js';
import { band } from '../lib/format.js';

export function Score({ value, label = 'score' }: { value: number | null | undefined; label?: string }) {
  return (
    <span class={`score s-${band(value)}`} title={label}>
      <span class="sr-only">{label} </span>
      {value === null || value === undefined ? '–' : Math.round(value)}
    </span>
  );
}

export function Problem({ error, what }: { error: Error | undefined; what: string }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'ERROR';
  return (
    <p class="err" role="alert">
      Could not load {what}: <code>{code}</code> {error.message}
    </p>
  );
}

export function Panel({
  title,
  children,
  actions,
  id,
  class: cls,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
  id?: string;
  class?: string;
}) {
  const hid = `${id ?? title.replace(/\W+/g, '-').toLowerCase()}-h`;
  return (
    <section class={`panel ${cls ?? ''}`} aria-labelledby={hid} {...(id ? { id } : {})}>
      <div class="panel-head">
        <h2 id={hid}>{title}</h2>
        {actions ? <div class="actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="hint">{children}</p>;
}

export function Strength({ value }: { value: string }) {
  return <span class={`pill str-${value}`}>{value}</span>;
}

export function Tag({ children, tone }: { children: ComponentChildren; tone?: string }) {
  return <span class={`pill ${tone ? `t-${tone}` : ''}`}>{children}</span>;
}
