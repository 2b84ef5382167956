import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..');

export interface ServedLab {
  /** The page to open, as serve printed it: with its `?token=` (the server answers no call without it). */
  url: string;
  /** The access token in that address. */
  token: string;
  /** A Lab API call over HTTP, as the UI makes it (with the token); rejects with the error of a `{ok: false}` answer. */
  call(method: string, payload?: unknown): Promise<unknown>;
  /** The fresh database's folder. */
  dir: string;
  /** Everything serve wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the real `curvelab serve` (bin/curvelab.js, the built UI in out/renderer) on a free port with
 * a fresh database, and resolves once it prints its address. Training runs on plain cpu so results do
 * not depend on the native addon. `args`: more of serve's flags (`--redis URL`).
 */
export async function startServedLab(options: { backend?: string; args?: string[] } = {}): Promise<ServedLab> {
  const dir = mkdtempSync(join(tmpdir(), 'curvelab-e2e-'));
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'bin/curvelab.js'), 'serve', '--db', join(dir, 'lab.db'), '--port', '0', '--backend', options.backend ?? 'cpu', ...(options.args ?? [])],
    { cwd: repoRoot, env: { ...process.env, CURVELAB_DB: join(dir, 'unused.db') }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`curvelab serve did not start within 60 s:\n${output}`)), 60_000);
    const check = (): void => {
      const match = /https?:\/\/\S+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`curvelab serve exited with code ${code}:\n${output}`));
    });
  });
  const token = new URL(url).searchParams.get('token');
  if (!token) throw new Error(`curvelab serve printed an address without its access token: ${url}`);
  return {
    url,
    token,
    call: (method, payload) => callLab(url, token, method, payload),
    dir,
    output: () => output,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function callLab(url: string, token: string, method: string, payload: unknown): Promise<unknown> {
  const response = await fetch(new URL(`/api/${method}`, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
  });
  const envelope = (await response.json()) as { ok: boolean; value?: unknown; error?: unknown };
  if (!envelope.ok) throw new Error(`${method}: ${JSON.stringify(envelope.error)}`);
  return envelope.value;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
