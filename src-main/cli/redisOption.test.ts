import { describe, expect, it } from 'vitest';
import { redisOption } from './redisOption';
import { parseServeArgs } from './serveCommand';
import { UsageError } from './usageError';

describe('--redis and CURVELAB_REDIS', () => {
  it('--redis wins over CURVELAB_REDIS; CURVELAB_REDIS is the default; empty or unset: no queue', () => {
    const env = { CURVELAB_REDIS: 'redis://queue.lan:6379' };
    expect(redisOption('redis://other.lan', env, 'serve')).toBe('redis://other.lan');
    expect(redisOption(undefined, env, 'serve')).toBe('redis://queue.lan:6379');
    expect(redisOption(undefined, { CURVELAB_REDIS: '' }, 'serve')).toBeUndefined();
    expect(redisOption(undefined, {}, 'serve')).toBeUndefined();
  });

  it('a bad address is a UsageError naming where it came from, without its password', () => {
    expect(() => redisOption('http://queue.lan', {}, 'study')).toThrow(UsageError);
    expect(() => redisOption('http://queue.lan', {}, 'study')).toThrow(/^--redis: unknown scheme http:/);
    expect(() => redisOption(undefined, { CURVELAB_REDIS: 'redis://:hunter2@queue.lan/abc' }, 'study')).toThrow(/^CURVELAB_REDIS: the path must be a database number/);
    expect(() => redisOption('redis//:hunter2@queue.lan', {}, 'study')).toThrow('--redis: "redis//:***@queue.lan" is not a URL');
  });

  it('serve takes the queue from --redis, else from the environment', () => {
    expect(parseServeArgs(['--redis', 'rediss://lab:pw@queue.lan'], { CURVELAB_DB: 'x.db' })).toEqual({
      databasePath: 'x.db',
      host: '127.0.0.1',
      port: 7860,
      redis: 'rediss://lab:pw@queue.lan',
    });
    expect(parseServeArgs([], { CURVELAB_DB: 'x.db', CURVELAB_REDIS: 'redis://queue.lan' }).redis).toBe('redis://queue.lan');
  });
});
