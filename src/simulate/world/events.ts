/**
 * The tenant-event feed of a world: events get ids unique per provider, arrive a little after they
 * happen (some hours late), a few are delivered twice, and the file is written in arrival order, as
 * real provider feeds behave. Unlike `simulate tenants`, a world sends no malformed events: every line
 * is one the schema accepts, so ingest figures measure detection, not parsing.
 * @module
 */
import type { Rng } from '../rng.js';

const HOUR = 3_600_000;

/** An event's JSON without its id; a re-delivery shares the record, and so the id. */
interface EventRecord {
  readonly body: string;
  id?: string;
}

interface Pending {
  readonly arrival: number;
  readonly seq: number;
  readonly record: EventRecord;
}

export type EventFields = Record<string, unknown> & {
  readonly type: string;
  readonly provider: string;
  readonly account_id: string;
  readonly ts: number;
};

export class EventFeed {
  readonly #out: Pending[] = [];
  readonly #accounts = new Set<string>();
  #seq = 0;
  #id = 0;
  duplicates = 0;
  late = 0;

  constructor(
    private readonly rng: Rng,
    private readonly end: number,
    private readonly lateRate: number,
    private readonly duplicateRate: number,
  ) {}

  /**
   * A new account id of `provider`: opaque and drawn from one sequence for honest and operator accounts
   * alike, so an id says nothing about who holds the account.
   */
  accountId(prefix: string): string {
    for (;;) {
      const id = `${prefix}-${this.rng.hex(8)}`;
      if (!this.#accounts.has(id)) {
        this.#accounts.add(id);
        return id;
      }
    }
  }

  emit(e: EventFields): void {
    if (e.ts >= this.end) return;
    const { type, provider, account_id, ts, ...rest } = e;
    const record: EventRecord = {
      body: JSON.stringify({
        type,
        provider,
        account_id,
        ts: new Date(Math.round(ts)).toISOString(),
        ...rest,
      }),
    };
    let arrival = ts + this.rng.exp(20_000);
    if (this.rng.chance(this.lateRate)) {
      arrival += this.rng.next() * 12 * HOUR;
      this.late += 1;
    }
    this.#out.push({ arrival, seq: this.#seq++, record });
    if (this.rng.chance(this.duplicateRate)) {
      this.duplicates += 1;
      this.#out.push({ arrival: arrival + this.rng.exp(60_000), seq: this.#seq++, record });
    }
  }

  get size(): number {
    return this.#out.length;
  }

  /**
   * JSON lines in arrival order. Event ids are numbered in arrival order, as a provider's feed numbers
   * them: ids in generation order would put every operator's events first and give the truth away.
   */
  lines(): string[] {
    return this.#out
      .sort((a, b) => a.arrival - b.arrival || a.seq - b.seq)
      .map((p) => {
        p.record.id ??= `ev-${(this.#id++).toString(36)}`;
        return `{"event_id":"${p.record.id}",${p.record.body.slice(1)}`;
      });
  }
}
