import { parseRedisAddress, REDIS_ENV_VAR, RedisAddressError } from '../lab/queue/redisAddress';
import { UsageError } from './usageError';

/**
 * The Redis queue a lab command uses: `--redis URL` when given, else CURVELAB_REDIS when set and not
 * empty, else none (runs train in the lab's own worker threads). The address is checked here, and a bad
 * one is a UsageError that names where it came from.
 */
export function redisOption(flag: string | undefined, env: NodeJS.ProcessEnv, command: string): string | undefined {
  const [text, source] = flag !== undefined ? [flag, '--redis'] : [env[REDIS_ENV_VAR] || undefined, REDIS_ENV_VAR];
  if (text === undefined) return undefined;
  try {
    parseRedisAddress(text, source);
  } catch (error) {
    if (error instanceof RedisAddressError) throw new UsageError(error.message, command);
    throw error;
  }
  return text;
}
