import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loginToConsole, newPage, PHONE, screenshot } from './browser.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from './server.ts';

/**
 * 抄表 on the phone (issue #5): the project manager 刘洋 (jingli, billing.manage, two communities) opens 抄表, picks
 * 锦华苑 and a building, sees the meters with their last reading, and enters this month's readings: one normal (saved,
 * ✓ with its usage), one lower than last month (the server's message under that meter, nothing saved).
 */

let server: RunningServer;
let browser: Browser;
let page: Page | undefined;

const PHONE_375 = { ...PHONE, viewport: { width: 375, height: 812 } };

interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, data: unknown, expectStatus?: number): Promise<T>;
  close(): Promise<void>;
}

async function apiAs(username: string): Promise<Api> {
  const context = await browser.newContext();
  const request = context.request;
  const login = await request.post(`${server.url}/api/auth/login`, { data: { username, password: DEMO_PASSWORD } });
  expect(login.status()).toBe(200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const call = async <T>(method: 'get' | 'post', path: string, data?: unknown, expectStatus?: number): Promise<T> => {
    const res = await request[method](`${server.url}${path}`, { data, headers: { 'x-csrf-token': csrfToken } });
    const body = await res.text();
    if (expectStatus !== undefined) expect(res.status(), body).toBe(expectStatus);
    else expect(res.ok(), `${method.toUpperCase()} ${path} → ${res.status()} ${body}`).toBe(true);
    return (body ? JSON.parse(body) : null) as T;
  };
  return { get: (path) => call('get', path), post: (path, data, expectStatus) => call('post', path, data, expectStatus), close: () => context.close() };
}

interface Meter {
  id: string;
  number: string;
}

let jingli: Api;
let communityId: string;
let building: { id: string; name: string };
let water: Meter;
let power: Meter;
let periodKey: string;
let lastPeriod: string;

const shot = (p: Page, step: string) => screenshot(p, `meter-reading-${step}`);

async function chooseOption(p: Page, selectTestId: string, option: string) {
  await p.getByTestId(selectTestId).click();
  await p.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  jingli = await apiAs('jingli');
  const communities = await jingli.get<{ items: Array<{ id: string; code: string }> }>('/api/communities?pageSize=100');
  communityId = communities.items.find((c) => c.code === 'JHY')!.id;
  const buildings = await jingli.get<{ items: Array<{ id: string; name: string }> }>(`/api/buildings?communityId=${communityId}&pageSize=200`);
  building = buildings.items[0];
  const rooms = await jingli.get<{ items: Array<{ id: string; label: string }> }>(`/api/rooms?buildingId=${building.id}&pageSize=2`);
  expect(rooms.items.length).toBe(2);

  periodKey = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
  const [y, m] = periodKey.split('-').map(Number);
  lastPeriod = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;

  // Numbers of their own, in case the database is a PostgreSQL kept between runs.
  const tag = Date.now().toString(36).slice(-5).toUpperCase();
  water = await jingli.post<Meter>('/api/meters', { roomId: rooms.items[0].id, kind: 'water', number: `W${tag}`, initialReading: '100' }, 201);
  power = await jingli.post<Meter>('/api/meters', { roomId: rooms.items[1].id, kind: 'electricity', number: `E${tag}`, initialReading: '300' }, 201);
  await jingli.post('/api/meter-readings', { meterId: water.id, periodKey: lastPeriod, reading: '120' }, 201);
  await jingli.post('/api/meter-readings', { meterId: power.id, periodKey: lastPeriod, reading: '500' }, 201);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !page || page.isClosed()) return;
  await page.screenshot({ path: 'test-results/meter-reading-failed.png', fullPage: true }).catch(() => undefined);
});

afterAll(async () => {
  await page?.context().close();
  await jingli?.close();
  await browser?.close();
  await server?.close();
});

describe('抄表 on the phone', () => {
  it('刘洋 reads two meters of a building: one saved, one lower than last month refused', async () => {
    const opened = await newPage(browser, PHONE_375);
    page = opened.page;
    await loginToConsole(page, server.url, 'jingli');
    await page.goto(`${server.url}/m/`);
    await page.getByTestId('tab-meters').click();
    await page.waitForURL('**/m/meter-readings**');
    // The title follows the route on the next render: wait for it rather than read it at once.
    await page.getByTestId('page-title').getByText('抄表', { exact: true }).waitFor();
    expect(await page.getByTestId('meter-period').textContent()).toBe(periodKey);
    await shot(page, '01-open');

    // Two communities: choose 锦华苑, then the building.
    await chooseOption(page, 'meter-community', '锦华苑');
    await chooseOption(page, 'meter-building', building.name);
    const waterCard = page.locator(`[data-testid="meter-card"][data-meter="${water.number}"]`);
    const powerCard = page.locator(`[data-testid="meter-card"][data-meter="${power.number}"]`);
    await waterCard.waitFor();
    await expect.poll(() => waterCard.getByTestId('meter-last').textContent()).toContain(`上次 120（${lastPeriod}）`);
    expect(await waterCard.getByTestId('meter-last').textContent()).toContain('用量 20 m³');
    expect(await powerCard.getByTestId('meter-last').textContent()).toContain(`上次 500（${lastPeriod}）`);
    expect(await page.getByTestId('meter-progress').textContent()).toMatch(/已抄 0 \/ \d+/);
    await shot(page, '02-building');

    // A normal reading: Enter saves it, ✓ with its usage, and the keyboard moves on to the next meter.
    await waterCard.getByTestId('meter-input').fill('135');
    await waterCard.getByTestId('meter-input').press('Enter');
    await waterCard.getByTestId('meter-result').waitFor();
    expect(await waterCard.getAttribute('data-state')).toBe('done');
    expect(await waterCard.getByTestId('meter-usage').textContent()).toContain('用量 15 m³');
    expect(await page.getByTestId('meter-progress').textContent()).toMatch(/已抄 1 \/ \d+/);
    await expect.poll(() => page!.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('meter-input');
    await shot(page, '03-saved');

    // Lower than last month: the server's message under that meter, nothing saved.
    await powerCard.getByTestId('meter-input').fill('480');
    await powerCard.getByTestId('meter-save').click();
    const error = powerCard.getByTestId('meter-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/480/);
    expect(await powerCard.getAttribute('data-state')).toBe('error');
    expect(await page.getByTestId('meter-progress').textContent()).toMatch(/已抄 1 \/ \d+/);
    await shot(page, '04-refused');

    const saved = await jingli.get<{ items: Array<{ meterId: string; reading: string; usage: string; source: string; status: string }> }>(`/api/meter-readings?communityId=${communityId}&periodKey=${periodKey}&pageSize=200`);
    const mine = saved.items.filter((r) => r.meterId === water.id || r.meterId === power.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ meterId: water.id, source: 'phone', status: 'accepted' });
    expect(Number(mine[0].usage)).toBe(15);

    // Nothing sticks out of a 375 px phone, and no key shows raw.
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(scroll).toBeLessThanOrEqual(client);
    expect(await page.locator('body').innerText()).not.toMatch(/billingMeter\./);
    expect(opened.errors).toEqual([]);
  });
});
