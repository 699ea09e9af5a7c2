/**
 * Configuration = optional `precursor.yaml` + environment variables (which win), validated once.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { PrecursorError } from '../domain/index.js';
import { type Config, ConfigSchema } from './config-schema.js';

// The YAML parser loads only when there is a file to read (most runs have none): start-up of every command.
const requireCjs = createRequire(import.meta.url);
const parseYaml = (text: string): unknown => (requireCjs('yaml') as typeof import('yaml')).parse(text);

/** Environment variable → dotted config path. */
export const ENV_MAP: Readonly<Record<string, string>> = Object.freeze({
  PRECURSOR_HOME: 'home',
  PRECURSOR_DATABASE_URL: 'database.url',
  PRECURSOR_DATABASE_SCHEMA: 'database.schema',
  PRECURSOR_STREAM_URL: 'stream.url',
  PRECURSOR_STREAM_PREFIX: 'stream.prefix',
  PRECURSOR_HOST: 'server.host',
  PRECURSOR_PORT: 'server.port',
  PRECURSOR_FLAG_THRESHOLD: 'scoring.flag',
  PRECURSOR_BRANDS: 'brands',
  PRECURSOR_ALLOW_PRIVATE: 'crawl.allowPrivate',
  PRECURSOR_LOG_LEVEL: 'log.level',
});

/** How a boolean environment variable reads: `1` or `true` (any case) is on, anything else off. */
export const envFlag = (v: string | undefined): boolean => v === '1' || v?.toLowerCase() === 'true';

export interface LoadConfigOptions {
  /** Explicit file (fails if missing); otherwise PRECURSOR_CONFIG, then ./precursor.yaml if present. */
  readonly file?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = target;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (next === null || typeof next !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] as string] = value;
}

export function loadConfig(
  options: LoadConfigOptions = {},
): Config & { readonly source: string | undefined } {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? env.PRECURSOR_CONFIG;
  const file = explicit
    ? resolve(cwd, explicit)
    : existsSync(resolve(cwd, 'precursor.yaml'))
      ? resolve(cwd, 'precursor.yaml')
      : undefined;
  let raw: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new PrecursorError('CONFIG_INVALID', `cannot read config file ${file}: ${(e as Error).message}`);
    }
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e) {
      throw new PrecursorError('CONFIG_INVALID', `${file}: invalid YAML: ${(e as Error).message}`);
    }
    if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc))) {
      throw new PrecursorError('CONFIG_INVALID', `${file}: the top level must be a mapping`);
    }
    raw = (doc as Record<string, unknown> | null) ?? {};
  }
  for (const [name, path] of Object.entries(ENV_MAP)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    setPath(raw, path, path === 'crawl.allowPrivate' ? envFlag(v) : v);
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PrecursorError(
      'CONFIG_INVALID',
      `invalid configuration${file ? ` in ${file}` : ''}: ${issues}`,
      {
        details: { issues: parsed.error.issues },
      },
    );
  }
  const home = resolve(cwd, parsed.data.home);
  return { ...parsed.data, home, source: file };
}
