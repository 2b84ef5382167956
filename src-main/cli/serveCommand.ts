import type { DatasetInfo, LabApi, LabEvent } from '../lab/api/labApi';
import { createLabDispatch } from '../lab/api/labDispatcher';
import { datasetFilesByHash } from '../lab/datasets/datasetFiles';
import type { OpenLabOptions } from '../lab/lab';
import { defaultDatabasePath } from '../lab/defaultDatabasePath';
import { REDIS_ENV_VAR } from '../lab/queue/redisAddress';
import { StoreError } from '../lab/store';
import { UserInputError } from '../engine/errors';
import { createAccessToken } from '../server/accessToken';
import { startLabServer } from '../server/labServer';
import { ListenError } from '../server/listenError';
import { defaultRendererDir } from '../server/rendererDir';
import { parseCommandArgs, positiveInteger } from './argumentValues';
import { redisOption } from './redisOption';
import { UsageError } from './usageError';

export const DEFAULT_SERVE_PORT = 7860;

export const serveUsage = `Usage: curvelab serve [--db path] [--port N] [--host ADDRESS] [--backend NAME] [--concurrency N] [--redis URL]

Serves the CurveLab app to a web browser: the user interface, the Lab API over HTTP and live training
events over a WebSocket. Runs until Ctrl-C (or SIGTERM), which cancels the runs still training (they keep
what they recorded) and closes the database.

  --db path        the lab database (default: the user's data folder, or CURVELAB_DB)
  --port N         the port to listen on (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)
  --host ADDRESS   the address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for all).
                   Whatever the address, the server requires a random access token, printed as part of
                   the address to open: other users of this machine reach loopback too
  --backend NAME   the TF.js backend runs train on (default: CURVELAB_BACKEND, else the best that loads)
  --concurrency N  runs that train at once (default: one per core on a CPU backend, one on a GPU)
  --redis URL      queue runs and studies on this Redis (redis://[user:password@]host[:port][/db], or
                   rediss://… for TLS) for \`curvelab worker\`s to train, instead of training them here;
                   default: ${REDIS_ENV_VAR} when set (--redis wins). Runs on the queue go on when the
                   server stops: the next lab with the queue writes what they sent meanwhile

The user interface must have been built first (npm run build); without it the page says so.
Exit status: 0 stopped by Ctrl-C or SIGTERM, 2 bad arguments, database or address (say, the port is in use).
`;

export interface ServeOptions {
  databasePath: string;
  host: string;
  port: number;
  backend?: string;
  concurrency?: number;
  /** The Redis address runs are queued on (--redis, else CURVELAB_REDIS). */
  redis?: string;
}

/** Reads `curvelab serve`'s arguments; bad ones are a UsageError naming the flag. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeOptions {
  const { values } = parseCommandArgs('serve', {
    args: argv,
    allowPositionals: false,
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      backend: { type: 'string' },
      concurrency: { type: 'string' },
      redis: { type: 'string' },
    },
  });
  const host = values.host ?? '127.0.0.1';
  const redis = redisOption(values.redis, env, 'serve');
  if (host.trim() === '' || /\s/.test(host)) throw new UsageError(`--host ${JSON.stringify(host)}: expected an address or host name`, 'serve');
  return {
    databasePath: values.db ?? defaultDatabasePath(env),
    host,
    port: values.port === undefined ? DEFAULT_SERVE_PORT : portNumber(values.port),
    ...(values.backend !== undefined ? { backend: values.backend } : {}),
    ...(values.concurrency !== undefined ? { concurrency: positiveInteger(values.concurrency, '--concurrency', 'serve') } : {}),
    ...(redis !== undefined ? { redis } : {}),
  };
}

function portNumber(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new UsageError(`--port ${text}: expected a port number from 0 to 65535 (0: any free port)`, 'serve');
  return n;
}

/** What serve needs of the lab (openLab's Lab). */
export interface ServableLab extends LabApi {
  subscribe(listener: (event: LabEvent) => void): () => void;
  close(): Promise<void>;
  /** Its registry, whose datasets remote workers download by content hash (a test's fake lab may have none). */
  readonly datasets?: { findByHash(hash: string): DatasetInfo | undefined };
}

/** What serve does to the world, replaceable in tests. */
export interface ServeEnvironment {
  openLab(options: OpenLabOptions): Promise<ServableLab>;
  /** The built renderer. */
  rendererDir: string;
  /** Resolves when the server should stop. Default: the first SIGINT or SIGTERM. */
  waitForStop(): Promise<unknown>;
  /** Prints a line for the user (stdout). */
  print(line: string): void;
}

/** `curvelab serve`: the lab in a browser. Returns 0 once stopped; user errors are thrown (exit 2). */
export async function runServeCommand(argv: string[], overrides: Partial<ServeEnvironment> = {}): Promise<number> {
  const options = parseServeArgs(argv);
  const environment: ServeEnvironment = {
    // Loaded only here: the lab brings the engine and the store, which no other use of this module needs.
    openLab: overrides.openLab ?? (async (o) => (await import('../lab/lab')).openLab(o)),
    rendererDir: overrides.rendererDir ?? defaultRendererDir(),
    waitForStop: overrides.waitForStop ?? waitForStopSignal,
    print: overrides.print ?? ((line) => process.stdout.write(`${line}\n`)),
  };

  let lab: ServableLab;
  try {
    lab = await environment.openLab({
      databasePath: options.databasePath,
      mode: 'web',
      ...(options.backend !== undefined ? { backend: options.backend } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.redis !== undefined ? { redis: options.redis } : {}),
    });
  } catch (error) {
    if (error instanceof StoreError) throw new UserInputError(error.message);
    throw error;
  }

  // Whoever reaches the port, other users of this machine included, could drive the lab and read the
  // user's files through addDataset: the token is never optional.
  const token = createAccessToken();
  let server;
  let trainsOn: string;
  try {
    const machine = await lab.getMachine();
    trainsOn = machine.queue ? `queue ${machine.queue.address}` : `backend ${machine.backend.name}`;
    server = await startLabServer(
      {
        dispatch: createLabDispatch(lab),
        subscribe: (listener) => lab.subscribe(listener),
        ...(lab.datasets ? { datasetFiles: datasetFilesByHash.bind(null, lab.datasets) } : {}),
      },
      { host: options.host, port: options.port, staticDir: environment.rendererDir, token },
    );
  } catch (error) {
    await lab.close();
    if (error instanceof ListenError && error.reason === 'port-in-use') {
      throw new UserInputError(`${error.message}: choose another with --port N (--port 0 picks a free one)`);
    }
    throw error;
  }

  environment.print(`CurveLab is serving on ${server.url}?token=${token} (${trainsOn}, database ${options.databasePath})`);
  environment.print('Open that address in a web browser. Ctrl-C to stop.');

  await environment.waitForStop();
  await server.close();
  await lab.close();
  return 0;
}

/**
 * The first SIGINT or SIGTERM asks for a clean stop (cancel runs, close the database); a second one
 * while that is under way leaves at once.
 */
function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.stderr.write('curvelab serve: stopping (cancelling the runs still training)…\n');
      const force = (): void => {
        process.stderr.write('curvelab serve: stopped without waiting for the runs to cancel\n');
        process.exit(130);
      };
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
