import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random token for web mode: 192 bits, URL-safe (it travels in `?token=`). */
export function createAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Whether `given` is the expected token, in time that does not depend on where they differ.
 * Both are hashed first so that inputs of different lengths compare in constant time too
 * (timingSafeEqual itself requires equal lengths and would leak the length by throwing early).
 */
export function tokensMatch(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The token in an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  return match ? match[1] : undefined;
}
