import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { ROOM_COLUMNS } from '../../src/modules/imports/columns.ts';
import { idCheckChar } from '../../src/modules/residents/rules.ts';
import { DESKTOP, launchBrowser, loginToConsole, newPage, PHONE, screenshot } from './browser.ts';
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

/**
 * The journey builds what it needs through the console itself (a building, a room, a new owner), so it does not
 * depend on the exact demo estate, only on the admin account and a first community.
 */
const stamp = Date.now().toString(36).slice(-5).toUpperCase();
const buildingName = `E2E-${stamp}`;
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const ownerPhone = `139${digits(8)}`;
const ownerName = '林若溪';
const first17 = `11010119880307${digits(3)}`;
const ownerId = `${first17}${idCheckChar(first17)}`;
const memberName = '林小满';
const memberPhone = `137${digits(8)}`;

/** Shared between the journeys of this file, in order. */
let communityName = '';
let roomUrl = '';

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent())?.trim() ?? '';

async function title(page: Page, expected: string) {
  await page.getByTestId('page-title').getByText(expected, { exact: true }).waitFor();
}

/** Waits for an antd message toast with this text. */
async function toast(page: Page, message: string) {
  await page.locator('.ant-message-notice').filter({ hasText: message }).first().waitFor();
}

/** antd's InputNumber puts the test id on the input itself or on its wrapper, depending on the version. */
function numberInput(page: Page, testId: string) {
  return page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
}

