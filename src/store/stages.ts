/**
 * Stage bookkeeping: how far each stage has read the observations (its cursor) and, for a stateful
 * stage, the last persisted state and the position it covers.
 * @module
 */

export interface StageState {
  readonly position: number;
  readonly state: string;
}

/**
 * @example
 * ```ts
 * const from = await store.stages.cursor('detect');
 * await store.transaction(async (tx) => { …; await tx.stages.setCursor('detect', last.seq); });
 * ```
 */
export interface StageStore {
  /** The last observation `seq` the stage has processed (0: none). */
  cursor(stage: string): Promise<number>;
  setCursor(stage: string, position: number): Promise<void>;
  /**
   * The last persisted state of a stateful stage (e.g. the tenant windows) and the position it covers.
   * It may lag the stage cursor: the stage replays observations in between to catch up.
   */
  state(stage: string): Promise<StageState | undefined>;
  writeState(stage: string, position: number, state: string): Promise<void>;
}
