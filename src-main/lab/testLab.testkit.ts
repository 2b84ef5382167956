import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent } from './api/labApi';
import { createLabDispatch, type LabDispatch } from './api/labDispatcher';
import { openLab, type Lab } from './lab';

/** A lab for tests: its own database in a temporary folder, called through the dispatcher both transports use. */
export interface TestLab {
  dir: string;
  lab: Lab;
  call: LabDispatch;
  /** Every event the lab has pushed. */
  events: LabEvent[];
  /** A call's value; a refused call throws with its code and message. */
  value<T>(method: string, payload?: unknown): Promise<T>;
  /** Closes the lab and removes its folder. */
  close(): Promise<void>;
}

/** Opens a lab on the plain CPU backend, two runs at a time, in a new temporary folder named from `prefix`. */
export async function openTestLab(prefix: string): Promise<TestLab> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const lab = await openLab({ databasePath: join(dir, 'lab.db'), mode: 'web', backend: 'cpu', concurrency: 2 });
  const events: LabEvent[] = [];
  lab.subscribe((e) => events.push(e));
  const call = createLabDispatch(lab, () => {});
  return {
    dir,
    lab,
    call,
    events,
    async value<T>(method: string, payload?: unknown): Promise<T> {
      const response = await call(method, payload);
      if (!response.ok) throw new Error(`${method}: ${response.error.code}: ${response.error.message}`);
      return response.value as T;
    },
    async close() {
      await lab.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
