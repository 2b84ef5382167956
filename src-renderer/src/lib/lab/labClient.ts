import type { LabApi, LabEvent } from '$api/labApi';

/**
 * What the UI talks to: the Lab API plus live events. Two implementations: the Electron preload
 * bridge and HTTP + WebSocket (web mode). Every method rejects with a LabError ($api/labErrors).
 */
export interface LabClient extends LabApi {
  readonly transport: 'electron' | 'web';
  /** Calls `listener` with every event the lab pushes; returns the function that stops it. */
  subscribe(listener: (event: LabEvent) => void): () => void;
}
