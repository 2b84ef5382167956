import { describe, expect, it } from 'vitest';
import { checkRequestOrigin, isLoopbackHost } from './requestOrigin';

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com', 'localhost.example.com', '128.0.0.1', '127.0.0.1.example.com'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('checkRequestOrigin', () => {
  const loopback = { loopback: true, port: 7860 };
  const open = { loopback: false, port: 7860 };

  it('lets loopback requests through with or without their own Origin', () => {
    expect(checkRequestOrigin({ host: '127.0.0.1:7860' }, loopback)).toBeNull();
    expect(checkRequestOrigin({ host: 'localhost:7860', origin: 'http://localhost:7860' }, loopback)).toBeNull();
    expect(checkRequestOrigin({ host: '[::1]:7860', origin: 'http://[::1]:7860' }, loopback)).toBeNull();
  });

  it('refuses, in loopback mode, a Host that is not loopback or not this port', () => {
    expect(checkRequestOrigin({ host: 'evil.example:7860' }, loopback)).toMatch(/not a loopback address/);
    expect(checkRequestOrigin({ host: '127.0.0.1:7861' }, loopback)).toMatch(/port 7860/);
    expect(checkRequestOrigin({ host: '127.0.0.1' }, loopback)).toMatch(/port 7860/); // port 80 implied
    expect(checkRequestOrigin({}, loopback)).toMatch(/no Host header/);
    expect(checkRequestOrigin({ host: '127.0.0.1:7860/x' }, loopback)).toMatch(/not a host name/);
  });

  it('refuses an Origin that is not the server’s own, in both modes', () => {
    for (const policy of [loopback, open]) {
      expect(checkRequestOrigin({ host: '127.0.0.1:7860', origin: 'http://evil.example' }, policy)).toMatch(/evil\.example/);
      expect(checkRequestOrigin({ host: '127.0.0.1:7860', origin: 'http://127.0.0.1:7861' }, policy)).not.toBeNull();
      expect(checkRequestOrigin({ host: '127.0.0.1:7860', origin: 'null' }, policy)).not.toBeNull();
      expect(checkRequestOrigin({ host: '127.0.0.1:7860', origin: 'file://' }, policy)).not.toBeNull();
    }
  });

  it('accepts any Host when not bound to loopback, as long as the Origin matches it', () => {
    expect(checkRequestOrigin({ host: 'lab.example:7860', origin: 'http://lab.example:7860' }, open)).toBeNull();
    expect(checkRequestOrigin({ host: 'lab.example', origin: 'https://lab.example' }, open)).toBeNull(); // behind a TLS proxy
    expect(checkRequestOrigin({ host: '192.168.1.5:7860' }, open)).toBeNull();
  });
});
