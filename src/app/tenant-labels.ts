/**
 * The labels `precursor eval tenants` scores against: which accounts belong to which operator, and when
 * each operator first deployed (for lead time). Every account not labelled is honest.
 *
 * Two forms are read:
 * - JSON with `operators: [{ id, accounts: [...], style?, firstDeploymentAt? }]` — the truth.json of
 *   `precursor simulate tenants` and of `precursor simulate world` are of this shape;
 * - text, one account per line: `account<TAB or comma>operator[<sep>first-deployment ISO time]`
 *   (`#` starts a comment). An operator of `honest` or `-` labels an account honest explicitly.
 * Accounts are written as keys (`account:<provider>/<id>`) or as `<provider>/<id>`.
 * @module
 */
import { PrecursorError } from '../domain/index.js';

export interface LabelledOperator {
  readonly id: string;
  readonly style?: string;
  readonly accounts: readonly string[];
  /** ISO time of its first phishing deployment, when known. */
  readonly firstDeploymentAt?: string;
}

export interface TenantLabels {
  readonly operators: readonly LabelledOperator[];
}

const invalid = (file: string, why: string) =>
  new PrecursorError('VALIDATION_FAILED', `labels ${file}: ${why}`);

const accountKey = (file: string, where: string, raw: unknown): string => {
  if (typeof raw !== 'string' || raw.trim() === '')
    throw invalid(file, `${where}: an account must be a non-empty string`);
  const a = raw.trim();
  const key = a.startsWith('account:') ? a : `account:${a}`;
  if (!/^account:[^/\s]+\/\S+$/.test(key))
    throw invalid(file, `${where}: '${a}' is not an account (account:<provider>/<id> or <provider>/<id>)`);
  return key;
};

const isoOrUndefined = (file: string, where: string, raw: unknown): string | undefined => {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string' || Number.isNaN(Date.parse(raw)))
    throw invalid(file, `${where}: '${String(raw)}' is not an ISO time`);
  return new Date(raw).toISOString();
};

export function parseTenantLabels(text: string, file: string): TenantLabels {
  const trimmed = text.trimStart();
  return trimmed.startsWith('{') ? fromJson(trimmed, file) : fromLines(text, file);
}

function fromJson(text: string, file: string): TenantLabels {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid(file, `not JSON: ${(e as Error).message}`);
  }
  const ops = (doc as { operators?: unknown }).operators;
  if (!Array.isArray(ops)) throw invalid(file, "expected an object with an 'operators' array");
  const seen = new Map<string, string>();
  const operators = ops.map((o: unknown, i): LabelledOperator => {
    const op = o as Record<string, unknown>;
    const where = `operators[${i}]`;
    if (typeof op?.id !== 'string' || op.id === '') throw invalid(file, `${where}: 'id' must be a string`);
    if (!Array.isArray(op.accounts)) throw invalid(file, `${where}: 'accounts' must be an array`);
    const accounts = op.accounts.map((a, j) => accountKey(file, `${where}.accounts[${j}]`, a));
    for (const a of accounts) claim(seen, a, op.id, file);
    const firstDeploymentAt = isoOrUndefined(file, `${where}.firstDeploymentAt`, op.firstDeploymentAt);
    return {
      id: op.id,
      ...(typeof op.style === 'string' ? { style: op.style } : {}),
      accounts,
      ...(firstDeploymentAt ? { firstDeploymentAt } : {}),
    };
  });
  return { operators };
}

function fromLines(text: string, file: string): TenantLabels {
  const byOperator = new Map<string, { accounts: string[]; firstDeploymentAt?: string }>();
  const seen = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const [rawAccount, rawOperator, rawAt, ...rest] = line.split(/\s*[\t,]\s*/);
    const where = `line ${i + 1}`;
    if (rest.length > 0 || rawOperator === undefined || rawOperator === '')
      throw invalid(file, `${where}: expected 'account, operator[, first deployment]'`);
    const account = accountKey(file, where, rawAccount);
    const honest = rawOperator === 'honest' || rawOperator === '-';
    claim(seen, account, honest ? 'honest' : rawOperator, file);
    if (honest) continue;
    const op = byOperator.get(rawOperator) ?? { accounts: [] };
    op.accounts.push(account);
    const at = isoOrUndefined(file, where, rawAt);
    if (at && (!op.firstDeploymentAt || at < op.firstDeploymentAt)) op.firstDeploymentAt = at;
    byOperator.set(rawOperator, op);
  }
  return {
    operators: [...byOperator].map(([id, o]) => ({
      id,
      accounts: o.accounts,
      ...(o.firstDeploymentAt ? { firstDeploymentAt: o.firstDeploymentAt } : {}),
    })),
  };
}

/** An account has one label: two different ones are a mistake in the file, not something to guess at. */
function claim(seen: Map<string, string>, account: string, label: string, file: string): void {
  const before = seen.get(account);
  if (before !== undefined && before !== label)
    throw invalid(file, `${account} is labelled both '${before}' and '${label}'`);
  seen.set(account, label);
}
