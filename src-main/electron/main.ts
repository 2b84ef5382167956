import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session } from 'electron';
import { BACKEND_ENV_VAR } from '../engine/backend';
import { createLabDispatch } from '../lab/api/labDispatcher';
import { defaultDatabasePath } from '../lab/defaultDatabasePath';
import { openLab, type Lab } from '../lab/lab';
import { appPageUrl, handleAppProtocol, registerAppScheme } from './appProtocol';
import { closeBeforeQuit } from './closeBeforeQuit';
import { electronSqliteBindingPath } from './electronSqliteBinding.mjs';
import { gpuPageTrainers } from './gpuPageWindow';
import { forwardLabEvents, registerLabIpc } from './labIpc';
import { labEventChannel } from './labChannels';
import { guardWebContents } from './navigationGuard';
import { redisSetting } from './redisSetting';
import { lockDownSession } from './sessionSecurity';
import { createTrustedSenderCheck } from './trustedSender';

/**
 * The Electron main process: hosts the lab (src-main/lab) and one locked-down window on the renderer,
 * loaded from app://curvelab/ (appProtocol.ts), not file:// (context isolation, sandbox, no Node in the
 * page, web security, a strict CSP, no permissions, no navigation away, no new windows, no external
 * links). The page reaches the lab only through the Lab API over IPC, and only from our own renderer.
 * A packaged build also gets its fuses set (scripts/setFuses.mjs).
 */

const rendererDir = join(import.meta.dirname, '../renderer');
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;

registerAppScheme(protocol);
app.on('web-contents-created', (_event, contents) => guardWebContents(contents));

function createWindow(lab: Lab): void {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    title: 'CurveLab',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.once('ready-to-show', () => window.show());

  const stopEvents = forwardLabEvents(
    (listener) => lab.subscribe(listener),
    (event) => {
      if (!window.isDestroyed()) window.webContents.send(labEventChannel, event);
    },
  );
  window.on('closed', stopEvents);

  void window.loadURL(devServerUrl ?? appPageUrl);
}

/** The Electron build of better-sqlite3 (the Node one cannot load here); `npm start` builds it. */
function sqliteBinding(): string {
  // This bundle is out/main/index.js: the project (and its node_modules) is two folders up, however
  // Electron was launched (`electron .`, or with the bundle's path as Playwright does).
  const path = electronSqliteBindingPath(join(import.meta.dirname, '..', '..'));
  if (!existsSync(path)) {
    throw new Error(
      `better-sqlite3 has no build for Electron at ${path}.\n` +
        'Start the app with `npm start` (or `npm run dev`), which builds it, or run `node src-main/electron/buildSqliteForElectron.mjs`.',
    );
  }
  return path;
}

async function start(): Promise<void> {
  lockDownSession(session.defaultSession);
  handleAppProtocol(protocol, rendererDir, (fileUrl) => net.fetch(fileUrl));
  const redis = redisSetting(process.env, app.getPath('userData'));
  // GPU runs train in hidden pages on Chromium's WebGPU: Dawn's Node binding cannot run in Electron (gpuPageWindow.ts).
  // The lab's own probe runs in a worker thread, where webgpu cannot load here: it must not be asked for
  // webgpu, and the runs, which the pages put on the one GPU, take turns.
  const startTrainer = gpuPageTrainers(process.env[BACKEND_ENV_VAR] ?? 'auto');
  const pages = startTrainer ? { startTrainer, backend: 'auto', concurrency: 1 } : {};
  const lab = await openLab({ databasePath: defaultDatabasePath(), mode: 'electron', nativeBinding: sqliteBinding(), ...pages, ...(redis ? { redis } : {}) });

  const isTrustedSender = createTrustedSenderCheck({ devServerUrl });
  const unregisterIpc = registerLabIpc(ipcMain, createLabDispatch(lab), isTrustedSender, (method, url) =>
    console.warn(`Refused Lab API call ${method} from ${url ?? 'a frame that is gone'}`),
  );
  closeBeforeQuit(app, async () => {
    unregisterIpc();
    await lab.close();
  });

  createWindow(lab);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(lab);
  });
}

void app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    // Before the lab is open there is no window to show it in: a dialog, then out.
    dialog.showErrorBox('CurveLab could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
