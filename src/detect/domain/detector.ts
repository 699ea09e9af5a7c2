/**
 * The domain engine as a pipeline detector for `domain` entities. The registration date, once RDAP
 * enrichment has stored it as `attrs.registeredAt`, adds the new/old-registration signals.
 * @module
 */
import type { Signal } from '../../domain/index.js';
import type { SignalDetector } from '../detector.js';
import type { DomainEngine } from './engine.js';

export function createDomainDetector(engine: DomainEngine): SignalDetector {
  return {
    id: 'domain',
    entityTypes: ['domain'],
    detect(subject, ctx): readonly Signal[] {
      const name = subject.key.slice(subject.key.indexOf(':') + 1);
      const registeredAt = subject.attrs.registeredAt;
      const r = engine.score(name, typeof registeredAt === 'string' ? { registeredAt, now: ctx.now } : {});
      if (!r.ok) {
        // Weight 0: the name is unusable for this detector, which is worth seeing but proves nothing.
        return [
          {
            id: 'domain.invalid',
            detector: 'domain',
            weight: 0,
            detail: `${name}: ${r.reason}`,
            evidence: [],
          },
        ];
      }
      return r.signals.map((s) => ({ ...s, evidence: [{ kind: 'entity', key: subject.key }] }));
    },
  };
}
