export * from './entity.js';
export * from './observation.js';
export * from './signal.js';
export * from './link.js';
export * from './case.js';
export * from './errors.js';
export * from './page-snapshot.js';
export * from './tenant-event.js';
