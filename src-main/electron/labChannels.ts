import type { LabMethod } from '../lab/api/labApi';

/**
 * The IPC channel names the Lab API travels on. Pure (no Electron import), so the sandboxed preload
 * bundles it too and both sides spell the channels from one place.
 */

/** One invoke channel per Lab API method: `lab:<method>`. */
export function labChannel(method: LabMethod): `lab:${LabMethod}` {
  return `lab:${method}`;
}

/** The channel main pushes LabEvents to the window on. */
export const labEventChannel = 'lab:event';
