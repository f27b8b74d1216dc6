import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession, chooseOption, DESKTOP, launchBrowser, loginToConsole, newPage, PHONE, screenshot } from './browser.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from './server.ts';
import { generatePatrolTasks } from '../../src/modules/patrols/generate.ts';
import { sweepMissedPoints } from '../../src/modules/patrols/progress.ts';
import { localDate } from '../../src/modules/servicedesk/deadlines.ts';

/**
 * Field operations end to end, at 375 px where people use their phones: the guard 吴刚 (baoan) scans two checkpoints
 * of his round — the second with a reading out of range, which opens a service-desk ticket — while a third point's
 * window passes unvisited; the sweep marks it missed; the project manager 刘洋 (jingli), the plan's supervisor, sees
 * the missed point and the new ticket in the console. Then the quality inspector 郑洁 (pinzhi) records a finding on
 * her phone, which becomes a rectification notice; the cleaner 钱芳 (baojie) rectifies it with a note; the inspector
 * verifies it and the notice is closed (消号).
 */

let server: RunningServer;
let browser: Browser;
const PHONE_375 = { ...PHONE, viewport: { width: 375, height: 812 } };
const ZONE = 'Asia/Shanghai';

type Api = ApiSession;

/** An API session as one of the demo staff. */
const apiAs = (username: string): Promise<Api> => apiSession(browser, server.url, username);

/** Local 'HH:MM' of an instant in the community's zone. */
function hhmm(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

async function phoneAs(username: string): Promise<{ page: Page; errors: string[] }> {
  const phone = await newPage(browser, PHONE_375);
  await loginToConsole(phone.page, server.url, username);
  return phone;
}

let admin: Api;
let communityId: string;
const cp: Record<'gate' | 'power' | 'pump', { id: string; url: string }> = {} as never;
let day: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await apiAs('admin');
  const communities = await admin.get<{ items: Array<{ id: string; name: string }> }>('/api/communities?pageSize=50');
  communityId = communities.items.find((c) => c.name === '锦华苑')!.id;
  const users = await server.db.selectFrom('users').select(['id', 'username']).where('username', 'in', ['baoan', 'jingli']).execute();
  const userId = (u: string) => users.find((x) => x.username === u)!.id;

  // A shift that began three hours ago and runs almost a day, so every window below lies inside it whatever the hour.
  const started = new Date(Date.now() - 3 * 3600_000);
  const start = hhmm(started);
  const endMinutes = (Number(start.slice(0, 2)) * 60 + Number(start.slice(3)) + 1439) % 1440;
  const end = `${String(Math.floor(endMinutes / 60)).padStart(2, '0')}:${String(endMinutes % 60).padStart(2, '0')}`;
  day = localDate(started, ZONE);
  const shift = await admin.post<{ id: string }>('/api/shifts', { communityId, name: '巡逻（演练）', code: 'drill', startTime: start, endTime: end });
  await server.db.insertInto('roster_entries').values({ company_id: (await server.db.selectFrom('communities').select('company_id').where('id', '=', communityId).executeTakeFirstOrThrow()).company_id, community_id: communityId, day, shift_id: shift.id, user_id: userId('baoan'), kind: 'work' }).execute();

  const point = (name: string, checklist: unknown[] = []) => admin.post<{ id: string }>('/api/patrol/checkpoints', { communityId, name, location: `锦华苑 ${name}`, kind: 'patrol', checklist });
  const gate = await point('东门岗亭（演练）');
  const power = await point('2号配电房（演练）', [{ label: '配电房温度', answerKind: 'number', minValue: 5, maxValue: 35, unit: '℃', required: true }]);
  const pump = await point('消防泵房（演练）');
  for (const [key, c] of [['gate', gate], ['power', power], ['pump', pump]] as const) cp[key] = { id: c.id, ...(await admin.get<{ code: string; url: string }>(`/api/patrol/checkpoints/${c.id}/code`)) };
  const route = await admin.post<{ id: string }>('/api/patrol/routes', { communityId, name: '夜间外围（演练）', kind: 'patrol', checkpointIds: [gate.id, power.id] });
  const pumpRoute = await admin.post<{ id: string }>('/api/patrol/routes', { communityId, name: '泵房巡查（演练）', kind: 'patrol', checkpointIds: [pump.id] });
  const now = Date.now();
  await admin.post('/api/patrol/plans', { communityId, name: '外围巡逻（演练）', routeId: route.id, shiftId: shift.id, frequency: 'fixed', fixedTimes: [hhmm(new Date(now - 10 * 60_000))], windowMinutes: 90, validFrom: day, supervisorId: userId('jingli') });
  await admin.post('/api/patrol/plans', { communityId, name: '泵房巡查（演练）', routeId: pumpRoute.id, shiftId: shift.id, frequency: 'fixed', fixedTimes: [hhmm(new Date(now - 60 * 60_000))], windowMinutes: 30, validFrom: day, supervisorId: userId('jingli') });
  // The hourly job generated the day's rounds earlier, before the pump room's window had passed.
  const generated = await generatePatrolTasks(server.db, { day, communityIds: [communityId], now: new Date(now - 2 * 3600_000) });
  expect(generated.created).toBeGreaterThanOrEqual(2);
}, 240_000);

