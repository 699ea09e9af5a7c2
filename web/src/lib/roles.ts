import type { Role } from './types.js';

// Mirrors the server's grants (src/server/api-keys.ts): the UI hides what the server would refuse,
// the server still decides.
const GRANTS: Record<Role, readonly Role[]> = {
  reader: ['reader', 'analyst', 'admin'],
  analyst: ['analyst', 'admin'],
  admin: ['admin'],
  ingest: ['ingest', 'admin'],
};

export const can = (held: Role | undefined, needed: Role): boolean =>
  held !== undefined && GRANTS[needed].includes(held);