/** A rooms sheet with two good rows and two bad ones (an area that is not positive, an unknown status). */
async function roomsSheet(communityCode: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('房屋');
  ws.addRow(ROOM_COLUMNS.map((c) => c.header));
  ws.addRow([communityCode, buildingName, '1单元', 4, '401', '89.50', '72.30', '住宅', '未售']);
  ws.addRow([communityCode, buildingName, '1单元', 4, '402', '-5', '', '住宅', '未售']);
  ws.addRow([communityCode, buildingName, '2单元', 4, '401', '96.10', '', '住宅', '待定']);
  ws.addRow([communityCode, buildingName, '2单元', 5, '501', '96.10', '80.00', '住宅', '空置']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('estate and residents', () => {
  it('admin opens a community and a building grid, adds a room, moves a household in and finds the owner', async () => {
    const { page, errors } = await newPage(browser, DESKTOP);
    // What the page showed when a step failed, for whoever reads the failure.
    onTestFailed(() => page.screenshot({ path: 'test-results/estate-failed.png', fullPage: true }).then(() => undefined));
    await loginToConsole(page, server.url, 'admin');

    // 房产总览: the tree opens on the first community with its details and buildings.
    await page.getByTestId('menu-estate').click();
    await page.waitForURL('**/estate');
    await title(page, '房产总览');
    const firstCommunity = page.getByTestId('tree-community').first();
    communityName = (await firstCommunity.textContent())?.trim() ?? '';
    expect(communityName).not.toBe('');
    await firstCommunity.click();
    await page.getByTestId('community-title').getByText(communityName, { exact: true }).waitFor();
    await page.getByTestId('community-details').waitFor();
    await page.getByTestId('buildings-table').locator('tr.ant-table-row').first().waitFor();
    await screenshot(page, 'estate-tree');

    // A building's grid: one cell per room, and the legend counts what the server counts.
    await page.getByTestId('tree-building').first().click();
    await page.getByTestId('building-grid').waitFor();
    const buildingId = new URL(page.url()).searchParams.get('b');
    const grid = (await (await page.request.get(`${server.url}/api/buildings/${buildingId}/grid`)).json()) as { total: number; counts: Record<string, number> };
    expect(await page.getByTestId('grid-room').count()).toBe(grid.total);
    for (const [status, count] of Object.entries(grid.counts)) {
      expect(await text(page, `legend-${status}`)).toContain(String(count));
    }
    await screenshot(page, 'estate-grid');

    // A new building with two units, then a room in it; the server's checks show next to the fields.
    await firstCommunity.click();
    await page.getByTestId('building-create').click();
    await page.getByTestId('building-name').fill(buildingName);
    await numberInput(page, 'building-floors').fill('6');
    await page.getByTestId('building-fill-units').click();
    await page.getByTestId('building-form-submit').click();
    await page.getByTestId('building-title').getByText(buildingName, { exact: true }).waitFor();
    expect(await page.getByTestId('grid-room').count()).toBe(0);

    await page.getByTestId('room-create').click();
    await numberInput(page, 'room-floor').fill('3');
    await page.getByTestId('room-number').fill('301');
    await page.getByTestId('room-built-area').fill('0');
    await page.getByTestId('room-inner-area').fill('72.3');
    await page.getByTestId('room-form-submit').click();
    // 0 ㎡ passes the form's shape check; the server refuses it and names the field.
    await page.locator('.ant-form-item-has-error').filter({ has: page.getByTestId('room-built-area') }).locator('.ant-form-item-explain-error').waitFor();
    await page.getByTestId('room-built-area').fill('89.5');
    await page.getByTestId('room-form-submit').click();
    await toast(page, '已创建房屋');
    const cell = page.locator('[data-testid="grid-room"][data-room="301"]');
    await cell.waitFor();
    expect(await cell.getAttribute('data-status')).toBe('unsold');

    // The same number again in the same unit is a 409, shown on the number field.
    await page.getByTestId('room-create').click();
    await numberInput(page, 'room-floor').fill('3');
    await page.getByTestId('room-number').fill('301');
    await page.getByTestId('room-built-area').fill('90');
    await page.getByTestId('room-form-submit').click();
    await page.locator('.ant-form-item-has-error').filter({ has: page.getByTestId('room-number') }).getByText('301').waitFor();
    await page.locator('.ant-modal:visible .ant-modal-close').click();

    // The room page: facts as given, status 未售.
    await cell.click();
    await page.waitForURL('**/estate/rooms/*');
    roomUrl = new URL(page.url()).pathname;
    await page.getByTestId('room-status').getByText('未售').waitFor();
    expect(await text(page, 'room-built-area')).toBe('89.50 ㎡');
    expect(await text(page, 'page-title')).toContain(`${buildingName}-1单元-301`);
    await screenshot(page, 'estate-room');

    // 入住办理: register with the notice and contract numbers and a new owner …
    await page.getByTestId('room-movein').click();
    await page.getByTestId('movein-notice').fill(`RZ-${stamp}`);
    await page.getByTestId('movein-contract').fill(`HT-${stamp}`);
    await page.getByTestId('movein-owner-name').fill(ownerName);
    await page.getByTestId('movein-owner-phone').fill(ownerPhone);
    // A mistyped ID number is caught by the same checksum the server uses.
    await page.getByTestId('movein-owner-id-number').fill(`${first17}${idCheckChar(first17) === '0' ? '1' : '0'}`);
    await page.getByTestId('movein-register-submit').click();
    await page.getByText('校验位不正确', { exact: false }).first().waitFor();
    await page.getByTestId('movein-owner-id-number').fill(ownerId);
    await page.getByTestId('movein-register-submit').click();
    await toast(page, '已登记入住');

    // … the joint inspection with one defect …
    const rows = page.getByTestId('inspection-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(3);
    await rows.nth(3).getByTestId('inspection-ok').click();
    await page.getByTestId('movein-inspect-submit').click();
    await page.getByText('请写明缺陷').waitFor();
    await rows.nth(3).getByTestId('inspection-defect').fill('主卧窗框渗水');
    await page.getByTestId('movein-inspect-submit').click();
    await toast(page, '验房结果已保存');
    await page.getByTestId('inspection-summary').getByText('主卧窗框渗水').waitFor();
    expect(await page.getByTestId('inspection-summary').textContent()).toContain('1 项缺陷');
    await screenshot(page, 'estate-movein');

    // … and the handover with keys; the owner moves in now, so the room becomes 已入住.
    await numberInput(page, 'movein-keys').fill('4');
    await page.getByTestId('movein-occupy').click();
    await page.getByTestId('movein-handover-submit').click();
    await toast(page, '已交房');
    await page.getByTestId('room-status').getByText('已入住').waitFor();
    await page.getByTestId('movein-history').getByText(`通知单 RZ-${stamp}`).first().waitFor();
    await screenshot(page, 'estate-movein-done');

    // The owner is in the household, and the history records the change.
    await page.getByTestId('tab-household').click();
    const owner = page.getByTestId('household-current').locator('tr', { hasText: ownerName });
    await owner.waitFor();
    expect(await owner.getByTestId('relation-tag').textContent()).toBe('业主');
    expect(await owner.textContent()).toContain(`${ownerPhone.slice(0, 3)}****${ownerPhone.slice(-4)}`);
    await page.getByTestId('tab-history').click();
    await page.getByTestId('status-history').getByText(`RZ-${stamp}`, { exact: false }).waitFor();

    // 住户查询 by the last 4 digits of the phone: masked in the list.
    await page.getByTestId('menu-residents').click();
    await title(page, '住户查询');
    await page.getByTestId('resident-search').locator('input').fill(ownerPhone.slice(-4));
    await page.getByTestId('resident-search').locator('input').press('Enter');
    const row = page.getByTestId('residents-table').locator('tr', { hasText: ownerName });
    await row.waitFor();
    expect(await row.getByTestId('resident-row-phone').textContent()).toBe(`${ownerPhone.slice(0, 3)}****${ownerPhone.slice(-4)}`);
    expect(await row.textContent()).toContain(`${buildingName}-1单元-301`);
    await screenshot(page, 'residents-search');

    // The detail drawer: masked until 查看完整信息, which says it is recorded — and it is.
    await row.getByTestId('resident-name').click();
    await page.getByTestId('resident-title').getByText(ownerName).waitFor();
    expect(await text(page, 'resident-id-number')).toBe(`${ownerId.slice(0, 4)}**********${ownerId.slice(-4)}`);
    await page.getByTestId('resident-reveal').click();
    await page.locator('.ant-popconfirm-buttons .ant-btn-primary').click();
    await page.getByTestId('resident-revealed').waitFor();
    expect(await text(page, 'resident-phone')).toBe(ownerPhone);
    expect(await text(page, 'resident-id-number')).toBe(ownerId);
    await screenshot(page, 'resident-detail');
    const audit = (await (await page.request.get(`${server.url}/api/audit?action=resident.viewPersonal&pageSize=5`)).json()) as { items: Array<{ action: string }> };
    expect(audit.items.some((a) => a.action === 'resident.viewPersonal')).toBe(true);
    await page.keyboard.press('Escape');

    // Excel: upload a rooms sheet with bad rows → the report names row, column and reason → skip them and apply.
    const communities = (await (await page.request.get(`${server.url}/api/communities?pageSize=200`)).json()) as { items: Array<{ name: string; code: string }> };
    const code = communities.items.find((c) => c.name === communityName)!.code;
    await page.getByTestId('menu-imports').click();
    await title(page, '导入导出');
    const exported = page.waitForEvent('download');
    await page.getByTestId('imports-card-rooms').getByTestId('export-rooms').click();
    expect((await exported).suggestedFilename()).toMatch(/\.xlsx$/);
    await page.getByTestId('imports-card-rooms').getByTestId('import-rooms').click();
    await page.locator('.ant-modal:visible input[type=file]').setInputFiles({
      name: 'rooms.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await roomsSheet(code),
    });
    const report = page.getByTestId('import-errors');
    await report.waitFor();
    expect(await report.textContent()).toContain('建筑面积');
    expect(await report.textContent()).toContain('状态');
    expect(await page.getByTestId('import-counts').textContent()).toMatch(/将新增\s*2/);
    expect(await page.getByTestId('import-apply').isDisabled()).toBe(true);
    await screenshot(page, 'import-report');
    await page.getByTestId('import-skip-errors').click();
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-result-counts').textContent()).toMatch(/已新增\s*2/);
    await screenshot(page, 'import-result');
    await page.getByTestId('import-close').click();

    // The imported rooms are in the building's grid.
    await page.goto(`${server.url}${roomUrl}`);
    await page.getByTestId('room-back').click();
    await page.locator('[data-testid="grid-room"][data-room="501"]').waitFor();
    expect(await page.locator('[data-testid="grid-room"][data-room="301"]').getAttribute('data-status')).toBe('occupied');

    // English, in a narrow window: the grid and the room page fit and are translated.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-en').click();
    await page.getByTestId('grid-legend').getByText('Lived in').waitFor();
    await screenshot(page, 'estate-grid-en');
    await page.locator('[data-testid="grid-room"][data-room="301"]').click();
    await page.getByTestId('room-status').getByText('Lived in').waitFor();
    await screenshot(page, 'estate-room-en');
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-zh').click();

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the new owner asks on the phone site to add a family member, and the admin approves it', async () => {
    expect(roomUrl).not.toBe('');
    const admin = await newPage(browser, DESKTOP);
    onTestFailed(() => admin.page.screenshot({ path: 'test-results/estate-owner-failed.png', fullPage: true }).then(() => undefined));
    await loginToConsole(admin.page, server.url, 'admin');

    // The office gives the owner a phone login (业主账号).
    await admin.page.getByTestId('menu-owners').click();
    await admin.page.getByTestId('owner-create').click();
    await admin.page.getByTestId('owner-display-name').fill(ownerName);
    await admin.page.getByTestId('owner-phone').fill(ownerPhone);
    await admin.page.getByTestId('owner-form-submit').click();
    await toast(admin.page, '已创建');

    // The owner signs in with an SMS code (read from the outbox, as a demo user would).
    const phone = await newPage(browser, PHONE);
    const requested = await phone.page.request.post(`${server.url}/api/auth/otp/request`, { data: { phone: ownerPhone } });
    expect(requested.status()).toBe(200);
    const outbox = (await (await admin.page.request.get(`${server.url}/api/sms/outbox?phone=${ownerPhone}`)).json()) as { items: Array<{ body: string }> };
    const code = /(?<!\d)(\d{6})(?!\d)/.exec(outbox.items[0]?.body ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    expect((await phone.page.request.post(`${server.url}/api/auth/otp/verify`, { data: { phone: ownerPhone, code } })).status()).toBe(200);

    // 我的家 shows the new home; 添加家庭成员/租客 from its card.
    await phone.page.goto(`${server.url}/m/`);
    const card = phone.page.getByTestId('room').filter({ hasText: `${buildingName}-1单元-301` });
    await card.waitFor();
    await card.getByTestId('m-add-member').click();
    await phone.page.getByTestId('page-title').getByText('添加家庭成员/租客').waitFor();
    // A tenant needs the lease period.
    await phone.page.getByTestId('m-relation-tenant').click();
    await phone.page.getByTestId('m-request-name').fill(memberName);
    await phone.page.getByTestId('m-request-submit').click();
    await phone.page.getByTestId('m-lease-start').waitFor();
    expect(await phone.page.locator('.ant-form-item-explain-error').count()).toBeGreaterThan(0);
    await phone.page.getByTestId('m-relation-family').click();
    await phone.page.getByTestId('m-request-phone').fill(memberPhone);
    await screenshot(phone.page, 'm-household-form');
    await phone.page.getByTestId('m-request-submit').click();
    await toast(phone.page, '申请已提交');
    const mine = phone.page.getByTestId('m-request').filter({ hasText: memberName });
    await mine.waitFor();
    expect(await mine.getByTestId('m-request-status').textContent()).toBe('审核中');
    await screenshot(phone.page, 'm-household-request');

    // The admin approves it in 住户申请 …
    await admin.page.getByTestId('menu-householdRequests').click();
    await title(admin.page, '住户申请');
    const request = admin.page.getByTestId('requests-table').locator('tr', { hasText: memberName }).filter({ hasText: memberPhone.slice(-4) });
    await request.waitFor();
    await screenshot(admin.page, 'household-requests');
    await request.getByTestId('request-approve').click();
    await admin.page.getByTestId('decision-submit').click();
    await toast(admin.page, '已通过');
    await request.waitFor({ state: 'detached' });

    // … the member is in the room's household …
    await admin.page.goto(`${server.url}${roomUrl}`);
    const member = admin.page.getByTestId('household-current').locator('tr', { hasText: memberName });
    await member.waitFor();
    expect(await member.getByTestId('relation-tag').textContent()).toBe('家属');

    // … and the owner sees the decision and the new member at home.
    await phone.page.reload();
    await phone.page.getByTestId('m-request').filter({ hasText: memberName }).getByTestId('m-request-status').getByText('已通过').waitFor();
    expect(await phone.page.getByTestId('room').filter({ hasText: `${buildingName}-1单元-301` }).textContent()).toContain(memberName);
    await screenshot(phone.page, 'm-household-approved');

    expect([...admin.errors, ...phone.errors]).toEqual([]);
    await admin.page.context().close();
    await phone.page.context().close();
  });
});
