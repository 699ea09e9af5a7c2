/**
 * Binary searches over arrays sorted by `ts` (milliseconds of event time): the primitive of every
 * exact sliding-window count in the tenant state. Windows are half-open, `(end − width, end]`.
 * @module
 */

export interface Timed {
  ts: number;
}

/** Index of the first item with `ts >= t`. */
export function lowerBound(items: readonly Timed[], t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((items[mid] as Timed).ts < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first item with `ts > t`. */
export function upperBound(items: readonly Timed[], t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((items[mid] as Timed).ts <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts keeping the order; an in-order item is a push (the common case). */
export function insertSorted<T extends Timed>(items: T[], item: T): void {
  const last = items[items.length - 1];
  if (last === undefined || last.ts <= item.ts) items.push(item);
  else items.splice(upperBound(items, item.ts), 0, item);
}

/**
 * Every window `(end − width, end]` whose end is an item at or after `from` and before `from + width`:
 * exactly the windows an item inserted at `from` belongs to. Calls `visit(first, last)` with inclusive
 * indexes of each distinct window (items with equal `ts` share one window). Stops when `visit` returns false.
 */
export function windowsContaining(
  items: readonly Timed[],
  from: number,
  width: number,
  visit: (first: number, last: number) => boolean | undefined,
): void {
  let j = lowerBound(items, from);
  while (j < items.length) {
    const end = (items[j] as Timed).ts;
    if (end >= from + width) break;
    const last = upperBound(items, end) - 1;
    const first = upperBound(items, end - width);
    if (visit(first, last) === false) return;
    j = last + 1;
  }
}
