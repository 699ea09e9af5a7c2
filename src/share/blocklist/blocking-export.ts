/**
 * One entry point per blocking format, over the same selection of active, in-scope indicators, so
 * a revoked or expired indicator leaves every format at once.
 * @module
 */
import type { ExportScope, IndicatorKind, PublishedIndicator } from '../model.js';
import { blockedIps, blockedNames, selectBlockEntries } from './block-entries.js';
import { nextRpzSerial, type RpzSerialState, rpzDigest, rpzZone } from './rpz-zone.js';
import { type SuricataOptions, suricataRules } from './suricata-rules.js';
import { adblockList, csvList, hostsFile, plainList } from './text-lists.js';

export const BLOCK_FORMATS = ['rpz', 'hosts', 'adblock', 'plain', 'csv', 'suricata'] as const;
export type BlockFormat = (typeof BLOCK_FORMATS)[number];

export interface BlockExportInput {
  readonly indicators: readonly PublishedIndicator[];
  readonly scope: Pick<ExportScope, 'tlp'>;
  readonly now: Date;
  readonly title?: string;
  /** RPZ zone name and the serial state of the previous export (kept by the caller). */
  readonly rpz?: { readonly origin: string; readonly previous?: RpzSerialState; readonly ttl?: number };
  readonly suricata?: SuricataOptions;
  /** Kinds the plain list holds. Default: domains only. */
  readonly plainKinds?: readonly IndicatorKind[];
}

export interface BlockExportResult {
  /** The main file first; Suricata's dataset file second when there is one. */
  readonly files: readonly { readonly name: string; readonly content: string }[];
  /** The RPZ serial state to keep for the next export. */
  readonly rpzSerial?: RpzSerialState;
  readonly rejected: readonly { readonly ref: string; readonly reason: string }[];
}

export function exportBlocklist(format: BlockFormat, input: BlockExportInput): BlockExportResult {
  const { entries, rejected } = selectBlockEntries(input.indicators, input.scope, input.now);
  const names = blockedNames(entries);
  const header = {
    title: input.title ?? 'Precursor phishing domains',
    generated: input.now.toISOString(),
    tlp: input.scope.tlp,
  };
  switch (format) {
    case 'rpz': {
      const ips = blockedIps(entries);
      const origin = input.rpz?.origin ?? 'rpz.precursor.invalid';
      const state = nextRpzSerial(input.rpz?.previous, rpzDigest(names, ips), input.now);
      const comment = `${header.generated}, TLP:${header.tlp.toUpperCase()}, ${names.length} names, ${ips.length} addresses`;
      const zone = rpzZone(names, ips, {
        origin,
        serial: state.serial,
        comment,
        ...(input.rpz?.ttl ? { ttl: input.rpz.ttl } : {}),
      });
      return { files: [{ name: `${origin}.zone`, content: zone }], rpzSerial: state, rejected };
    }
    case 'hosts':
      return { files: [{ name: 'hosts', content: hostsFile(names, header) }], rejected };
    case 'adblock':
      return { files: [{ name: 'adblock.txt', content: adblockList(names, header) }], rejected };
    case 'plain': {
      const kinds = new Set(input.plainKinds ?? ['domain']);
      return {
        files: [
          {
            name: 'list.txt',
            content: plainList(entries.filter((e) => kinds.has(e.kind)).map((e) => e.value)),
          },
        ],
        rejected,
      };
    }
    case 'csv':
      return { files: [{ name: 'indicators.csv', content: csvList(entries) }], rejected };
    case 'suricata': {
      const out = suricataRules(entries, input.suricata);
      return {
        files: [
          { name: 'precursor.rules', content: out.rules },
          ...(out.dataset ? [{ name: out.dataset.file, content: out.dataset.content }] : []),
        ],
        rejected,
      };
    }
  }
}
