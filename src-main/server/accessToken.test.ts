import { describe, expect, it } from 'vitest';
import { bearerToken, createAccessToken, tokensMatch } from './accessToken';

describe('access tokens', () => {
  it('are 32 URL-safe characters (24 random bytes) and differ each time', () => {
    const a = createAccessToken();
    const b = createAccessToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a).not.toBe(b);
  });

  it('match only the same text, whatever the lengths', () => {
    expect(tokensMatch('abc123', 'abc123')).toBe(true);
    expect(tokensMatch('abc123', 'abc124')).toBe(false);
    expect(tokensMatch('abc123', 'abc1234')).toBe(false);
    expect(tokensMatch('abc123', '')).toBe(false);
    expect(tokensMatch('abc123', undefined)).toBe(false);
  });

  it('are read from an Authorization: Bearer header only', () => {
    expect(bearerToken('Bearer abc-_1')).toBe('abc-_1');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
