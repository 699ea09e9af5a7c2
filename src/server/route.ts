/**
 * A route is declared once — method, path, role, schemas, handler — and that declaration both
 * registers the Hono handler and writes its OpenAPI entry, so the document cannot drift from the code.
 * @module
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { PrecursorError } from '../domain/index.js';
import type { ApiKeyRecord, ApiRole } from '../store/store.js';

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly key: ApiKeyRecord | undefined;
}

export interface RouteDef<P = unknown, Q = unknown, B = unknown> {
  readonly method: 'get' | 'post' | 'delete';
  /** Hono syntax (`/v1/entities/:key`). */
  readonly path: string;
  /** `any`: any valid key, whatever its role (e.g. `GET /v1/me`). */
  readonly role: ApiRole | 'public' | 'any';
  readonly summary: string;
  readonly tag: string;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  readonly responses?: Readonly<Record<string, string>>;
  handler(c: Context, input: RouteInput<P, Q, B>): Promise<Response> | Response;
}

export function defineRoute<P = unknown, Q = unknown, B = unknown>(
  def: RouteDef<P, Q, B>,
): RouteDef<P, Q, B> {
  return def;
}

/** Validates one part of a request; a failure names the field and the reason. */
export function validate<T>(
  schema: z.ZodType<T> | undefined,
  value: unknown,
  where: 'path' | 'query' | 'body',
): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const field = first ? first.path.join('.') : '';
  throw new PrecursorError(
    'VALIDATION_FAILED',
    `${where}${field ? `.${field}` : ''}: ${first?.message ?? 'invalid'}`,
    {
      details: {
        in: where,
        issues: r.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message, code: i.code })),
      },
    },
  );
}

const jsonSchema = (s: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> => {
  const out = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
};

export function openApiDocument(
  routes: readonly RouteDef<never, never, never>[],
  info: { title: string; version: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', r.params],
      ['query', r.query],
    ] as const) {
      if (!schema) continue;
      const js = jsonSchema(schema as z.ZodType);
      const props = (js.properties ?? {}) as Record<string, unknown>;
      const required = new Set((js.required as string[] | undefined) ?? []);
      for (const [name, s] of Object.entries(props)) {
        parameters.push({ name, in: where, required: where === 'path' || required.has(name), schema: s });
      }
    }
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      parameters,
      responses: {
        ...Object.fromEntries(
          Object.entries(r.responses ?? { '200': 'OK' }).map(([k, v]) => [k, { description: v }]),
        ),
        ...(r.role === 'public'
          ? {}
          : {
              '401': { description: 'missing or unknown API key' },
              ...(r.role === 'any' ? {} : { '403': { description: `requires role ${r.role}` } }),
            }),
        '400': { description: 'validation failed (error.details.issues names each field and reason)' },
      },
      ...(r.role === 'public' ? { security: [] } : { 'x-required-role': r.role }),
    };
    if (r.body)
      op.requestBody = {
        required: true,
        content: { 'application/json': { schema: jsonSchema(r.body as z.ZodType) } },
      };
    paths[path] = { ...paths[path], [r.method]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description: 'Precursor API. Send `Authorization: Bearer <key>` (or `X-API-Key`); keys carry a role.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
  };
}
