import type { IncomingHttpHeaders } from 'node:http';

/** Names and addresses that reach only this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

export interface OriginPolicy {
  /**
   * The server listens on a loopback address: then the Host header must name a loopback address and
   * the server's port. Besides the token, that stops DNS rebinding (a page on evil.example whose name
   * is re-pointed at 127.0.0.1 still sends `Host: evil.example`).
   */
  loopback: boolean;
  /** The port the server listens on. */
  port: number;
}

/**
 * Whether a request to the API may come from where it says it comes from; returns why not, or null.
 *
 * - On loopback: Host must be a loopback name with the server's port (see OriginPolicy.loopback).
 * - Always: an Origin header, when present, must be this server's own origin (same host as the Host
 *   header), so that a page from another site cannot call the API or open the event socket through
 *   the user's browser. Requests without Origin (curl, scripts) are not from a browser page.
 */
export function checkRequestOrigin(headers: IncomingHttpHeaders, policy: OriginPolicy): string | null {
  const hostHeader = headers.host;
  if (hostHeader === undefined || hostHeader === '') return 'the request has no Host header';
  const host = parseHost(hostHeader);
  if (host === null) return `the Host header ${JSON.stringify(hostHeader)} is not a host name`;
  if (policy.loopback) {
    if (!isLoopbackHost(host.hostname)) return `the Host header ${JSON.stringify(hostHeader)} is not a loopback address`;
    if (host.port !== policy.port) return `the Host header ${JSON.stringify(hostHeader)} does not name this server's port ${policy.port}`;
  }
  const origin = headers.origin;
  if (origin === undefined) return null;
  const originHost = parseOrigin(origin);
  if (originHost === null || originHost !== host.host) return `requests from ${JSON.stringify(origin)} are not allowed (not this server's origin)`;
  return null;
}

interface ParsedHost {
  /** Lower-case `hostname:port` as the URL parser normalises it (default port dropped). */
  host: string;
  hostname: string;
  port: number;
}

function parseHost(value: string): ParsedHost | null {
  // The URL parser normalises case, IPv6 brackets and default ports; anything with a path, user info
  // or other junk is not a Host header value.
  if (/[/?#@\\\s]/.test(value)) return null;
  try {
    const url = new URL(`http://${value}`);
    return { host: url.host, hostname: url.hostname, port: url.port === '' ? 80 : Number(url.port) };
  } catch {
    return null;
  }
}

/** The `host[:port]` of an http(s) Origin header (default port dropped, as for the Host header). */
function parseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    // https too: behind a TLS proxy the page's origin is https while the Host header is passed on as is.
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : null;
  } catch {
    return null; // "null" (sandboxed frames, file: pages) and anything unparsable
  }
}
