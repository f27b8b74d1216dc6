import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, loginToConsole, newPage, PHONE, screenshot } from './browser.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from './server.ts';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const path = (page: Page) => new URL(page.url()).pathname;

/**
 * Reads the newest login code for a phone the way a demo user does: in the console's SMS outbox, logged in as
 * the company's administrator in another browser.
 */
async function readCodeFromOutbox(phone: string): Promise<string> {
  const { page } = await newPage(browser, DESKTOP);
  try {
    await loginToConsole(page, server.url, 'admin');
    await page.getByTestId('menu-sms').click();
    await page.waitForURL('**/sms');
    await page.getByTestId('sms-phone-search').locator('input').fill(phone);
    await page.getByTestId('sms-phone-search').locator('input').press('Enter');
    const body = page.getByTestId('sms-table').getByTestId('sms-body').first();
    await body.getByText('验证码').waitFor();
    await screenshot(page, 'console-sms-outbox');
    const code = /(?<!\d)(\d{6})(?!\d)/.exec((await body.textContent()) ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    return code!;
  } finally {
    await page.context().close();
  }
}

async function requestCode(page: Page, phone: string) {
  await page.getByTestId('m-phone').fill(phone);
  await page.getByTestId('m-get-code').click();
  // The button counts down the server's cooldown instead of allowing a second request.
  await page.getByTestId('m-get-code').getByText('秒后重发', { exact: false }).waitFor();
  expect(await page.getByTestId('m-get-code').isDisabled()).toBe(true);
}

describe('owner phone site', () => {
  it('an owner logs in with an SMS code and sees 我的家', async () => {
    const { page, errors } = await newPage(browser, PHONE);
    await page.goto(`${server.url}/m/`);
    await page.waitForURL('**/m/login');
    expect(await page.getByTestId('page-title').textContent()).toBe('业主登录');
    await screenshot(page, 'm-login');

    await requestCode(page, '13800138001');

    const code = await readCodeFromOutbox('13800138001');

    // A wrong code is refused with the server's message.
    await page.getByTestId('m-code').fill(code === '000000' ? '111111' : '000000');
    await page.getByTestId('m-login-submit').click();
    await page.getByTestId('m-login-error').getByText('验证码错误或已过期').waitFor();

    await page.getByTestId('m-code').fill(code);
    await page.getByTestId('m-login-submit').click();
    await page.getByTestId('owner-name').waitFor();
    expect(path(page)).toMatch(/^\/m\/?$/);
    expect(await page.getByTestId('owner-name').textContent()).toContain('张伟');
    expect(await page.getByTestId('owner-company').textContent()).toBe('安居示范物业服务有限公司');
    // The homes shown are the ones the server has for this owner (the demo data may link some, or none).
    const home = (await (await page.request.get(`${server.url}/api/owner/home`)).json()) as { rooms: Array<{ label: string }> };
    if (home.rooms.length) {
      for (const room of home.rooms) expect(await page.getByTestId('room-label').filter({ hasText: room.label }).count()).toBe(1);
    } else {
      expect(await page.getByTestId('no-rooms').textContent()).toBe('尚未关联房屋，请联系物业');
    }
    // The phone is shown masked.
    expect(await page.getByText('138****8001').isVisible()).toBe(true);
    await screenshot(page, 'm-home');

    // 我的: switch to English, then log out.
    await page.getByTestId('tab-me').click();
    await page.waitForURL('**/m/me');
    expect(await page.getByTestId('m-me-name').textContent()).toBe('张伟');
    await page.getByTestId('m-lang').getByText('English').click();
    await page.getByTestId('tab-home').getByText('My home').waitFor();
    await screenshot(page, 'm-me-en');
    await page.getByTestId('m-logout').click();
    await page.getByTestId('m-logout-confirm').click();
    await page.waitForURL('**/m/login');
    await page.getByTestId('page-title').getByText('Owner sign-in').waitFor();

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a phone registered with two companies chooses the company before logging in', async () => {
    // Company B's administrator registers an owner whose phone company A already knows.
    const api = await browser.newContext();
    const login = await api.request.post(`${server.url}/api/auth/login`, { data: { username: 'admin-b', password: DEMO_PASSWORD } });
    expect(login.status()).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const created = await api.request.post(`${server.url}/api/owners`, {
      data: { displayName: '王芳', phone: '13800138002' },
      headers: { 'x-csrf-token': csrfToken },
    });
    expect([201, 409]).toContain(created.status());
    await api.close();

    const { page, errors } = await newPage(browser, PHONE);
    await page.goto(`${server.url}/m/login`);
    await requestCode(page, '13800138002');
    await page.getByTestId('m-code').fill(await readCodeFromOutbox('13800138002'));
    await page.getByTestId('m-login-submit').click();

    const chooser = page.getByTestId('company-chooser');
    await chooser.waitFor();
    expect(await chooser.getByText('安居示范物业服务有限公司').isVisible()).toBe(true);
    await chooser.getByText('宁诚物业管理有限公司').click();
    await screenshot(page, 'm-choose-company');
    await chooser.getByRole('button', { name: /继续登录/ }).click();

    await page.getByTestId('owner-name').getByText('王芳', { exact: false }).waitFor();
    expect(await page.getByTestId('owner-company').textContent()).toBe('宁诚物业管理有限公司');
    // Company B has just registered her: no home linked there yet, so the friendly empty state shows.
    expect(await page.getByTestId('no-rooms').textContent()).toBe('尚未关联房屋，请联系物业');
    await screenshot(page, 'm-home-empty');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('staff who open the phone site get the workbench with a link to the console', async () => {
    const { page, errors } = await newPage(browser, PHONE);
    await loginToConsole(page, server.url, 'kefu');
    await page.goto(`${server.url}/m/`);
    await page.getByTestId('desk-name').getByText('赵敏', { exact: false }).waitFor();
    expect(await page.getByTestId('tab-home').textContent()).toContain('工作台');
    expect(await page.getByTestId('open-console').getAttribute('href')).toBe('/');
    await screenshot(page, 'm-staff-desk');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
