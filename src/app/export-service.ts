/**
 * Exports of published intel (one workflow per export): read the latest versions from the store,
 * build the format with the pure converters of src/share, and append the `export.<format>` audit
 * entry (who, when, which TLP, how many) — the RPZ serial state in the same transaction, so the next
 * zone's serial moves only when its content does. The CLI and the API call this.
 * @module
 */
import type { Config } from '../config/config-schema.js';
import { PrecursorError } from '../domain/index.js';
import type { Tlp } from '../domain/tlp.js';
import { BLOCK_FORMATS, type BlockFormat, exportBlocklist } from '../share/blocklist/blocking-export.js';
import type { RpzSerialState } from '../share/blocklist/rpz-zone.js';
import { loadShareSnapshot } from '../share/intel-snapshot.js';
import { buildMispFeed } from '../share/misp/misp-feed.js';
import type { ExportScope, ProducerIdentity, ShareSnapshot } from '../share/model.js';
import { checkPersonalDataScope } from '../share/personal-data.js';
import { buildStixBundle } from '../share/stix/stix-bundle.js';
import type { Aggregates } from '../store/store.js';

export const EXPORT_FORMATS = ['stix', 'misp', ...BLOCK_FORMATS] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  readonly format: ExportFormat;
  readonly tlp: Tlp;
  /** STIX and MISP: only versions modified at or after this instant (ISO 8601). */
  readonly since?: string;
  /** Personal data (e-mail addresses, payment fingerprints): only at TLP:RED. */
  readonly includePersonalData?: boolean;
  /**
   * One campaign's intel only (its published summary and the indicators confirmed in it); a campaign
   * neither stored nor published is CAMPAIGN_NOT_FOUND, a stored one with nothing published exports
   * empty.
   */
  readonly campaign?: string;
  readonly actor: string;
  readonly now?: Date;
}

export interface ExportFile {
  readonly name: string;
  readonly content: string;
  readonly mediaType: string;
}

export interface ExportResult {
  readonly format: ExportFormat;
  /** The main file first (Suricata's dataset, MISP's events follow). */
  readonly files: readonly ExportFile[];
  /** Indicators (active ones for blocking formats) and campaigns in the export. */
  readonly counts: { readonly indicators: number; readonly campaigns: number; readonly objects?: number };
  readonly rejected: readonly { readonly ref: string; readonly reason: string }[];
}

const MEDIA: Record<string, string> = {
  stix: 'application/stix+json;version=2.1',
  rpz: 'text/dns',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
};

export function producerOf(config: Config): ProducerIdentity {
  const p = config.share.producer;
  return { name: p.name, created: p.created, ...(p.contact ? { contact: p.contact } : {}) };
}

function mediaOf(format: ExportFormat, name: string): string {
  if (format === 'stix') return MEDIA.stix as string;
  if (format === 'rpz') return MEDIA.rpz as string;
  if (name.endsWith('.csv')) return MEDIA.csv as string;
  if (name.endsWith('.json')) return MEDIA.json as string;
  return 'text/plain; charset=utf-8';
}

export function isExportFormat(v: string): v is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(v);
}

/** The part of the published intel about one campaign (the converters then apply TLP and `since`). */
function ofCampaign(snapshot: ShareSnapshot, id: string): ShareSnapshot {
  const indicators = snapshot.indicators.filter((i) => i.campaignId === id);
  const keys = new Set(indicators.map((i) => i.key as string));
  return {
    producer: snapshot.producer,
    indicators,
    campaigns: snapshot.campaigns.filter((c) => c.id === id),
    sightings: snapshot.sightings.filter((s) => keys.has(s.indicatorKey)),
  };
}

