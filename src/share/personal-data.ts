/**
 * Exports leave out personal data (e-mail addresses, payment fingerprints) unless an export is
 * explicitly asked for it at TLP:RED. The redactor removes the known personal values of a snapshot
 * and any e-mail address from free text (reasons, descriptions), where they slip in as detail.
 * @module
 */
import { PrecursorError } from '../domain/errors.js';
import type { ExportScope, ShareSnapshot } from './model.js';

const EMAIL =
  /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+/g;
export const REDACTED = '[redacted]';

/** Throws VALIDATION_FAILED when personal data is asked for below TLP:RED. */
export function checkPersonalDataScope(scope: ExportScope): void {
  if (scope.includePersonalData && scope.tlp !== 'red')
    throw new PrecursorError('VALIDATION_FAILED', 'personal data can only be exported at TLP:RED', {
      details: { tlp: scope.tlp },
    });
}

export function personalDataAllowed(scope: ExportScope): boolean {
  checkPersonalDataScope(scope);
  return scope.includePersonalData === true;
}

/** A text filter for one export: identity when personal data is allowed, else a redactor. */
export function makeRedactor(
  snapshot: Pick<ShareSnapshot, 'campaigns'>,
  scope: ExportScope,
): (text: string) => string {
  if (personalDataAllowed(scope)) return (t) => t;
  const known = new Set<string>();
  for (const c of snapshot.campaigns) {
    for (const v of c.personal?.paymentFingerprints ?? []) if (v.length >= 4) known.add(v);
    for (const v of c.personal?.emailAddresses ?? []) if (v.length >= 4) known.add(v);
  }
  // Longest first so a value that contains another is removed whole.
  const values = [...known].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.replace(EMAIL, REDACTED);
    for (const v of values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  };
}
