import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, type ApiSession, chooseOption, DESKTOP, launchBrowser, loginToConsole, newPage, PHONE, screenshot } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';

/**
 * 缴费 end to end (issue #5), as the people involved would do it: the project manager 刘洋 (jingli, billing.manage)
 * adds 垃圾清运费 for 锦华苑 building 1 and runs this month's bills in the console (preview → confirm); the owner
 * 张伟 opens 我的账单 on his phone, pays everything with the sandbox, sees his receipt and asks for an invoice; then
 * 赵敏 (kefu, billing.read) finds the payment under 线上 in 收款日报, opens it and prints the receipt.
 */

let server: RunningServer;
let browser: Browser;

/** A narrow phone: every page must fit 375 px. */
const PHONE_375 = { ...PHONE, viewport: { width: 375, height: 812 } };

type Api = ApiSession;

/** An API session as one of the demo staff. */
const apiAs = (username: string): Promise<Api> => apiSession(browser, server.url, username);

interface Line {
  id: string;
  itemName: string;
  periodKey: string;
  owedFen: number;
  status: string;
}
interface OwnerBilling {
  rooms: Array<{ roomId: string; label: string; owedFen: number; lines: Line[] }>;
  payments: Array<{ id: string; tradeNo: string }>;
  providers: string[];
}
interface Payment {
  id: string;
  tradeNo: string;
  status: string;
  method: string;
  channel: string;
  amountFen: number;
  receiptNo: string | null;
  createdAt: string;
  allocations: Array<{ lineId: string; amountFen: number }>;
  receipt: { number: string; printCount: number } | null;
  invoice: { status: string; title: string } | null;
}

let admin: Api;
let jingli: Api;
let kefu: Api;
let owner: { context: BrowserContext; page: Page; errors: string[] };
/** The console page of the step running now. */
let desk: Page | undefined;
let communityId: string;
let room: { id: string; label: string; buildingId: string };
let item: { id: string; name: string };
let periodKey: string;
let payment: Payment;

async function shot(page: Page, step: string) {
  await screenshot(page, `billing-journey-${step}`);
}

/** The page's width did not grow past the viewport (nothing sticks out on a 375 px phone). */
async function expectNoOverflow(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, 'horizontal overflow').toBeLessThanOrEqual(client);
}

/** No i18n key shown raw (`billingMobile.…`). */
async function expectTranslated(page: Page) {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/billing(Mobile|Cash|Setup)?\.[a-zA-Z]/);
}