export async function runExport(
  store: Aggregates,
  config: Config,
  req: ExportRequest,
): Promise<ExportResult> {
  const now = req.now ?? new Date();
  const scope: ExportScope = {
    tlp: req.tlp,
    ...(req.includePersonalData ? { includePersonalData: true } : {}),
    ...(req.since ? { since: req.since } : {}),
  };
  checkPersonalDataScope(scope);
  if (req.since !== undefined && Number.isNaN(Date.parse(req.since)))
    throw new PrecursorError('VALIDATION_FAILED', `since: not a timestamp: ${req.since}`);
  return store.transaction(async (tx) => {
    const campaign = req.campaign;
    const all = await loadShareSnapshot(tx, producerOf(config));
    const snapshot = campaign === undefined ? all : ofCampaign(all, campaign);
    // Published intel outlives a recluster that retires its campaign id; an id neither published nor
    // stored is a typo.
    if (
      campaign !== undefined &&
      snapshot.indicators.length + snapshot.campaigns.length === 0 &&
      !(await tx.campaigns.get(campaign))
    )
      throw new PrecursorError('CAMPAIGN_NOT_FOUND', `no campaign ${campaign}`, {
        details: { id: campaign },
      });
    let result: ExportResult;
    let rpzState: { stage: string; state: RpzSerialState } | undefined;
    if (req.format === 'stix') {
      const { bundle, rejected } = buildStixBundle(snapshot, scope);
      result = {
        format: 'stix',
        files: [
          {
            name: 'precursor-stix.json',
            content: `${JSON.stringify(bundle)}\n`,
            mediaType: MEDIA.stix as string,
          },
        ],
        counts: {
          indicators: bundle.objects.filter((o) => o.type === 'indicator').length,
          campaigns: bundle.objects.filter((o) => o.type === 'campaign').length,
          objects: bundle.objects.length,
        },
        rejected,
      };
    } else if (req.format === 'misp') {
      const feed = buildMispFeed(snapshot, scope, now);
      result = {
        format: 'misp',
        files: feed.files.map((f) => ({ ...f, mediaType: mediaOf('misp', f.name) })),
        counts: {
          indicators: feed.events.reduce(
            (n, e) => n + (e.Attribute?.length ?? 0) + (e.Object?.length ?? 0),
            0,
          ),
          campaigns: feed.events.length,
        },
        rejected: [],
      };
    } else {
      const format: BlockFormat = req.format;
      const rpz = config.share.rpz;
      // A campaign's zone keeps its own serial: it must not move the full zone's.
      const stage = `export:rpz:${rpz.origin}:${req.tlp}${campaign === undefined ? '' : `:campaign:${campaign}`}`;
      const previous = format === 'rpz' ? await tx.stages.state(stage) : undefined;
      const out = exportBlocklist(format, {
        indicators: snapshot.indicators,
        scope,
        now,
        ...(format === 'rpz'
          ? {
              rpz: {
                origin: rpz.origin,
                ttl: rpz.ttl,
                ...(previous ? { previous: JSON.parse(previous.state) as RpzSerialState } : {}),
              },
            }
          : {}),
      });
      if (out.rpzSerial) rpzState = { stage, state: out.rpzSerial };
      const active = snapshot.indicators.filter((i) => !i.revoked).length;
      result = {
        format,
        files: out.files.map((f) => ({ ...f, mediaType: mediaOf(format, f.name) })),
        counts: { indicators: active, campaigns: 0 },
        rejected: out.rejected,
      };
    }
    if (rpzState)
      await tx.stages.writeState(rpzState.stage, rpzState.state.serial, JSON.stringify(rpzState.state));
    await tx.audit.append({
      at: now.toISOString(),
      actor: req.actor,
      action: `export.${req.format}`,
      subject: `export:${req.format}`,
      detail: {
        tlp: req.tlp,
        ...(campaign === undefined ? {} : { campaign }),
        since: req.since ?? null,
        personalData: req.includePersonalData === true,
        files: result.files.map((f) => f.name),
        ...result.counts,
        rejected: result.rejected.length,
      },
    });
    return result;
  });
}
