import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** A redis-server of our own, on a free loopback port, with nothing saved to disk. */
export interface LocalRedis {
  url: string;
  port: number;
  /** Stops the server (SIGKILL after a second). */
  stop(): Promise<void>;
}

/** The redis-server program (Debian's `redis-server` package); CURVELAB_REDIS_SERVER names another. */
export const redisServerBinary = process.env['CURVELAB_REDIS_SERVER'] ?? 'redis-server';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts redis-server bound to 127.0.0.1 on a free port, without persistence; `password` sets
 * requirepass (the URL then carries it). Resolves once it answers PING. For the tests and for
 * `curvelab bench --queue`; a lab's real Redis is the user's own (see the README).
 */
export async function startLocalRedis(options: { password?: string } = {}): Promise<LocalRedis> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'];
  if (options.password) args.push('--requirepass', options.password);
  const child: ChildProcess = spawn(redisServerBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error) => reject(new Error(`could not start ${redisServerBinary} (apt-get install -y redis-server): ${error.message}`))),
  );
  const url = options.password ? `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${output}`);
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        if ((await client.ping()) === 'PONG') return;
      } catch {
        // not listening yet
      } finally {
        client.disconnect();
      }
      await sleep(50);
    }
    throw new Error(`redis-server did not answer on port ${port}: ${output}`);
  })();
  await Promise.race([ready, spawnError]);
  return {
    url,
    port,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 1000);
      await exited;
      clearTimeout(killer);
    },
  };
}
