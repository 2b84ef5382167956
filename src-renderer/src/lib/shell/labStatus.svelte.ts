import type { MachineInfo } from '$api/labApi';
import type { LabClient } from '../lab/labClient';
import { errorText } from './errorText';

export type Connection = 'connecting' | 'connected' | 'disconnected';

/**
 * What the status bar says about the lab: its machine and backend (from `getMachine`) and whether it
 * answers. The LabClient has no connection signal of its own, so a cheap `getMachine` every few
 * seconds doubles as the heartbeat; any event pushed by the lab also proves the link is up.
 */
export class LabStatus {
  machine = $state.raw<MachineInfo | null>(null);
  connection = $state<Connection>('connecting');
  /** Why the last check failed, in words. */
  error = $state('');

  constructor(private readonly client: LabClient) {}

  async check(): Promise<void> {
    try {
      this.machine = await this.client.getMachine();
      this.connection = 'connected';
      this.error = '';
    } catch (error) {
      this.connection = 'disconnected';
      this.error = errorText(error);
    }
  }

  /** Checks now and then every `intervalMs`; listens to events as proof of life. Returns the stop function. */
  attach(intervalMs = 10_000): () => void {
    void this.check();
    const timer = setInterval(() => void this.check(), intervalMs);
    const unsubscribe = this.client.subscribe(() => {
      if (this.connection !== 'connected' && this.machine !== null) {
        this.connection = 'connected';
        this.error = '';
      }
    });
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }
}