afterAll(async () => {
  await admin?.close();
  await browser?.close();
  await server?.close();
});

describe('a night patrol', () => {
  it('the guard scans two checkpoints on his phone, one reading out of range opens a ticket', async () => {
    const { page, errors } = await phoneAs('baoan');
    await page.goto(`${server.url}/m/patrol`);
    await page.getByTestId('m-patrol').waitFor();
    await page.getByText('夜间外围（演练）').first().waitFor();
    await screenshot(page, 'field-journey-01-guard-tasks');

    // The phone's camera opens the label's URL.
    await page.goto(cp.gate.url);
    await page.getByTestId('m-patrol-checkin').waitFor();
    await page.getByTestId('m-patrol-submit').click();
    await page.getByTestId('m-patrol-done').waitFor();
    await screenshot(page, 'field-journey-02-gate-done');

    await page.goto(cp.power.url);
    await page.getByTestId('m-patrol-checkin').waitFor();
    await page.getByTestId('m-patrol-answer-number').fill('48');
    await screenshot(page, 'field-journey-03-power-reading');
    await page.getByTestId('m-patrol-submit').click();
    await page.getByTestId('m-patrol-done').waitFor();
    await screenshot(page, 'field-journey-04-power-abnormal');
    expect(errors).toEqual([]);

    const checkins = await admin.get<{ items: Array<{ checkpointId: string; abnormal: boolean; ticket: { id: string; no: string } | null }> }>(`/api/patrol/checkins?communityId=${communityId}&day=${day}`);
    const power = checkins.items.find((c) => c.checkpointId === cp.power.id)!;
    expect(power).toMatchObject({ abnormal: true, ticket: { id: expect.any(String), no: expect.any(String) } });
    expect(checkins.items.find((c) => c.checkpointId === cp.gate.id)).toMatchObject({ abnormal: false, ticket: null });
    const ticket = await admin.get<{ channel: string; status: string }>(`/api/tickets/${power.ticket!.id}`);
    expect(ticket.channel).toBe('patrol');
    await page.context().close();
  });

  it('the unvisited point is swept as missed and the supervisor sees it with the new ticket', async () => {
    const swept = await sweepMissedPoints(server.db, new Date());
    expect(swept.tasks).toBeGreaterThanOrEqual(1);
    const notes = await server.db
      .selectFrom('notifications as n')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .select(['n.kind', 'n.title'])
      .where('u.username', '=', 'jingli')
      .where('n.kind', 'like', 'patrol%')
      .execute();
    expect(notes.length).toBeGreaterThanOrEqual(1);

    const { page, errors } = await newPage(browser, DESKTOP);
    await loginToConsole(page, server.url, 'jingli');
    await page.goto(`${server.url}/field/patrols`);
    await chooseOption(page, 'patrol-community', '锦华苑');
    // The rounds belong to the shift's business date (the day before, in the small hours).
    const picker = page.getByTestId('patrol-day');
    await picker.click();
    await picker.fill(day);
    await picker.press('Enter');
    await page.getByText('泵房巡查（演练）').first().waitFor();
    await page.locator('[data-status="missed"]').first().waitFor();
    await screenshot(page, 'field-journey-05-supervisor-missed');
    await page.goto(`${server.url}/tickets`);
    await page.getByText('2号配电房（演练）').first().waitFor();
    await screenshot(page, 'field-journey-06-supervisor-ticket');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('a label scanned before logging in', () => {
  it('goes through the staff login and lands on the label’s page', async () => {
    const { page, errors } = await newPage(browser, PHONE_375);
    await page.goto(cp.gate.url);
    await page.waitForURL('**/m/login');
    await page.getByRole('link', { name: '员工登录' }).click();
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === new URL(cp.gate.url).pathname);
    await page.getByTestId('login-username').fill('baoan');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname === new URL(cp.gate.url).pathname);
    await page.getByTestId('m-patrol-scan').or(page.getByTestId('m-patrol-checkin')).or(page.getByTestId('m-patrol-done')).first().waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('a quality check', () => {
  it('the inspector records a finding, the cleaner rectifies it, the inspector verifies and the notice is closed', async () => {
    const pinzhi = await apiAs('pinzhi');
    const templates = await pinzhi.get<{ items: Array<{ id: string; name: string }> } | Array<{ id: string; name: string }>>(`/api/quality/templates?communityId=${communityId}`);
    const list = Array.isArray(templates) ? templates : templates.items;
    const template = list.find((x) => x.name.includes('保洁')) ?? list[0];
    const me = await server.db.selectFrom('users').select('id').where('username', '=', 'pinzhi').executeTakeFirstOrThrow();
    const today = localDate(new Date(), ZONE);
    const inspection = await pinzhi.post<{ id: string }>('/api/quality/inspections', { communityId, templateId: template.id, kind: 'adhoc', title: '经理临时抽查（演练）', plannedOn: today, inspectorId: me.id });

    // 郑洁 on her phone: the inspection, a finding for 钱芳 with a deadline (the form's default, two days on).
    const inspector = await phoneAs('pinzhi');
    await inspector.page.goto(`${server.url}/m/quality/inspections/${inspection.id}`);
    await inspector.page.getByTestId('m-quality-inspection-page').waitFor();
    await inspector.page.getByTestId('m-quality-add-finding').click();
    const modal = inspector.page.getByRole('dialog');
    await modal.getByLabel('问题描述').fill('2栋大堂地面有积水，未及时清理（演练）');
    await modal.getByLabel('位置（楼栋/部位）').fill('锦华苑 2栋大堂');
    await modal.getByLabel('责任人').click();
    await modal.getByLabel('责任人').fill('钱芳');
    await inspector.page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '钱芳' }).first().click();
    await screenshot(inspector.page, 'field-journey-07-inspector-finding');
    await modal.getByRole('button', { name: /提\s*交/ }).click();
    await modal.waitFor({ state: 'hidden' });
    const notices = await pinzhi.get<{ items: Array<{ id: string; no: string; status: string; description: string }> }>(`/api/quality/notices?communityId=${communityId}&pageSize=100`);
    const notice = notices.items.find((n) => n.description.includes('积水，未及时清理（演练）'))!;
    expect(notice).toMatchObject({ status: 'open', no: expect.stringMatching(/^ZG\d{4}-\d{6}$/) });

    // 钱芳 rectifies on her phone.
    const cleaner = await phoneAs('baojie');
    await cleaner.page.goto(`${server.url}/m/quality`);
    await cleaner.page.getByTestId('m-quality-notice').filter({ hasText: notice.no }).first().click();
    await cleaner.page.getByTestId('m-quality-notice-page').waitFor();
    await cleaner.page.getByTestId('m-quality-rectify-note').fill('已清理积水并放置防滑提示牌');
    await cleaner.page.getByTestId('m-quality-rectify').click();
    await cleaner.page.locator('[data-testid="m-quality-notice-page"][data-status="rectified"]').waitFor();
    await screenshot(cleaner.page, 'field-journey-08-cleaner-rectified');

    // 郑洁 verifies: 消号.
    await inspector.page.goto(`${server.url}/m/quality/notices/${notice.id}`);
    await inspector.page.getByTestId('m-quality-verify').click();
    await inspector.page.locator('[data-testid="m-quality-notice-page"][data-status="closed"]').waitFor();
    await screenshot(inspector.page, 'field-journey-09-inspector-closed');
    const closed = await pinzhi.get<{ status: string }>(`/api/quality/notices/${notice.id}`);
    expect(closed.status).toBe('closed');
    expect([...inspector.errors, ...cleaner.errors]).toEqual([]);
    await inspector.page.context().close();
    await cleaner.page.context().close();
    await pinzhi.close();
  });
});
