/**
 * The tenant-event feed of a world: events get ids unique per provider, arrive a little after they
 * happen (some hours late), a few are delivered twice, and the file is written in arrival order, as
 * real provider feeds behave. Unlike `simulate tenants`, a world sends no malformed events: every line
 * is one the schema accepts, so ingest figures measure detection, not parsing.
 * @module
 */
import type { Rng } from '../rng.js';

const HOUR = 3_600_000;

interface Pending {
  readonly arrival: number;
  readonly seq: number;
  readonly line: string;
}

export type EventFields = Record<string, unknown> & {
  readonly type: string;
  readonly provider: string;
  readonly account_id: string;
  readonly ts: number;
};

export class EventFeed {
  readonly #out: Pending[] = [];
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

  emit(e: EventFields): void {
    if (e.ts >= this.end) return;
    const { type, provider, account_id, ts, ...rest } = e;
    const line = JSON.stringify({
      event_id: `ev-${(this.#id++).toString(36)}`,
      type,
      provider,
      account_id,
      ts: new Date(Math.round(ts)).toISOString(),
      ...rest,
    });
    let arrival = ts + this.rng.exp(20_000);
    if (this.rng.chance(this.lateRate)) {
      arrival += this.rng.next() * 12 * HOUR;
      this.late += 1;
    }
    this.#out.push({ arrival, seq: this.#seq++, line });
    if (this.rng.chance(this.duplicateRate)) {
      this.duplicates += 1;
      this.#out.push({ arrival: arrival + this.rng.exp(60_000), seq: this.#seq++, line });
    }
  }

  get size(): number {
    return this.#out.length;
  }

  /** JSON lines in arrival order. */
  lines(): string[] {
    return this.#out.sort((a, b) => a.arrival - b.arrival || a.seq - b.seq).map((p) => p.line);
  }
}
