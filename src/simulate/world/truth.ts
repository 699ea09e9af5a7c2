/**
 * The shape of `truth.json` (documented in `docs/simulate.md`) and the entity keys it implies: every
 * entity listed under an operator belongs to it; everything else in the world is honest.
 * @module
 */
import type { EntityKey } from '../../domain/index.js';
import type { WorldParams } from './params.js';

export interface WalletTruth {
  readonly chain: string;
  readonly address: string;
  /** The entity key Precursor gives the wallet (`wallet:<chain>:<address>`). */
  readonly key: string;
}

export interface OperatorTruth {
  readonly id: string;
  /** Account keys, `account:<provider>/<id>`. */
  readonly accounts: readonly string[];
  /** Names the operator registered or took on a platform (registrable names and tenant hosts). */
  readonly names: readonly string[];
  /** Further host names under its names (`www.…`, `login.…`) seen on certificates or pages. */
  readonly hosts: readonly string[];
  readonly wallets: readonly WalletTruth[];
  readonly cashOutWallets: readonly WalletTruth[];
  readonly certificates: readonly { sha256: string; precert: boolean; names: readonly string[] }[];
  readonly kitPages: readonly {
    host: string;
    variant: string;
    exfil: string;
    endpoint: string;
    wallet?: string;
    deployedAt: string;
    liveAt: string;
  }[];
  readonly telegramBots: readonly string[];
  readonly webhooks: readonly string[];
  /** First sign-up. */
  readonly preparedAt: string;
  readonly firstDeploymentAt: string | null;
  /** The first lure sent: the operation goes live. */
  readonly goLiveAt: string;
}

export interface NameLabel {
  readonly operator: string;
  /** `lookalike`, `lure`, `hex-slug`, `tenant-subdomain`, or `host` (a host name under one of those). */
  readonly kind: string;
  readonly template?: string;
  /** For `host`: the operator name it sits under. */
  readonly of?: string;
  readonly registeredAt: string;
  readonly account?: string;
  readonly liveAt?: string;
}

export interface WorldTruth {
  readonly version: 1;
  readonly seed: string;
  readonly scale: string;
  readonly start: string;
  readonly end: string;
  readonly days: number;
  readonly providers: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
  readonly operators: readonly OperatorTruth[];
  /** Labels of every operator host name; a name not listed is honest. */
  readonly names: Record<string, NameLabel>;
  readonly honest: {
    readonly personas: Readonly<Record<string, number>>;
    readonly organisations: readonly unknown[];
    readonly cryptoPayers: number;
    readonly pages: readonly { host: string; kind: string }[];
  };
  readonly params: WorldParams;
}

/**
 * Operator of every entity the truth names: accounts, domains (names and hosts), certificates,
 * wallets (own and cash-out), Telegram bots. The keys are those the stages write.
 */
export function operatorOfEntities(truth: Pick<WorldTruth, 'operators'>): Map<EntityKey, string> {
  const out = new Map<EntityKey, string>();
  for (const op of truth.operators) {
    const add = (k: string) => out.set(k as EntityKey, op.id);
    for (const a of op.accounts) add(a);
    for (const n of op.names) add(`domain:${n}`);
    for (const n of op.hosts) add(`domain:${n}`);
    for (const c of op.certificates) add(`cert:sha256:${c.sha256}`);
    for (const w of [...op.wallets, ...op.cashOutWallets]) add(w.key);
    for (const b of op.telegramBots) add(`telegram-bot:${b.split(':')[0]}`);
  }
  return out;
}