/** "1,234.56" — as the pages show 分. */
const yuan = (fen: number) => `${Math.floor(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;

/** The receipt PDF the page opens (in a new tab): its response, whichever tab asked for it. */
async function receiptResponse(context: BrowserContext, open: () => Promise<void>): Promise<Response> {
  const [res] = await Promise.all([context.waitForEvent('response', (r) => r.url().includes('/receipt.pdf')), open()]);
  return res;
}

async function ownerLogin(page: Page) {
  await page.goto(`${server.url}/m/login`);
  await page.getByTestId('m-phone').fill('13800138001');
  await page.getByTestId('m-get-code').click();
  await page.getByTestId('m-get-code').getByText('秒后重发', { exact: false }).waitFor();
  const outbox = await admin.get<{ items: Array<{ body: string }> }>('/api/sms/outbox?phone=13800138001');
  const code = /(?<!\d)(\d{6})(?!\d)/.exec(outbox.items[0]?.body ?? '')?.[1];
  expect(code).toMatch(/^\d{6}$/);
  await page.getByTestId('m-code').fill(code!);
  await page.getByTestId('m-login-submit').click();
  await page.getByTestId('owner-name').waitFor();
}

const ownerBilling = async () => (await (await owner.page.request.get(`${server.url}/api/owner/billing`)).json()) as OwnerBilling;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await apiAs('admin');
  jingli = await apiAs('jingli');
  kefu = await apiAs('kefu');
  const communities = await jingli.get<{ items: Array<{ id: string; code: string }> }>('/api/communities?pageSize=100');
  communityId = communities.items.find((c) => c.code === 'JHY')!.id;
  const rooms = await jingli.get<{ items: Array<{ id: string; label: string; buildingId: string }> }>(`/api/rooms?communityId=${communityId}&q=1201&pageSize=100`);
  room = rooms.items.find((r) => r.label === '1栋-1单元-1201')!;
  expect(room, '张伟’s home 锦华苑 1栋-1单元-1201').toBeTruthy();
  // This month in the community's zone, as the console's period select offers it first after the future ones.
  periodKey = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
});

// On a failure, the pages as they were, to see why.
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const [name, p] of [['owner', owner?.page], ['desk', desk]] as const) if (p && !p.isClosed()) await p.screenshot({ path: `test-results/billing-journey-failed-${name}.png`, fullPage: true }).catch(() => undefined);
});

afterAll(async () => {
  await owner?.context.close();
  for (const a of [admin, jingli, kefu]) await a?.close();
  await browser?.close();
  await server?.close();
});

describe('billing journey (缴费)', () => {
  it('1. 刘洋 adds 垃圾清运费 for building 1 and runs this month’s bills in the console: preview, then confirm', async () => {
    // The fee item and its bindings through the API (their console pages have their own tests); a name of its own
    // when the database already has one (a PostgreSQL kept between runs).
    const existing = await jingli.get<{ items: Array<{ name: string }> }>('/api/fee-items?pageSize=100');
    const name = existing.items.some((i) => i.name === '垃圾清运费') ? `垃圾清运费 ${Date.now().toString(36)}` : '垃圾清运费';
    item = await jingli.post<{ id: string; name: string }>('/api/fee-items', { kind: 'fixed', name, unitPrice: '15', cycle: 'monthly', billingMode: 'postpaid', dueDays: 20, communities: [{ communityId }] }, 201);
    const bound = await jingli.post<{ created: number }>('/api/fee-bindings/bulk', { itemId: item.id, communityId, buildingId: room.buildingId, startDate: `${periodKey}-01` });
    expect(bound.created).toBeGreaterThan(0);

    const { page, errors } = await newPage(browser, DESKTOP);
    desk = page;
    await loginToConsole(page, server.url, 'jingli');
    await chooseOption(page, 'community-switcher', '锦华苑');
    await page.goto(`${server.url}/billing/runs`);
    expect(await page.getByTestId('run-period').textContent()).toContain(periodKey);
    await page.getByTestId('run-items').getByText(name, { exact: true }).waitFor();
    // Every enabled item of the month: lines already billed (物业费 by the schedule) are skipped, only the new item adds lines.
    await page.getByTestId('run-preview').click();
    const preview = page.getByTestId('run-preview-result');
    await preview.waitFor();
    const row = preview.locator('tr').filter({ hasText: name });
    expect(await row.locator('td').nth(1).textContent()).toBe(String(bound.created));
    await shot(page, '01-console-run-preview');

    await page.getByTestId('run-create').click();
    await page.getByTestId('run-confirm-ok').click();
    await expect
      .poll(async () => (await jingli.get<{ items: Array<{ itemIds: string[]; status: string; periodKey: string; linesCreated: number }> }>(`/api/bill-runs?communityId=${communityId}&pageSize=50`)).items.find((r) => r.periodKey === periodKey && r.linesCreated === bound.created && r.status === 'completed'))
      .toBeTruthy();
    await page.locator(`[data-testid="run-row"][data-period="${periodKey}"][data-status="completed"]`).first().waitFor();
    await shot(page, '02-console-run-done');
    expect(errors).toEqual([]);
    await page.context().close();
    desk = undefined;
  });

  it('2. 张伟 opens 我的账单 on his phone: what he owes, the open bills by period, all ticked', async () => {
    const { page, errors } = await newPage(browser, PHONE_375);
    owner = { context: page.context(), page, errors };
    await ownerLogin(page);
    const billing = await ownerBilling();
    const home = billing.rooms.find((r) => r.roomId === room.id)!;
    const open = home.lines.filter((l) => l.status === 'unpaid' || l.status === 'partial');
    expect(open.map((l) => l.itemName)).toContain(item.name);
    expect(billing.providers).toContain('sandbox');
    const owed = open.reduce((s, l) => s + l.owedFen, 0);
    expect(home.owedFen).toBe(owed);

    // The home page says what is owed and leads to the bills.
    const entry = page.getByTestId('m-bills-entry');
    await entry.getByText(`待缴 ¥${yuan(owed)}`).waitFor();
    await expectNoOverflow(page);
    await shot(page, '03-owner-home');
    await entry.click();
    await page.waitForURL('**/m/bills');
    await page.getByTestId('mb-bills').waitFor();
    expect(await page.getByTestId('page-title').textContent()).toBe('我的账单');
    expect(await page.getByTestId('mb-owed').textContent()).toBe(`¥${yuan(owed)}`);
    await expect.poll(() => page.getByTestId('mb-open-line').count()).toBe(open.length);
    expect(await page.getByTestId('mb-selected-total').textContent()).toBe(`¥${yuan(owed)}`);
    await expect.poll(() => page.getByTestId('tab-bills').getAttribute('class')).toContain('active');

    // Unticking a bill takes it out of the total; ticking it again puts it back.
    const garbage = open.find((l) => l.itemName === item.name)!;
    await page.locator(`[data-testid="mb-open-line"][data-line="${garbage.id}"]`).click();
    expect(await page.getByTestId('mb-selected-total').textContent()).toBe(`¥${yuan(owed - garbage.owedFen)}`);
    await shot(page, '04-owner-bills-one-unticked');
    await page.locator(`[data-testid="mb-open-line"][data-line="${garbage.id}"]`).click();
    expect(await page.getByTestId('mb-selected-total').textContent()).toBe(`¥${yuan(owed)}`);
    await expectNoOverflow(page);
    await expectTranslated(page);
    await shot(page, '05-owner-bills');
    expect(errors).toEqual([]);
  });

  it('3. he cancels once, then pays with the sandbox: 去缴费 → 模拟支付（演示） → 确认支付 → paid ✓ with the receipt', async () => {
    const page = owner.page;
    const started = new Date().toISOString();
    const before = await ownerBilling();
    const open = before.rooms.find((r) => r.roomId === room.id)!.lines.filter((l) => l.status === 'unpaid' || l.status === 'partial');
    const owed = open.reduce((s, l) => s + l.owedFen, 0);

    await page.getByTestId('mb-pay').click();
    let sheet = page.getByTestId('mb-pay-sheet');
    await sheet.getByTestId('mb-provider-sandbox').getByText('模拟支付（演示）').waitFor();
    expect(await sheet.getByTestId('mb-pay-sheet-amount').textContent()).toBe(`¥${yuan(owed)}`);
    await expectNoOverflow(page);
    await shot(page, '06-owner-choose-provider');
    // First he changes his mind on the pay page: the payment closes, the bills still owe.
    await sheet.getByTestId('mb-pay-submit').click();
    await page.getByTestId('mb-sandbox').waitFor();
    await page.getByTestId('mb-sandbox-cancel').click();
    await page.locator('[data-testid="mb-payment"][data-status="closed"]').waitFor();
    expect(await page.getByTestId('mb-payment-status').textContent()).toBe('支付已取消');
    await shot(page, '07-owner-cancelled');
    await page.getByTestId('mb-back-to-bills').click();
    await page.getByTestId('mb-bills').waitFor();
    expect(await page.getByTestId('mb-owed').textContent()).toBe(`¥${yuan(owed)}`);

    // Then he pays: a new attempt (a new idempotency key, not the closed payment replayed).
    await page.getByTestId('mb-pay').click();
    sheet = page.getByTestId('mb-pay-sheet');
    await sheet.getByTestId('mb-provider-sandbox').waitFor();
    // A double tap starts one payment (the button is busy after the first, and both would carry one key).
    await sheet.getByTestId('mb-pay-submit').dblclick();
    await page.waitForURL(/\/m\/pay\/sandbox\?tradeNo=[^&]+&paymentId=/);
    await page.getByTestId('mb-sandbox').waitFor();
    expect(await page.getByTestId('page-title').textContent()).toBe('模拟支付');
    expect(await page.getByTestId('mb-sandbox-amount').textContent()).toBe(`¥${yuan(owed)}`);
    expect(await page.getByTestId('mb-sandbox-merchant').textContent()).toBeTruthy();
    await expectNoOverflow(page);
    await expectTranslated(page);
    await shot(page, '08-owner-sandbox-pay');

    await page.getByTestId('mb-sandbox-confirm').click();
    await page.waitForURL(/\/m\/payments\/[0-9a-f-]{36}$/);
    await page.locator('[data-testid="mb-payment"][data-status="succeeded"]').waitFor();
    expect(await page.getByTestId('page-title').textContent()).toBe('支付结果');
    expect(await page.getByTestId('mb-payment-status').textContent()).toBe('支付成功');
    expect(await page.getByTestId('mb-payment-amount').textContent()).toBe(`¥${yuan(owed)}`);
    const receiptNo = (await page.getByTestId('mb-receipt-no').textContent())!;
    expect(receiptNo).toBeTruthy();
    expect(await page.getByTestId('mb-payment-line').count()).toBe(open.length);

    const id = new URL(page.url()).pathname.split('/').pop()!;
    payment = await kefu.get<Payment>(`/api/payments/${id}`);
    expect(payment).toMatchObject({ status: 'succeeded', method: 'sandbox', channel: 'owner', amountFen: owed, receiptNo });
    expect(payment.allocations.map((a) => a.lineId).sort()).toEqual(open.map((l) => l.id).sort());
    // The cancelled attempt, and one payment for the double tap.
    const mine = await kefu.get<{ items: Payment[] }>(`/api/payments?roomId=${room.id}&channel=owner&pageSize=50`);
    expect(mine.items.filter((p) => p.createdAt >= started).map((p) => p.status).sort()).toEqual(['closed', 'succeeded']);
    await expectNoOverflow(page);
    await expectTranslated(page);
    await shot(page, '09-owner-paid');

    // 查看收据 opens the PDF.
    const pdf = await receiptResponse(owner.context, () => page.getByTestId('mb-receipt').click());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    for (const p of owner.context.pages()) if (p !== page) await p.close();
    expect(owner.errors).toEqual([]);
  });

  it('4. he asks for an invoice, and sees the bills paid, his payment history and the 收支公示', async () => {
    const page = owner.page;
    await page.getByTestId('mb-invoice').click();
    const sheet = page.getByTestId('mb-invoice-sheet');
    expect(await sheet.getByTestId('mb-invoice-title').inputValue()).toBe('张伟');
    await sheet.getByTestId('mb-invoice-email').fill('zhangwei@example.com');
    await expectNoOverflow(page);
    await shot(page, '10-owner-invoice');
    await sheet.getByTestId('mb-invoice-submit').click();
    await page.getByTestId('mb-invoice-status').waitFor();
    expect((await kefu.get<Payment>(`/api/payments/${payment.id}`)).invoice).toMatchObject({ status: 'requested', title: '张伟' });
    await shot(page, '11-owner-invoice-requested');

    await page.getByTestId('mb-back-to-bills').click();
    await page.waitForURL('**/m/bills');
    await page.getByTestId('mb-no-open').waitFor();
    expect(await page.getByTestId('mb-paybar').count()).toBe(0);
    await page.getByTestId('mb-paid-line').filter({ hasText: item.name }).first().waitFor();
    await expectNoOverflow(page);
    await shot(page, '12-owner-bills-paid');

    await page.getByTestId('mb-history-link').click();
    await page.waitForURL('**/m/payments');
    await page.locator(`[data-testid="mb-payment-row"][data-trade="${payment.tradeNo}"]`).waitFor();
    expect(await page.getByTestId('page-title').textContent()).toBe('缴费记录');
    await expectNoOverflow(page);
    await expectTranslated(page);
    await shot(page, '13-owner-payments');

    await page.goto(`${server.url}/m/disclosure`);
    await page.getByTestId('mb-disclosure').waitFor();
    await page.getByTestId('mb-fee-standards').getByText(item.name, { exact: true }).waitFor();
    await page.getByTestId('mb-fund-balance').waitFor();
    expect(await page.getByTestId('page-title').textContent()).toBe('收支公示');
    await expectNoOverflow(page);
    await expectTranslated(page);
    await shot(page, '14-owner-disclosure');
    expect(owner.errors).toEqual([]);
  });

  it('5. 赵敏 (billing.read) finds it under 线上 in 收款日报, opens it and prints the receipt', async () => {
    const report = await kefu.get<{ byCollector: Array<{ channel: string; amountFen: number }>; payments: Array<{ id: string }> }>(`/api/billing/daily-report?communityId=${communityId}`);
    expect(report.byCollector.find((c) => c.channel === 'online')?.amountFen).toBeGreaterThanOrEqual(payment.amountFen);
    expect(report.payments.map((p) => p.id)).toContain(payment.id);

    const { page, errors } = await newPage(browser, DESKTOP);
    desk = page;
    await loginToConsole(page, server.url, 'kefu');
    await page.goto(`${server.url}/billing/daily`);
    await page.getByTestId('daily-by-collector').locator('tr').filter({ hasText: '线上' }).first().waitFor();
    const row = page.getByTestId('daily-payments').locator('tr').filter({ hasText: payment.tradeNo });
    await row.waitFor();
    await expectTranslated(page);
    await shot(page, '15-console-daily');

    await row.getByText(payment.tradeNo).click();
    await page.waitForURL(`**/billing/payments/${payment.id}`);
    await page.getByTestId('payment-summary').waitFor();
    await shot(page, '16-console-payment');
    const pdf = await receiptResponse(page.context(), () => page.getByTestId('payment-print').click());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await expect.poll(async () => (await kefu.get<Payment>(`/api/payments/${payment.id}`)).receipt?.printCount).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
    await page.context().close();
    desk = undefined;
  });

  it('6. the phone pages in English fit 375 px', async () => {
    const page = owner.page;
    await page.evaluate(() => localStorage.setItem('anju.lang', 'en'));
    for (const [path, heading, ready] of [
      ['/m/bills', 'My bills', 'mb-bills'],
      [`/m/payments/${payment.id}`, 'Payment result', 'mb-payment'],
      ['/m/disclosure', 'Accounts', 'mb-fund-balance'],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByTestId('page-title').getByText(heading, { exact: true }).waitFor();
      await page.getByTestId(ready).waitFor();
      await expectNoOverflow(page);
      await expectTranslated(page);
    }
    await shot(page, '17-owner-disclosure-en');
    await page.evaluate(() => localStorage.setItem('anju.lang', 'zh-CN'));
    expect(owner.errors).toEqual([]);
  });
});
