/** Contracts that live in docs: every error code and every CLI command is documented. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CODES } from '../src/domain/errors.js';
import { ConfigSchema } from '../src/config/config-schema.js';
import { ENV_MAP } from '../src/config/load-config.js';

const read = (p: string) => readFileSync(new URL(`../${p}`, import.meta.url), 'utf8');

describe('documentation', () => {
  it('docs/errors.md lists every error code', () => {
    const doc = read('docs/errors.md');
    for (const code of Object.keys(ERROR_CODES)) assert.match(doc, new RegExp(`\\b${code}\\b`), code);
  });
  it('docs/errors.md lists every crawl error code', async () => {
    const { CRAWL_ERROR_CODES } = await import('../src/ingest/crawl/crawl-error.js');
    const doc = read('docs/errors.md');
    for (const code of Object.keys(CRAWL_ERROR_CODES)) assert.match(doc, new RegExp(`\\b${code}\\b`), code);
  });
  it('docs/config.md lists every top-level key and environment variable', () => {
    const doc = read('docs/config.md');
    for (const key of Object.keys(ConfigSchema.shape)) assert.match(doc, new RegExp(`\\b${key}\\b`), key);
    for (const env of Object.keys(ENV_MAP)) assert.match(doc, new RegExp(`\\b${env}\\b`), env);
  });
  it('docs/cli.md documents every command and the exit codes', async () => {
    const { COMMANDS } = await import('../src/cli/main.js');
    const { Command } = await import('commander');
    const { PassThrough } = await import('node:stream');
    const program = new Command();
    const io = {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      env: {},
      cwd: '.',
    };
    for (const c of COMMANDS) c.register(program, io, () => {});
    const doc = read('docs/cli.md');
    const walk = (cmd: InstanceType<typeof Command>, prefix: string): string[] =>
      cmd.commands.flatMap((c) => [`${prefix}${c.name()}`, ...walk(c, `${prefix}${c.name()} `)]);
    for (const name of walk(program, '')) assert.ok(doc.includes(`precursor ${name}`), `precursor ${name}`);
    const { EXIT } = await import('../src/cli/exit-codes.js');
    for (const [name, code] of Object.entries(EXIT))
      assert.match(doc, new RegExp(`\\| ${code} \\|.*${name}`), name);
  });
});
