/**
 * The audit log over Kysely (append-only: the migrations add triggers that reject UPDATE and DELETE).
 * @module
 */
import type { AuditEvent } from '../../domain/index.js';
import type { AuditFilter, AuditLog } from '../audit.js';
import { toAudit } from './rows.js';
import type { Scope } from './scope.js';

export class KyselyAudit implements AuditLog {
  readonly #scope: Scope;

  constructor(scope: Scope) {
    this.#scope = scope;
  }

  async append(event: Omit<AuditEvent, 'id'>): Promise<AuditEvent> {
    const row = await this.#scope.db
      .insertInto('audit_events')
      .values({
        at: event.at,
        actor: event.actor,
        action: event.action,
        subject: event.subject,
        detail: JSON.stringify(event.detail),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAudit(row);
  }

  async list(filter: AuditFilter = {}): Promise<AuditEvent[]> {
    let q = this.#scope.db
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('id')
      .limit(filter.limit ?? 100);
    if (filter.subject !== undefined) q = q.where('subject', '=', filter.subject);
    if (filter.afterId !== undefined) q = q.where('id', '>', filter.afterId);
    return (await q.execute()).map(toAudit);
  }
}
