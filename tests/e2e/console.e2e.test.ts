import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, loginToConsole, newPage, screenshot } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';

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
const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent())?.trim() ?? '';

/** Waits for the page title: pages load lazily, so the previous page stays up for a moment after a click. */
async function title(page: Page, expected: string) {
  await page.getByTestId('page-title').getByText(expected, { exact: true }).waitFor();
}

async function chooseOption(page: Page, selectTestId: string, option: string) {
  // Under load the first click can land while the dropdown is still opening: check the choice took, else retry.
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

describe('staff console', () => {
  it('admin logs in, switches to English and community, opens staff, audit and roles, and logs out', async () => {
    const { page, errors } = await newPage(browser, DESKTOP);

    await page.goto(`${server.url}/`);
    await page.waitForURL('**/login');
    await title(page, '账号登录');
    await screenshot(page, 'console-login');

    // Wrong credentials show the server's message and stay on the login page. (An unknown name, so reruns on a
    // kept PostgreSQL database never add up to the lock-out of a real account.)
    await page.getByTestId('login-username').fill(`nobody${Date.now().toString(36)}`);
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    expect(await page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    expect(path(page)).toBe('/login');

    await loginToConsole(page, server.url, 'admin');
    expect(path(page)).toBe('/');
    expect(await text(page, 'company-name')).toBe('安居示范物业服务有限公司');
    expect(await text(page, 'stat-company')).toContain('安居示范物业服务有限公司');
    expect(await text(page, 'welcome')).toContain('欢迎回来');
    expect(await text(page, 'menu-staff')).toBe('员工账号');
    expect(await text(page, 'user-roles')).toContain('系统管理员');
    // The communities card counts the demo company's three communities.
    await page.getByTestId('stat-communities').getByText('3', { exact: true }).waitFor();
    await screenshot(page, 'console-home');

    // English: the menu and page follow, and the choice survives a reload.
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-en').click();
    await page.getByTestId('menu-staff').getByText('Staff accounts').waitFor();
    expect(await text(page, 'menu-audit')).toBe('Audit trail');
    expect(await text(page, 'welcome')).toContain('Welcome back');
    await page.reload();
    await page.getByTestId('menu-staff').getByText('Staff accounts').waitFor();
    await screenshot(page, 'console-home-en');

    // Community switcher: pick one, it shows on the home page and is remembered.
    expect(await text(page, 'home-community')).toContain('All communities');
    await chooseOption(page, 'community-switcher', '碧澜湾');
    await page.getByTestId('home-community').getByText('碧澜湾', { exact: false }).waitFor();
    await page.reload();
    await page.getByTestId('home-community').getByText('碧澜湾', { exact: false }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('anju.community'))).not.toBeNull();

    // Staff accounts: the demo staff are listed, and the search filters on the server.
    await page.getByTestId('menu-staff').click();
    await page.waitForURL('**/staff');
    await title(page, 'Staff accounts');
    const staffTable = page.getByTestId('staff-table');
    await staffTable.getByText('kefu', { exact: true }).waitFor();
    await staffTable.getByText('jingli', { exact: true }).waitFor();
    await page.getByTestId('staff-search').locator('input').fill('weixiu');
    await page.getByTestId('staff-search').locator('input').press('Enter');
    await staffTable.getByText('kefu', { exact: true }).waitFor({ state: 'detached' });
    expect(await staffTable.getByText('weixiu', { exact: true }).isVisible()).toBe(true);
    await screenshot(page, 'console-staff');

    // Audit trail: our own logins are there; expanding a row shows before and after.
    await page.getByTestId('menu-audit').click();
    await page.waitForURL('**/audit');
    await title(page, 'Audit trail');
    const auditTable = page.getByTestId('audit-table');
    await auditTable.getByText('auth.login').first().waitFor();
    await auditTable.locator('.ant-table-row-expand-icon').first().click();
    await page.getByTestId('audit-after').first().waitFor();
    expect(await text(page, 'audit-after')).toContain('"ip"');
    await screenshot(page, 'console-audit');

    // Roles: built-in roles are shown by their English names in English.
    await page.getByTestId('menu-roles').click();
    await page.waitForURL('**/roles');
    await page.getByTestId('roles-table').getByText('Administrator', { exact: true }).waitFor();
    expect(await page.getByTestId('roles-table').getByText('Customer service', { exact: true }).isVisible()).toBe(true);
    await screenshot(page, 'console-roles');

    // Log out: back on the login page, and the session is really gone on the server.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    await title(page, 'Sign in');
    const me = await page.request.get(`${server.url}/api/auth/me`);
    expect(me.status()).toBe(401);
    await screenshot(page, 'console-logged-out');

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a new staff member gets a one-time temporary password and must change it at first login', async () => {
    const admin = await newPage(browser, DESKTOP);
    await loginToConsole(admin.page, server.url, 'admin');
    await admin.page.getByTestId('menu-staff').click();
    await admin.page.getByTestId('staff-create').click();

    // The form checks with the server's own rules before sending.
    await admin.page.getByTestId('staff-username').fill('1bad');
    await admin.page.getByTestId('staff-form-submit').click();
    await admin.page.getByText('以字母开头', { exact: false }).first().waitFor();

    const username = `e2e${Date.now().toString(36)}`;
    await admin.page.getByTestId('staff-username').fill(username);
    await admin.page.getByTestId('staff-display-name').fill('测试员工');
    await chooseOption(admin.page, 'staff-roles', '客服');
    await admin.page.keyboard.press('Escape');
    await admin.page.getByTestId('staff-form-submit').click();
    const secret = admin.page.getByTestId('secret-value');
    await secret.waitFor();
    const temporaryPassword = (await secret.textContent())?.trim() ?? '';
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(8);
    await screenshot(admin.page, 'console-staff-temp-password');
    await admin.page.getByTestId('secret-close').click();
    await admin.page.getByTestId('staff-table').getByText(username, { exact: true }).waitFor();

    // The new staff member logs in with it and is sent to the change-password page first.
    const staff = await newPage(browser, DESKTOP);
    await staff.page.goto(`${server.url}/login`);
    await staff.page.getByTestId('login-username').fill(username);
    await staff.page.getByTestId('login-password').fill(temporaryPassword);
    await staff.page.getByTestId('login-submit').click();
    await staff.page.getByTestId('page-title').getByText('请先修改密码').waitFor();
    await screenshot(staff.page, 'console-must-change-password');

    await staff.page.getByTestId('current-password').fill(temporaryPassword);
    await staff.page.getByTestId('new-password').fill('short');
    await staff.page.getByTestId('confirm-password').fill('short');
    await staff.page.getByTestId('change-password-submit').click();
    await staff.page.getByText('密码至少 8 位，且须同时包含字母和数字').first().waitFor();

    await staff.page.getByTestId('new-password').fill('NewPassw0rd');
    await staff.page.getByTestId('confirm-password').fill('NewPassw0rd');
    await staff.page.getByTestId('change-password-submit').click();
    await staff.page.getByTestId('user-name').getByText('测试员工').waitFor();
    // A customer-service role sees owner accounts but not the administration pages.
    expect(await staff.page.getByTestId('menu-owners').isVisible()).toBe(true);
    expect(await staff.page.getByTestId('menu-staff').count()).toBe(0);

    expect([...admin.errors, ...staff.errors]).toEqual([]);
    await admin.page.context().close();
    await staff.page.context().close();
  });

  it('signing out another device from My account ends that session: its next click lands on the login page', async () => {
    const laptop = await newPage(browser, DESKTOP);
    const desktop = await newPage(browser, DESKTOP);
    await loginToConsole(desktop.page, server.url, 'jingli');
    await loginToConsole(laptop.page, server.url, 'jingli');

    await laptop.page.getByTestId('user-menu').click();
    await laptop.page.getByTestId('menu-account').click();
    await title(laptop.page, '我的账号');
    const otherDevice = laptop.page.locator('tr', { hasNotText: '当前设备' }).filter({ has: laptop.page.getByRole('button', { name: '下线' }) });
    await otherDevice.first().waitFor();
    await screenshot(laptop.page, 'console-account');
    const before = await otherDevice.count();
    await otherDevice.first().getByRole('button', { name: '下线' }).click();
    await laptop.page.locator('.ant-popconfirm-buttons .ant-btn-primary').click();
    await laptop.page.getByText('该设备已下线').waitFor();
    expect(await otherDevice.count()).toBe(before - 1);

    // The other browser still shows the console, until its next request is refused.
    await desktop.page.getByTestId('menu-communities').click();
    await desktop.page.waitForURL('**/login');
    await desktop.page.getByTestId('session-ended').waitFor();
    expect(await desktop.page.getByTestId('session-ended').textContent()).toContain('登录已失效');

    expect([...laptop.errors, ...desktop.errors]).toEqual([]);
    await laptop.page.context().close();
    await desktop.page.context().close();
  });

  it('the platform operator sees the companies, not a company menu', async () => {
    const { page, errors } = await newPage(browser, DESKTOP);
    await loginToConsole(page, server.url, 'operator');
    await page.waitForURL('**/platform/companies');
    const table = page.getByTestId('companies-table');
    await table.getByText('安居示范物业服务有限公司').waitFor();
    expect(await table.getByText('宁诚物业管理有限公司').isVisible()).toBe(true);
    expect(await page.getByTestId('menu-companies').isVisible()).toBe(true);
    expect(await page.getByTestId('menu-staff').count()).toBe(0);
    expect(await page.getByTestId('community-switcher').count()).toBe(0);
    await screenshot(page, 'console-platform');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
