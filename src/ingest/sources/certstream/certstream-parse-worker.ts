/**
 * The certstream parsing worker thread (certstream-parse-ahead.ts): reads a replay file and sends its
 * lines parsed, a few batches ahead of the ingest runner.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  PARSE_AHEAD_BATCHES,
  type ParseAheadCredit,
  type ParseAheadData,
  type ParseAheadMessage,
  parseAheadLines,
} from './certstream-parse-ahead.js';
import { parseCertstreamMessage } from './certstream-source.js';

const port = parentPort;
if (port === null) throw new Error('certstream-parse-worker must run in a worker thread');
const data = workerData as ParseAheadData;
let credit = PARSE_AHEAD_BATCHES;
let waiting: (() => void) | undefined;
port.on('message', (m: ParseAheadCredit) => {
  if (m.op !== 'more') return;
  credit += 1;
  waiting?.();
  waiting = undefined;
});
const send = (m: ParseAheadMessage) => port.postMessage(m);
parseAheadLines(
  data,
  (raw) => parseCertstreamMessage(data.source, raw),
  send,
  async () => {
    while (credit === 0)
      await new Promise<void>((r) => {
        waiting = r;
      });
    credit -= 1;
  },
).catch((e: unknown) => send({ op: 'failed', message: e instanceof Error ? e.message : String(e) }));
