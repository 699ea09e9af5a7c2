/**
 * Simulated data with ground truth: `simulateTenants` (a month of one provider's tenant events) and
 * `generateWorld` (one world: tenants, certificates, transactions, pages, truth), plus the metrics
 * that score a clustering and flags against a world's truth.
 * @module
 */
export { Rng } from './rng.js';
export * from './tenant-simulator.js';
export * from './wallets.js';
export type { WorldOptions, WorldParams, WorldScale } from './world/params.js';
export {
  type NameLabel,
  type OperatorTruth as WorldOperatorTruth,
  operatorOfEntities,
  type WorldTruth,
} from './world/truth.js';
export { generateWorld, type World } from './world/world.js';
export { WORLD_FILES, writeWorld } from './world/write-world.js';
