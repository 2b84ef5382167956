import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis address as the user gives it (`--redis`, the app's setting): `redis://[user:password@]host[:port][/db]`,
 * or `rediss://…` for TLS. Checked once, here, with an error that names where it came from and what was
 * expected; shown everywhere else without its password.
 */
export interface RedisAddress {
  url: string;
  /** The URL with the password replaced by `***`: for logs, the UI and errors. */
  display: string;
  tls: boolean;
}

/** The environment variable that gives the Redis address when none is given otherwise (`--redis`, the app's setting). */
export const REDIS_ENV_VAR = 'CURVELAB_REDIS';

export class RedisAddressError extends Error {
  constructor(readonly source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'RedisAddressError';
  }
}

/** Parses an address; `source` names where it came from (`--redis`, `CURVELAB_REDIS`) for the error. */
export function parseRedisAddress(text: string, source = '--redis'): RedisAddress {
  const expected = 'expected redis://[user:password@]host[:port][/db] or rediss://… (TLS)';
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new RedisAddressError(source, `${JSON.stringify(redact(text))} is not a URL; ${expected}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new RedisAddressError(source, `unknown scheme ${url.protocol}; ${expected}`);
  if (!url.hostname) throw new RedisAddressError(source, `no host; ${expected}`);
  if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d{1,2}$/.test(url.pathname)) {
    throw new RedisAddressError(source, `the path must be a database number (/0, /1, …), got ${JSON.stringify(url.pathname)}`);
  }
  if (url.search || url.hash) throw new RedisAddressError(source, `no query or fragment is taken; ${expected}`);
  const display = new URL(url.href);
  if (display.password) display.password = '***';
  return { url: url.href, display: display.href.replace(/\/$/, ''), tls: url.protocol === 'rediss:' };
}

function redact(text: string): string {
  return text.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * A connection for one purpose (BullMQ's queue, a worker, a stream reader, a subscriber). BullMQ needs
 * `maxRetriesPerRequest: null` on connections that block; ioredis reconnects by itself, and connection
 * errors are reported once per outage by `onError` instead of as unhandled 'error' events.
 */
export function openRedis(address: RedisAddress, name: string, onError: (error: Error) => void = () => undefined, options: RedisOptions = {}): Redis {
  const redis = new Redis(address.url, {
    maxRetriesPerRequest: null,
    connectionName: `curvelab-${name}`,
    ...(address.tls ? { tls: {} } : {}),
    ...options,
  });
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!reported) onError(new Error(`Redis at ${address.display} (${name}): ${error.message}`));
    reported = true;
  });
  redis.on('ready', () => (reported = false));
  return redis;
}
