/**
 * The stages after detect that long-running processes (`precursor demo`, `precursor run`) drive, as
 * this build has them: `afterDetect` run after every detect pass (incremental work), `periodic` on
 * the process's slower clock (full recluster, policy sweep, outbox delivery).
 * @module
 */
import type { AppContext } from './open-app.js';

export interface ProcessStage {
  readonly name: string;
  run(signal?: AbortSignal): Promise<unknown>;
}

export interface LaterStages {
  readonly afterDetect: readonly ProcessStage[];
  readonly periodic: readonly ProcessStage[];
}

export function laterStages(_app: AppContext): LaterStages {
  return { afterDetect: [], periodic: [] };
}
