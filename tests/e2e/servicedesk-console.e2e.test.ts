import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
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

const stamp = Date.now().toString(36).slice(-5).toUpperCase();
const ticketTitle = `大堂吊灯不亮 ${stamp}`;
/** The demo technician (weixiu), who works 锦华苑 and 碧澜湾. */
const technician = '周强';

async function title(page: Page, expected: string) {
  await page.getByTestId('page-title').getByText(expected, { exact: true }).waitFor();
}

/**
 * Opens an antd Select by its test id and picks the option with this text, then checks the select shows it: a click
 * on an option while its dropdown still slides in can land beside it, so it waits for the slide and tries again.
 */
async function chooseOption(page: Page, selectTestId: string, option: string) {
  const select = page.getByTestId(selectTestId);
  for (let attempt = 0; attempt < 3; attempt++) {
    await select.click();
    const item = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first();
    await item.waitFor();
    await page.waitForFunction(() => !document.querySelector('.ant-select-dropdown[class*="slide-up-appear"], .ant-select-dropdown[class*="slide-up-enter"]'));
    await item.click();
    if (((await select.textContent()) ?? '').includes(option)) return;
    await page.keyboard.press('Escape');
  }
  throw new Error(`${selectTestId}: could not choose ${option}`);
}

/**
 * Waits for an antd modal's zoom-in to end: a click aimed at a field while the dialog still grows lands on whatever
 * is under that point once it has grown (seen: the kind select's click opening the category select).
 */
async function modalSettled(page: Page) {
  await page.locator('.ant-modal').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.ant-modal [class*="zoom-appear"], .ant-modal[class*="zoom-enter"], .ant-modal[class*="zoom-appear"]'));
}

/** A date-time as the register form's picker shows it, in the browser's zone (Asia/Shanghai). */
function pickerText(d: Date): string {
  const p = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const v = (type: string) => p.find((x) => x.type === type)!.value;
  return `${v('year')}-${v('month')}-${v('day')} ${v('hour')}:${v('minute')}`;
}

