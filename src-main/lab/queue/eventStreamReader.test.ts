import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventStreamReader, type StreamEntry } from './eventStreamReader';
import { testRedisClient, until } from './fakeQueueWorker.testkit';
import { startTestRedis, type TestRedis } from './redisServer.testkit';

let redis: TestRedis;
let client: Redis;
const readers: EventStreamReader[] = [];
const key = 'curvelab:events:test';

beforeAll(async () => {
  redis = await startTestRedis();
  client = testRedisClient(redis.url);
});
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.stop()));
  await client.flushall();
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

/** A reader whose onEntries records the `n` field of each entry it is given (and may throw, once). */
function reader(seen: string[][], options: { failOnce?: boolean } = {}): EventStreamReader {
  let fail = options.failOnce ?? false;
  const started = new EventStreamReader({
    blocking: testRedisClient(redis.url),
    commands: client,
    key,
    group: 'lab',
    consumer: 'writer',
    blockMs: 100,
    count: 2,
    onEntries: (entries: StreamEntry[]) => {
      seen.push(entries.map((e) => e.fields?.['n'] ?? '?'));
      if (fail) {
        fail = false;
        throw new Error('the database is busy');
      }
    },
    onError: () => undefined,
  });
  readers.push(started);
  started.start();
  return started;
}

async function add(...ns: string[]): Promise<void> {
  for (const n of ns) await client.xadd(key, '*', 'n', n);
}

describe('EventStreamReader', () => {
  it('reads first what was delivered to it and never acknowledged (a lab killed before XACK), then new entries; each taken one is acknowledged and deleted', async () => {
    await EventStreamReader.ensureGroup(client, key, 'lab');
    await EventStreamReader.ensureGroup(client, key, 'lab'); // BUSYGROUP: made once
    await add('1', '2', '3');
    // The consumer of a process that died: given entries 1 and 2, acknowledged none.
    await client.xreadgroup('GROUP', 'lab', 'writer', 'COUNT', 2, 'STREAMS', key, '>');
    const seen: string[][] = [];
    reader(seen);
    await until(() => seen.flat().length === 3);
    await add('4');
    await until(() => seen.flat().length === 4);
    expect(seen).toEqual([['1', '2'], ['3'], ['4']]);
    await until(async () => (await client.xlen(key)) === 0);
    expect(((await client.xpending(key, 'lab')) as [number])[0]).toBe(0);
  });

  it('entries whose handling failed are given again, then acknowledged', async () => {
    await EventStreamReader.ensureGroup(client, key, 'lab');
    await add('1', '2');
    const seen: string[][] = [];
    reader(seen, { failOnce: true });
    await until(() => seen.length === 2, 5000);
    expect(seen).toEqual([['1', '2'], ['1', '2']]);
    await until(async () => (await client.xlen(key)) === 0);
  });
});
