import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { WorkerInfo } from '../api/labApi';
import { workerKeyPattern } from './queueProtocol';

/** A heartbeat as the lab reads it: anything else under a worker key (junk, another version's) is skipped. */
const heartbeatSchema = z.object({
  id: z.string().max(200),
  name: z.string().max(200),
  host: z.string().max(500),
  platform: z.string().max(100),
  arch: z.string().max(100),
  cpus: z.number().int().nonnegative(),
  memoryGb: z.number().nonnegative(),
  backend: z.object({ name: z.string().max(100), reason: z.string().max(2000) }),
  concurrency: z.number().int().positive(),
  startedAt: z.string().max(100),
  runs: z
    .array(
      z.object({
        lab: z.string().max(100),
        runId: z.number().int().positive(),
        jobId: z.string().max(200),
        since: z.string().max(100),
        step: z.number().int().nonnegative().nullable(),
        totalSteps: z.number().int().nonnegative().nullable(),
      }),
    )
    .max(1000),
});

/**
 * The `curvelab worker`s alive now (their heartbeat keys, which expire unless renewed), by name; a run
 * of this lab (`labId`) is shown with its run id, another lab's with null.
 */
export async function listQueueWorkers(redis: Redis, labId: string): Promise<WorkerInfo[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', workerKeyPattern, 'COUNT', 100);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(...new Set(keys));
  const workers = values.flatMap((text): WorkerInfo[] => {
    const heartbeat = text === null ? null : heartbeatSchema.safeParse(parseJson(text));
    if (!heartbeat?.success) return [];
    const { runs, ...worker } = heartbeat.data;
    return [{ ...worker, runs: runs.map(({ lab, runId, since, step, totalSteps }) => ({ runId: lab === labId ? runId : null, since, step, totalSteps })) }];
  });
  return workers.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
