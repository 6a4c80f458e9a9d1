/**
 * The dashboard's end-to-end harness, shared by the browser tests: a real `vigil serve --demo` child
 * on a random loopback port with a temporary SQLite folder and an admin token, Debian's chromium
 * (playwright-core, never a browser download) with a fresh profile, pages that collect console
 * errors, screenshots into test-output/screenshots/ (git-ignored), and an axe-core accessibility check.
 * `stop()` ends the child and the browser and removes the temporary folder.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const MAIN = fileURLToPath(new URL('../../../cli/main.js', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../../../test-output/screenshots/', import.meta.url));
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SIZES = { laptop: { width: 1366, height: 800 }, phone: { width: 390, height: 844 } } as const;
export type Size = keyof typeof SIZES;

export interface Opened {
  page: Page;
  /** Console errors and uncaught exceptions of the page, in order. */
  errors: string[];
}

export interface E2E {
  /** The service's base address, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  admin: string;
  /** The demo team's key, as `vigil serve --demo` prints it. */
  demoKey: string;
  /** The temporary folder holding the SQLite file (and the browser profile). */
  dir: string;
  browser: BrowserContext;
  /** A /v1 call with a key: GET without a body, POST with one (or the method given); asserts a 2xx and returns the JSON. */
  call(path: string, key: string, body?: unknown, method?: string): Promise<any>;
  /** A new tab (its own session storage) at the given size, collecting console errors and page errors. */
  open(size: Size): Promise<Opened>;
  /** A full-page screenshot to test-output/screenshots/<name>-<size>.png. */
  shoot(page: Page, name: string, size: Size): Promise<void>;
  /** Runs axe-core in the page; fails listing every serious or critical violation. */
  axe(page: Page, context?: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the service and the browser. Pass `env` to add environment variables for the child, `args` to add flags to `vigil serve`. */
export async function startE2E(opts: { env?: Record<string, string>; admin?: string; args?: string[] } = {}): Promise<E2E> {
  const admin = opts.admin ?? 'e2e-admin-token';
  const dir = mkdtempSync(join(tmpdir(), 'vigil-web-'));
  const child: ChildProcess = spawn(process.execPath, [MAIN, 'serve', '--demo', '--port', '0', '--data-dir', dir, ...(opts.args ?? [])], {
    env: { ...process.env, VIGIL_NO_PROGRESS: '1', ...opts.env, VIGIL_ADMIN_TOKEN: admin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let browser: BrowserContext | null = null;
  const stop = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d));
    const { url, demoKey } = await new Promise<{ url: string; demoKey: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start in 90 s: ${out}${err}`)), 90_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d;
        const u = /listening on (\S+)/.exec(out);
        const k = /demo team key: (\S+)/.exec(out);
        if (u && k && out.includes('try ')) {
          clearTimeout(timer);
          resolve({ url: u[1]!.replace(/\/$/, ''), demoKey: k[1]! });
        }
      });
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`serve exited ${code}: ${out}${err}`))));
    });
    // A fresh profile in the temporary folder (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(join(dir, 'chromium'), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const ctx = browser;
    mkdirSync(SCREENSHOTS, { recursive: true });
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

    const call = async (path: string, key: string, body?: unknown, method?: string): Promise<any> => {
      const res = await fetch(url + path, {
        method: method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      assert.ok(res.ok, `${method ?? (body === undefined ? 'GET' : 'POST')} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : null;
    };
    const open = async (size: Size): Promise<Opened> => {
      const page = await ctx.newPage();
      await page.setViewportSize(SIZES[size]);
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      return { page, errors };
    };
    const shoot = async (page: Page, name: string, size: Size): Promise<void> => {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size}.png`), fullPage: true });
    };
    const axe = async (page: Page, context = 'document'): Promise<void> => {
      if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ content: axeSource });
      const found = (await page.evaluate(`window.axe.run(${context === 'document' ? 'document' : JSON.stringify(context)}, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`)) as { id: string; impact: string | null; help: string; nodes: string[] }[];
      const bad = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.join(', ')})`), [], `axe on ${page.url()}`);
    };
    return { url, admin, demoKey, dir, browser: ctx, call, open, shoot, axe, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Waits until `check` is true, polling every half second, up to `ms` (a generous bound, not a speed test). */
export async function until(check: () => Promise<boolean> | boolean, ms = 120_000, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
