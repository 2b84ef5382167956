import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError } from '../engine/errors';
import { parseRedisAddress, REDIS_ENV_VAR } from '../lab/queue/redisAddress';

/**
 * The Redis queue the desktop app's lab queues runs on, for `curvelab worker`s: CURVELAB_REDIS when set
 * and not empty, else `"redis"` in `settings.json` in the app's user-data folder, else none (runs train
 * in the app's own worker threads). The address is checked here; a bad one is an error naming where it
 * came from (the app shows it before it opens).
 */
export function redisSetting(env: NodeJS.ProcessEnv, userDataDir: string): string | undefined {
  const fromEnv = env[REDIS_ENV_VAR];
  if (fromEnv) {
    parseRedisAddress(fromEnv, REDIS_ENV_VAR);
    return fromEnv;
  }
  const path = join(userDataDir, 'settings.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserInputError(`${path}: cannot read the settings (${(error as Error).message})`);
  }
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw new UserInputError(`${path}: expected a JSON object, like {"redis": "redis://host:6379"}`);
  const redis = (settings as Record<string, unknown>)['redis'];
  if (redis === undefined || redis === null || redis === '') return undefined;
  if (typeof redis !== 'string') throw new UserInputError(`${path}: redis: expected the address as a string, like "redis://host:6379"`);
  parseRedisAddress(redis, `${path}: redis`);
  return redis;
}
