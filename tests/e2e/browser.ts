import fs from 'node:fs';
import path from 'node:path';
import { chromium, type APIRequestContext, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from './server.ts';

export const RESULTS_DIR = path.resolve('test-results');

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

/** A page that fails the test on any uncaught script error. */
export async function newPage(browser: Browser, options: BrowserContextOptions): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.stack ?? e.message));
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // Let antd's entrance animations finish so the picture shows the page at rest.
  await page.waitForTimeout(400);
  // From the top, so a sticky header is not painted across the middle of a long page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage: true });
}

/** Logs in through the console's login page, as a person would, and waits for the console to appear. */
export async function loginToConsole(page: Page, baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-name').waitFor();
  expect(new URL(page.url()).pathname).not.toBe('/login');
}

/** Picks an option of an antd Select by its test id. Under load the first click can land while the dropdown is still opening: the choice is checked and retried. */
export async function chooseOption(page: Page, selectTestId: string, option: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.getByTestId(selectTestId).click();
    const item = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first();
    await item.waitFor();
    await item.click();
    try {
      await page.getByTestId(selectTestId).getByText(option, { exact: false }).first().waitFor({ timeout: 5_000 });
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`could not choose ${option} in ${selectTestId}`);
}

/** An API session as one of the demo staff, for setting up a journey and checking what the screens did. */
export interface ApiSession {
  request: APIRequestContext;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, data: unknown, expectStatus?: number): Promise<T>;
  put<T>(path: string, data: unknown): Promise<T>;
  patch<T>(path: string, data: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function apiSession(browser: Browser, baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<ApiSession> {
  const context = await browser.newContext();
  const request = context.request;
  const login = await request.post(`${baseUrl}/api/auth/login`, { data: { username, password } });
  expect(login.status()).toBe(200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const call = async <T>(method: 'get' | 'post' | 'put' | 'patch', path: string, data?: unknown, expectStatus?: number): Promise<T> => {
    const res = await request[method](`${baseUrl}${path}`, { data, headers: { 'x-csrf-token': csrfToken } });
    const body = await res.text();
    if (expectStatus !== undefined) expect(res.status(), body).toBe(expectStatus);
    else expect(res.ok(), `${method.toUpperCase()} ${path} → ${res.status()} ${body}`).toBe(true);
    return (body ? JSON.parse(body) : null) as T;
  };
  return {
    request,
    get: (path) => call('get', path),
    post: (path, data, expectStatus) => call('post', path, data, expectStatus),
    put: (path, data) => call('put', path, data),
    patch: (path, data) => call('patch', path, data),
    close: () => context.close(),
  };
}
