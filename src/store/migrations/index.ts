/**
 * Versioned migrations, applied in name order on start. Append new ones; never edit a shipped one.
 * @module
 */
import type { Migration } from 'kysely';
import { coreMigration } from './0001-core.js';
import { tenantMigration } from './0002-tenant.js';
import { workQueueMigration } from './0003-work-queue.js';
import { narrowObservationsMigration } from './0004-narrow-observations.js';
import { deadLetterDigestMigration } from './0006-dead-letter-digest.js';
import { campaignsMigration } from './0007-campaigns.js';
import { reviewMigration } from './0008-review.js';
import { sharingMigration } from './0009-sharing.js';
import { taxiiSupersededMigration } from './0014-taxii-superseded.js';
import { caseSupersededMigration } from './0015-case-superseded.js';
import type { DialectFlavor } from './flavor.js';

export function migrationsFor(flavor: DialectFlavor): Record<string, Migration> {
  return {
    '0001-core': coreMigration(flavor),
    '0002-tenant': tenantMigration(flavor),
    '0003-work-queue': workQueueMigration(flavor),
    '0004-narrow-observations': narrowObservationsMigration(flavor),
    '0006-dead-letter-digest': deadLetterDigestMigration(flavor),
    '0007-campaigns': campaignsMigration(flavor),
    '0008-review': reviewMigration(flavor),
    '0009-sharing': sharingMigration(flavor),
    '0014-taxii-superseded': taxiiSupersededMigration(flavor),
    '0015-case-superseded': caseSupersededMigration(flavor),
  };
}
