/**
 * Stage cursors and stage state over Kysely.
 * @module
 */
import type { StageState, StageStore } from '../stages.js';
import { nowIso } from './chunks.js';
import { num } from './rows.js';
import type { Scope } from './scope.js';

export class KyselyStages implements StageStore {
  readonly #scope: Scope;

  constructor(scope: Scope) {
    this.#scope = scope;
  }

  async cursor(stage: string): Promise<number> {
    const row = await this.#scope.db
      .selectFrom('stage_cursors')
      .select('position')
      .where('stage', '=', stage)
      .executeTakeFirst();
    return row ? num(row.position) : 0;
  }

  async setCursor(stage: string, position: number): Promise<void> {
    const at = nowIso();
    await this.#scope.db
      .insertInto('stage_cursors')
      .values({ stage, position, updated_at: at })
      .onConflict((oc) => oc.column('stage').doUpdateSet({ position, updated_at: at }))
      .execute();
  }

  async state(stage: string): Promise<StageState | undefined> {
    const row = await this.#scope.db
      .selectFrom('stage_state')
      .select(['position', 'state'])
      .where('stage', '=', stage)
      .executeTakeFirst();
    return row ? { position: num(row.position), state: row.state } : undefined;
  }

  async writeState(stage: string, position: number, state: string): Promise<void> {
    const at = nowIso();
    await this.#scope.db
      .insertInto('stage_state')
      .values({ stage, position, state, updated_at: at })
      .onConflict((oc) => oc.column('stage').doUpdateSet({ position, state, updated_at: at }))
      .execute();
  }
}
