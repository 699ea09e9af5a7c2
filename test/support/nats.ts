/**
 * The local NATS server with JetStream, for the scale-out sources. Outside CI an absent server skips
 * those suites with a reason; under CI=true its absence fails them.
 */
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export const NATS_URL = process.env.PRECURSOR_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

let reachable: Promise<string | undefined> | undefined;

export function natsSkip(): Promise<string | undefined> {
  reachable ??= (async () => {
    let nc: NatsConnection | undefined;
    try {
      // generous: a busy two-core machine can take seconds to answer; a refused port fails at once
      nc = await connect({ servers: NATS_URL, timeout: 10_000, reconnect: false });
      await jetstreamManager(nc);
      return undefined;
    } catch (e) {
      const reason = `NATS JetStream at ${NATS_URL} is not reachable (${e instanceof Error ? e.message : String(e)})`;
      if (process.env.CI === 'true') throw new Error(`${reason}; under CI=true the NATS suite is mandatory`);
      return `${reason}; set PRECURSOR_TEST_NATS_URL or start nats-server -js to run it`;
    } finally {
      await nc?.close().catch(() => {});
    }
  })();
  return reachable;
}

/** A stream of its own for one test (memory storage), deleted by `cleanup`. */
export async function testStream(subjects: string[] = ['>']): Promise<{
  name: string;
  subjectPrefix: string;
  nc: NatsConnection;
  publish(subject: string, data: string): Promise<number>;
  cleanup(): Promise<void>;
}> {
  const tag = randomBytes(4).toString('hex');
  const name = `precursor_test_${tag}`;
  const subjectPrefix = `t${tag}`;
  const nc = await connect({ servers: NATS_URL, timeout: 3000 });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name,
    subjects: subjects.map((s) => `${subjectPrefix}.${s}`),
    storage: 'memory',
    max_age: 10 * 60 * 1_000_000_000,
  });
  const js = jsm.jetstream();
  return {
    name,
    subjectPrefix,
    nc,
    async publish(subject, data) {
      return (await js.publish(`${subjectPrefix}.${subject}`, data)).seq;
    },
    async cleanup() {
      await jsm.streams.delete(name).catch(() => {});
      await nc.close();
    },
  };
}
