/**
 * A zone-diff worker thread: partitions one side of a diff when the main thread asks (`diffZones` in
 * `zone-diff.ts`). Parse errors are sent back as they are found, then the side's result.
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { partitionZone, type ZoneWorkerReply, type ZoneWorkerRequest } from './zone-diff.js';

const port = parentPort;
if (port === null) throw new Error('zone-diff-worker must run in a worker thread');
const send = (r: ZoneWorkerReply): void => port.postMessage(r);

port.on('message', (req: ZoneWorkerRequest) => {
  partitionZone(req.path, req.dir, req.prefix, req.parts, req.zone, (error) =>
    send({ op: 'error', error }),
  ).then(
    (result) => send({ op: 'partitioned', result }),
    (e: unknown) => send({ op: 'failed', message: e instanceof Error ? e.message : String(e) }),
  );
});
