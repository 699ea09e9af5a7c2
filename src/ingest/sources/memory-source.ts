/**
 * A source over values already in memory (an API request body, a test). Positions are indexes; it has
 * no resumable cursor because the caller holds the whole input.
 * @module
 */
import type { ParseResult, Source } from '../source.js';

export function createMemorySource<T>(
  id: string,
  items: readonly T[],
  parse: (item: T, index: number) => ParseResult,
): Source {
  return {
    id,
    async *read() {
      for (let i = 0; i < items.length; i++) {
        yield {
          position: `item ${i}`,
          raw: JSON.stringify(items[i]) ?? 'undefined',
          cursor: String(i),
          context: i,
        };
      }
    },
    parse(record) {
      const i = record.context as number;
      return parse(items[i] as T, i);
    },
  };
}
