/**
 * The certificate-prejudging worker thread (certificate-prejudge.ts): builds the domain engine it is
 * given, then answers each batch of certificates with which of them matter to nothing.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  certificateJudge,
  type PrejudgeReply,
  type PrejudgeRequest,
  type PrejudgeWorkerData,
} from './certificate-prejudge.js';

const port = parentPort;
if (port === null) throw new Error('certificate-prejudge-worker must run in a worker thread');
const judge = certificateJudge(workerData as PrejudgeWorkerData);

port.on('message', ({ names, counts }: PrejudgeRequest) => {
  const idle = new Uint8Array(counts.length);
  let at = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] as number;
    idle[i] = judge(names.slice(at, at + n)) ? 1 : 0;
    at += n;
  }
  port.postMessage({ idle } satisfies PrejudgeReply, [idle.buffer]);
});
