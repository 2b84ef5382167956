import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { processAlive } from './processAlive';

export interface LabSessionOptions {
  /** How often a session renews its heartbeat (default 5 s). */
  heartbeatMs?: number;
  /** A session whose heartbeat is older than this is dead (default 30 s): it would have renewed it. */
  staleAfterMs?: number;
}

/** A session's row in `lab_sessions` (migration 007). */
export interface SessionRow {
  id: string;
  pid: number;
  machine: string;
  heartbeat_at: number;
}

/** The sessions this process has open: a row with this process's pid that is not one of them belongs to a process that ended. */
const openHere = new Set<string>();

let machineKey: string | undefined;

/**
 * Where a process id names one process: the host, its boot and the pid namespace (a container has its
 * own). Linux gives all three; elsewhere the host name alone.
 */
function thisMachine(): string {
  const read = (what: () => string): string => {
    try {
      return what().trim();
    } catch {
      return '';
    }
  };
  machineKey ??= [hostname(), read(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')), read(() => readlinkSync('/proc/self/ns/pid'))].join(' ');
  return machineKey;
}

/** A process of this machine that is provably gone: no such process, or this very process (whose open sessions it knows). */
function goneHere(pid: number): boolean {
  return pid === process.pid || !processAlive(pid);
}

/**
 * Whether a run recorded before sessions existed (no session, maybe a pid) is orphaned: unless an older
 * CurveLab that is still alive on this machine trains it.
 */
export function ownerlessRunIsOrphan(pid: number | null): boolean {
  return pid === null || goneHere(pid);
}

/**
 * One process's presence in the database while it has it open for writing: a row in `lab_sessions`
 * whose heartbeat the process renews (`beat`) and deletes when it closes (`end`). Runs record the session
 * that queued or trains them, so another process can tell whether they still have an owner: a session
 * is dead when its row is gone, when its heartbeat is stale, or at once when its process is provably
 * gone (same machine and pid namespace, and no such process, or this very process under another session:
 * a lab restarted in a container is pid 1 again, so a live pid alone proves nothing).
 */
export class LabSession {
  /** Random, one per open store. */
  readonly id = randomBytes(16).toString('hex');
  readonly heartbeatMs: number;
  private readonly staleAfterMs: number;
  private readonly upsert: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    options: LabSessionOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 5000;
    this.staleAfterMs = options.staleAfterMs ?? 30_000;
    // Upserted: a process that was taken for dead (its event loop blocked past staleAfterMs) appears again.
    this.upsert = db.prepare(
      `INSERT INTO lab_sessions (id, pid, machine, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
    );
    this.beat();
    openHere.add(this.id);
  }

  /** Renews the heartbeat. */
  beat(): void {
    this.upsert.run(this.id, process.pid, thisMachine(), new Date().toISOString(), Date.now());
  }

  /** Whether the session with this id has ended or is dead (see the class comment). */
  isDead(id: string, rows: ReadonlyMap<string, SessionRow>): boolean {
    if (id === this.id || openHere.has(id)) return false;
    const row = rows.get(id);
    if (row === undefined) return true;
    if (row.machine === thisMachine() && goneHere(row.pid)) return true;
    return Date.now() - row.heartbeat_at > this.staleAfterMs;
  }

  /** Every session's row, by id. */
  rows(): Map<string, SessionRow> {
    return new Map((this.db.prepare('SELECT id, pid, machine, heartbeat_at FROM lab_sessions').all() as SessionRow[]).map((r) => [r.id, r]));
  }

  /** Deletes the rows of sessions that are dead. */
  forgetDead(rows: ReadonlyMap<string, SessionRow>): void {
    const remove = this.db.prepare('DELETE FROM lab_sessions WHERE id = ?');
    for (const id of rows.keys()) if (this.isDead(id, rows)) remove.run(id);
  }

  /** The process lets go of the database: its row goes (its runs, if any were left, are orphans from now on). */
  end(): void {
    openHere.delete(this.id);
    this.db.prepare('DELETE FROM lab_sessions WHERE id = ?').run(this.id);
  }
}