describe('service desk console', () => {
  it('registers a public-area repair an hour late, sees its clocks, dispatches it to the technician, finds it on the board, the dashboard and the settings', async () => {
    const { page, errors } = await newPage(browser, DESKTOP);
    onTestFailed(() => page.screenshot({ path: 'test-results/servicedesk-failed.png', fullPage: true }).then(() => undefined));
    // The technician has the console open: the dispatch reaches his bell through the event stream.
    const tech = await newPage(browser, DESKTOP);
    onTestFailed(() => tech.page.screenshot({ path: 'test-results/servicedesk-tech-failed.png', fullPage: true }).then(() => undefined));
    await loginToConsole(tech.page, server.url, 'weixiu');
    await tech.page.getByTestId('notif-bell').waitFor();

    await loginToConsole(page, server.url, 'admin');
    await page.getByTestId('menu-tickets').click();
    await page.waitForURL('**/tickets');
    await title(page, '工单队列');
    await screenshot(page, 'servicedesk-queue-before');

    // 登记工单: a public-area repair phoned in an hour ago; the deadlines count from then.
    await page.getByTestId('ticket-new').click();
    await modalSettled(page);
    await chooseOption(page, 'ticket-form-kind', '公区维修');
    await chooseOption(page, 'ticket-form-category', '公共照明');
    await page.getByTestId('ticket-form-location').fill('3栋一单元大堂');
    await page.getByTestId('ticket-form-title').fill(ticketTitle);
    await page.getByTestId('ticket-form-description').fill('大堂吊灯全部不亮，晚上业主进出看不清。');
    await chooseOption(page, 'ticket-form-channel', '电话');
    await page.getByTestId('ticket-form-reporter-name').fill('张伟');
    await page.getByTestId('ticket-form-reporter-phone').fill('13800138001');
    const reportedAt = pickerText(new Date(Date.now() - 60 * 60_000));
    // antd puts a picker's test id on its input or on the wrapper, depending on the version.
    const picker = page.locator('input[data-testid="ticket-form-reported-at"], [data-testid="ticket-form-reported-at"] input').first();
    await picker.click();
    await picker.fill(reportedAt);
    await picker.press('Enter');
    await expect.poll(() => picker.inputValue()).toBe(reportedAt);
    await page.locator('.ant-modal-title').click(); // close the picker's panel
    await screenshot(page, 'servicedesk-form');
    await page.getByTestId('ticket-form-submit').click();

    // The ticket page: 响应 was due 30 minutes after the call, so it is already overdue; 完成 still runs.
    await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await page.getByTestId('page-title').getByText(ticketTitle).waitFor();
    const no = ((await page.getByTestId('ticket-no').textContent()) ?? '').split(' · ')[0]!.trim();
    expect(no).toMatch(/^GW\d{12}$/);
    expect(await page.getByTestId('ticket-status').getAttribute('data-status')).toBe('submitted');
    const respond = page.getByTestId('ticket-clock-respond');
    await respond.waitFor();
    expect(await respond.getAttribute('data-state')).toBe('overdue');
    expect(await respond.textContent()).toContain('超时');
    const resolve = page.getByTestId('ticket-clock-resolve');
    expect(['running', 'atRisk']).toContain(await resolve.getAttribute('data-state'));
    expect(await resolve.textContent()).toContain('剩');
    await page.getByTestId('ticket-timeline').getByText('登记').first().waitFor();
    for (const action of ['accept', 'dispatch', 'cancel']) await page.getByTestId(`ticket-action-${action}`).waitFor();
    await screenshot(page, 'servicedesk-ticket');

    // 派单 to the technician by name.
    await page.getByTestId('ticket-action-dispatch').click();
    await modalSettled(page);
    await chooseOption(page, 'dispatch-assignee', technician);
    await screenshot(page, 'servicedesk-dispatch');
    await page.getByTestId('dispatch-submit').click();
    await expect.poll(() => page.getByTestId('ticket-status').getAttribute('data-status')).toBe('dispatched');
    expect(await page.getByTestId('ticket-assignee').textContent()).toContain(technician);
    // Dispatching answered the call, late: 响应 is now met late.
    await expect.poll(() => respond.getAttribute('data-state')).toBe('metLate');
    await page.getByTestId('ticket-timeline').getByText('派单').first().waitFor();
    await screenshot(page, 'servicedesk-ticket-dispatched');

    // The technician's bell lights up without a reload, and its item opens the ticket.
    await tech.page.locator('.ant-notification-notice').first().waitFor({ timeout: 20_000 });
    await expect.poll(async () => Number(await tech.page.getByTestId('notif-bell').getAttribute('data-unread'))).toBeGreaterThan(0);
    await tech.page.getByTestId('notif-bell').click();
    await tech.page.getByTestId('notif-item').first().waitFor();
    await screenshot(tech.page, 'servicedesk-notifications');
    await tech.page.getByTestId('notif-item').first().click();
    await tech.page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await tech.page.getByTestId('page-title').getByText(ticketTitle).waitFor();

    // The queue lists it; the board shows it under 已派单.
    await page.getByTestId('menu-tickets').click();
    await page.locator(`[data-testid="ticket-row"][data-no="${no}"]`).waitFor();
    await screenshot(page, 'servicedesk-queue');
    await page.getByTestId('menu-ticketBoard').click();
    await title(page, '工单看板');
    await page.getByTestId('board-column-dispatched').locator(`[data-testid="board-card"][data-no="${no}"]`).waitFor();
    expect(await page.getByTestId('board-column-submitted').locator(`[data-testid="board-card"][data-no="${no}"]`).count()).toBe(0);
    await screenshot(page, 'servicedesk-board');

    // The dashboard draws its charts from the figures (the ticket counts as created, its 响应 met late).
    await page.getByTestId('menu-serviceDeskDashboard').click();
    await title(page, '服务台看板');
    await page.getByTestId('dashboard-kpi-created').waitFor();
    for (const chart of ['byClock', 'byMonth', 'byCategory', 'byCommunity']) await page.getByTestId(`dashboard-chart-${chart}`).locator('canvas').first().waitFor();
    expect(Number((await page.getByTestId('dashboard-kpi-created').locator('.ant-statistic-content-value').textContent())?.replace(/\D/g, ''))).toBeGreaterThanOrEqual(1);
    await page.waitForTimeout(800); // the charts' entrance animation
    await screenshot(page, 'servicedesk-dashboard');

    // Settings: every tab renders; the calendar marks 2026-10-01 (国庆节) as a holiday.
    await page.getByTestId('menu-serviceDeskSettings').click();
    await title(page, '服务台设置');
    await page.getByTestId('categories-table').locator('tr.ant-table-row').first().waitFor();
    await screenshot(page, 'servicedesk-settings-categories');
    await page.getByTestId('settings-tab-policies').click();
    await page.getByTestId('policies-table').locator('tr.ant-table-row').first().waitFor();
    expect(await page.getByTestId('policies-table').textContent()).toContain('响应');
    await screenshot(page, 'servicedesk-settings-policies');
    await page.getByTestId('settings-tab-groups').click();
    await page.getByTestId('groups-table').waitFor();
    await screenshot(page, 'servicedesk-settings-groups');
    await page.getByTestId('settings-tab-rules').click();
    await page.getByTestId('rules-table').waitFor();
    await screenshot(page, 'servicedesk-settings-rules');
    await page.getByTestId('settings-tab-general').click();
    await page.getByTestId('settings-form').waitFor();
    await screenshot(page, 'servicedesk-settings-general');
    await page.getByTestId('settings-tab-calendar').click();
    await chooseOption(page, 'calendar-year', '2026');
    const national = page.locator('[data-testid="calendar-day"][data-day="2026-10-01"]');
    await expect.poll(() => national.getAttribute('data-kind')).toBe('holiday');
    // Saturday 10 October is the make-up working day (调休); Friday the 9th is an ordinary weekday.
    expect(await page.locator('[data-testid="calendar-day"][data-day="2026-10-10"]').getAttribute('data-kind')).toBe('workday');
    expect(await page.locator('[data-testid="calendar-day"][data-day="2026-10-09"]').getAttribute('data-kind')).toBe('weekday');
    await screenshot(page, 'servicedesk-settings-calendar');

    // 回访 and 业委会审批 render for the admin (nothing waiting yet).
    await page.getByTestId('menu-returnVisits').click();
    await title(page, '回访');
    await page.getByTestId('visit-filter').waitFor();
    await screenshot(page, 'servicedesk-visits');
    await page.getByTestId('menu-ticketApprovals').click();
    await title(page, '业委会审批');
    await page.getByTestId('approvals-table').waitFor();
    await screenshot(page, 'servicedesk-approvals');

    expect(errors).toEqual([]);
    expect(tech.errors).toEqual([]);
  });
});
