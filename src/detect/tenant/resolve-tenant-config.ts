/**
 * Validates a tenant configuration section (`detectors.tenant` in precursor.yaml) against the shape of
 * the defaults: every key must exist there and carry the same type, so a typo or a string where a
 * number belongs fails at start-up with the path at fault instead of silently keeping a default.
 * @module
 */
import { PrecursorError } from '../../domain/index.js';
import { DEFAULT_IDENTITY_CONFIG, type IdentityConfig } from '../../correlate/identity/identity.js';
import {
  DEFAULT_TENANT_RULES,
  type DeepPartial,
  type TenantConfig,
  type TenantRules,
} from './tenant-config.js';

function check(value: unknown, shape: unknown, path: string): void {
  if (shape === null || typeof shape !== 'object' || Array.isArray(shape)) {
    const want = Array.isArray(shape) ? 'array' : typeof shape;
    const got = Array.isArray(value) ? 'array' : typeof value;
    if (want !== got || (typeof value === 'number' && !Number.isFinite(value))) {
      throw new PrecursorError(
        'CONFIG_INVALID',
        `tenant config: ${path} must be a${want === 'array' ? 'n array' : ` ${want}`}, got ${got}`,
      );
    }
    if (want === 'number' && (value as number) < 0)
      throw new PrecursorError('CONFIG_INVALID', `tenant config: ${path} must be >= 0`);
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PrecursorError('CONFIG_INVALID', `tenant config: ${path} must be an object`);
  }
  for (const [k, v] of Object.entries(value)) {
    const s = (shape as Record<string, unknown>)[k];
    // domainAliases is the one open map.
    if (path.endsWith('domainAliases')) {
      if (typeof v !== 'string')
        throw new PrecursorError('CONFIG_INVALID', `tenant config: ${path}.${k} must be a string`);
      continue;
    }
    if (s === undefined && path === 'identity' && k === 'strengths')
      throw new PrecursorError(
        'CONFIG_INVALID',
        'tenant config: identity.strengths moved to the top-level `pivots` section (docs/config.md)',
      );
    if (s === undefined)
      throw new PrecursorError('CONFIG_INVALID', `tenant config: unknown key ${path}.${k}`);
    check(v, s, `${path}.${k}`);
  }
}

/**
 * @example
 * ```ts
 * const config = resolveTenantConfig({ defaults: { velocity: { payment: { threshold: 4 } } }, providers: { 'static-host': { deployment: { baselineDeployments: 20 } } } });
 * ```
 */
export function resolveTenantConfig(input: unknown): TenantConfig {
  if (input === undefined || input === null)
    return { defaults: DEFAULT_TENANT_RULES, providers: {}, identity: DEFAULT_IDENTITY_CONFIG };
  if (typeof input !== 'object' || Array.isArray(input))
    throw new PrecursorError('CONFIG_INVALID', 'tenant config must be an object');
  const { defaults, providers, identity, ...rest } = input as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0)
    throw new PrecursorError(
      'CONFIG_INVALID',
      `tenant config: unknown key ${extra[0]} (expected defaults, providers, identity)`,
    );
  if (defaults !== undefined) check(defaults, DEFAULT_TENANT_RULES, 'defaults');
  if (identity !== undefined) check(identity, DEFAULT_IDENTITY_CONFIG, 'identity');
  if (providers !== undefined) {
    if (providers === null || typeof providers !== 'object')
      throw new PrecursorError('CONFIG_INVALID', 'tenant config: providers must be an object');
    for (const [p, v] of Object.entries(providers)) check(v, DEFAULT_TENANT_RULES, `providers.${p}`);
  }
  const merge = <T>(base: T, over: unknown): T => {
    if (over === undefined) return base;
    if (base === null || typeof base !== 'object' || Array.isArray(base)) return over as T;
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = merge(out[k], v);
    return out as T;
  };
  return {
    defaults: merge<TenantRules>(DEFAULT_TENANT_RULES, defaults),
    providers: (providers ?? {}) as Record<string, DeepPartial<TenantRules>>,
    identity: merge<IdentityConfig>(DEFAULT_IDENTITY_CONFIG, identity),
  };
}
