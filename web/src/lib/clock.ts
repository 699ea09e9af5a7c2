// The clock data times are read against. Names are first and last seen, flagged and captured at the
// times their records carry; in the live demo those are the replayed world's (simulated) times, so
// "last seen 3 hours ago" has to count from the replay's now, not from this computer's. The server says
// which clock it uses (`GET /v1/me` → clock), and how fast it runs; between answers it is extrapolated.
import { ago } from './format.js';

export interface ServerClock {
  now: string;
  simulated: boolean;
  /** The clock's seconds per wall second (0: standing still). */
  rate: number;
}

let anchor = { at: Date.now(), wall: Date.now(), rate: 1, simulated: false };

/** Takes the server's clock from an answer received at `wall` (ms, this computer's clock). */
export function syncClock(clock: ServerClock | undefined, wall = Date.now()): void {
  const at = clock ? Date.parse(clock.now) : Number.NaN;
  anchor = Number.isFinite(at)
    ? { at, wall, rate: clock?.rate ?? 1, simulated: clock?.simulated ?? false }
    : // An older server says nothing: the wall clock.
      { at: wall, wall, rate: 1, simulated: false };
}

/** The data clock's now (epoch ms). */
export function dataNow(): number {
  return anchor.at + (Date.now() - anchor.wall) * anchor.rate;
}

/** Whether the server reads data against another clock than the wall's (the demo's replay). */
export const simulatedClock = (): boolean => anchor.simulated;

/** A data time (first/last seen, flagged at) relative to the data clock: "3 hours ago". */
export const seenAgo = (iso: string | null | undefined): string => ago(iso, dataNow());
