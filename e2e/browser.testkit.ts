import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';

/** Debian's Chromium: Playwright cannot download its own browsers on these machines. */
export const CHROMIUM_PATH = process.env['CURVELAB_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
/** WebGPU on SwiftShader, Chromium's software adapter (loopback and file pages only: WebGPU needs a secure context). */
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

/** Where the end-to-end tests leave their screenshots (ignored by git). */
export const SCREENSHOT_DIR = join(import.meta.dirname, '..', 'e2e-artifacts', 'screenshots');

/** Without a GPU (`--disable-gpu`), or with WebGPU on a software adapter. */
export async function launchBrowser(options: { webgpu?: boolean } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS, ...(options.webgpu ? WEBGPU_FLAGS : ['--disable-gpu'])] });
}

export interface WatchedPage {
  page: Page;
  /** Uncaught page errors and console errors seen so far. */
  errors: string[];
  screenshot(name: string): Promise<string>;
}

/** A 1280×800 page that records every uncaught error (the tests fail on any). */
export async function openWatchedPage(browser: Browser, url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  await page.goto(url);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    page,
    errors,
    screenshot: async (name) => {
      const file = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
}
