import { describe, expect, it } from 'vitest';
import { parseRedisAddress } from './redisAddress';

describe('parseRedisAddress', () => {
  it('takes redis:// with a user and password and shows it without the password', () => {
    const address = parseRedisAddress('redis://curvelab:s3cret@10.0.0.5:6380/2');
    expect(address.url).toBe('redis://curvelab:s3cret@10.0.0.5:6380/2');
    expect(address.display).toBe('redis://curvelab:***@10.0.0.5:6380/2');
    expect(address.tls).toBe(false);
  });

  it('takes rediss:// as TLS', () => {
    expect(parseRedisAddress('rediss://:pw@redis.internal').tls).toBe(true);
    expect(parseRedisAddress('rediss://:pw@redis.internal').display).toBe('rediss://:***@redis.internal');
  });

  it('refuses other schemes, a path that is not a database number and text that is not a URL, naming the source', () => {
    expect(() => parseRedisAddress('http://localhost:6379')).toThrow(/^--redis: unknown scheme http:/);
    expect(() => parseRedisAddress('redis://localhost/queue', 'CURVELAB_REDIS')).toThrow(/^CURVELAB_REDIS: the path must be a database number/);
    expect(() => parseRedisAddress('localhost:6379')).toThrow(/--redis: .*(unknown scheme|not a URL)/);
  });

  it('never repeats the password of an address it refuses', () => {
    expect(() => parseRedisAddress('redis//user:hunter2@host')).toThrow();
    try {
      parseRedisAddress('redis//user:hunter2@host');
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});
