import type { Browser, Page } from 'playwright';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchBrowser, openWatchedPage, type WatchedPage } from './browser.testkit';
import { startServedLab, type ServedLab } from './servedLab.testkit';

/** What a test file's tests share: the lab, the browser and the page they drive. */
export interface LabSession {
  lab: ServedLab;
  browser: Browser;
  watched: WatchedPage;
  page: Page;
}

/**
 * Registers a test file's hooks: the real `curvelab serve` on a fresh database, Debian's Chromium and one
 * watched page for all its tests (which run in order), closed at the end; each test fails on any uncaught
 * page error or console error seen so far. The fields are there once the tests run. `serveArgs`: more
 * flags for serve, read when the lab starts (after the file's own earlier beforeAll hooks).
 */
export function useLabSession(options: { serveArgs?: () => string[] } = {}): LabSession {
  const session = {} as LabSession;
  beforeAll(async () => {
    session.lab = await startServedLab({ args: options.serveArgs?.() ?? [] });
    session.browser = await launchBrowser();
    session.watched = await openWatchedPage(session.browser, session.lab.url);
    session.page = session.watched.page;
  }, 120_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.lab?.stop();
  });
  afterEach(() => {
    expect(session.watched.errors, `page errors; serve said:\n${session.lab.output()}`).toEqual([]);
  });
  return session;
}
