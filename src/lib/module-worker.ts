/**
 * Worker threads that run a module of this package, from the built JavaScript or, under tsx (tests,
 * `node --import tsx`), from the TypeScript sources.
 * @module
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker running the module `name` (no extension) beside the caller, whose `import.meta.url` is
 * `callerUrl`. From TypeScript sources the worker does not inherit tsx's loader, so it registers it
 * before importing the module.
 */
export function moduleWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  if (callerUrl.endsWith('.ts')) {
    const url = new URL(`./${name}.ts`, callerUrl).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    return new Worker(
      `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`,
      { ...options, eval: true },
    );
  }
  return new Worker(new URL(`./${name}.js`, callerUrl), options);
}
