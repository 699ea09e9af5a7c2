/**
 * What every converter is given besides its input: the producer's id and the export's text filter.
 * @module
 */
import type { StixId } from './stix-id.js';
import type { KillChainPhase } from './stix-types.js';

export interface ConvertContext {
  readonly producerRef: StixId<'identity'>;
  /** Removes personal data from free text unless the export allows it. */
  readonly redact: (text: string) => string;
  /** The export was explicitly asked for personal data at TLP:RED. */
  readonly personalData: boolean;
}

/**
 * Phishing infrastructure being prepared is ATT&CK's resource-development tactic (T1583.001 Acquire
 * Infrastructure: Domains; T1608.005 Stage Capabilities: Link Target).
 */
export const PREPARATION_PHASE: KillChainPhase = {
  kill_chain_name: 'mitre-attack',
  phase_name: 'resource-development',
};

/** STIX timestamps: UTC with a `Z`, millisecond precision for created/modified (§3.2). */
export function stixTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`not a timestamp: ${iso}`);
  return new Date(t).toISOString();
}
