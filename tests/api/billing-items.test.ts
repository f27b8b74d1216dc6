import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { companyRows, unique } from '../helpers/factories.ts';
import { anonymous, auditRows, expectFieldError } from '../helpers/api.ts';
import { type BillingCompany, billingCompany, feeItem } from '../helpers/billing.ts';

/**
 * Fee items (收费项目) and billing settings: every billing endpoint needs a session; prices are exact decimals with
 * at most 4 places and > 0 (400 naming unitPrice); each kind needs its own fields; other companies' items are 404;
 * the technician has no billing permission, the cashier reads but does not manage.
 */

let t: TestApp;
let a: BillingCompany;
let b: BillingCompany;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([billingCompany(t), billingCompany(t)]);
});

const itemTables = () => companyRows(t.db, a.companyId, ['fee_items', 'fee_item_discounts']);

describe('every billing endpoint needs a session', () => {
  const id = randomUUID();
  it.each([
    ['GET', '/api/fee-items'],
    ['POST', '/api/fee-items'],
    ['GET', `/api/fee-items/${id}`],
    ['PATCH', `/api/fee-items/${id}`],
    ['GET', '/api/fee-bindings'],
    ['POST', '/api/fee-bindings'],
    ['POST', '/api/fee-bindings/bulk'],
    ['PATCH', `/api/fee-bindings/${id}`],
    ['GET', '/api/vacancy-approvals'],
    ['POST', '/api/vacancy-approvals'],
    ['POST', `/api/vacancy-approvals/${id}/end`],
    ['GET', '/api/meters'],
    ['POST', '/api/meters'],
    ['GET', `/api/meters/${id}`],
    ['POST', `/api/meters/${id}/replace`],
    ['GET', '/api/meter-readings'],
    ['POST', '/api/meter-readings'],
    ['POST', `/api/meter-readings/${id}/approve`],
    ['POST', `/api/meter-readings/import?communityId=${id}`],
    ['POST', '/api/bill-runs/preview'],
    ['POST', '/api/bill-runs'],
    ['GET', '/api/bill-runs'],
    ['GET', `/api/bill-runs/${id}`],
    ['POST', `/api/bill-runs/${id}/resume`],
    ['POST', `/api/bill-runs/${id}/revoke`],
    ['GET', '/api/bill-lines'],
    ['GET', `/api/bill-lines/${id}`],
    ['GET', `/api/rooms/${id}/bills`],
    ['GET', '/api/billing-settings'],
    ['PATCH', '/api/billing-settings'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'GET' ? undefined : {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('POST /api/fee-items', () => {
  it('creates a 物业费 item priced per m² with a community price, a vacancy discount and a late-fee rule; audited', async () => {
    const name = unique('物业费');
    const res = await a.admin2.post('/api/fee-items', {
      name,
      kind: 'property',
      unitPrice: '1.80',
      areaBasis: 'built',
      rounding: 'halfUp',
      cycle: 'monthly',
      dueDays: 10,
      lateFee: { graceDays: 15, perDayPermille: '0.5', capFen: 100000 },
      discounts: [
        { kind: 'vacancy', percent: '50' },
        { kind: 'prepay', payMonths: 12, freeMonths: 1, validFrom: '2026-01-01', validTo: '2026-12-31' },
      ],
      communities: [{ communityId: a.communityIds[0] }, { communityId: a.communityIds[1], unitPrice: '2.2', autoBillDay: 5 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json();
    expect(item).toMatchObject({ name, kind: 'property', unitPrice: '1.8000', dueFrom: 'periodStart', dueDays: 10, prorate: true, active: true, lateFee: { graceDays: 15, perDayPermille: '0.5', capFen: 100000 } });
    expect(item.discounts.map((d: { kind: string }) => d.kind).sort()).toEqual(['prepay', 'vacancy']);
    expect(item.communities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ communityId: a.communityIds[0], unitPrice: null, autoBillDay: null }),
        expect.objectContaining({ communityId: a.communityIds[1], unitPrice: '2.2000', autoBillDay: 5 }),
      ]),
    );
    const row = await t.db.selectFrom('fee_items').selectAll().where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, unit_price: '1.8000', rounding: 'halfUp', cycle: 'monthly', billing_mode: 'prepaid' });
    const discounts = await t.db.selectFrom('fee_item_discounts').selectAll().where('item_id', '=', item.id).execute();
    expect(discounts.find((d) => d.kind === 'vacancy')?.percent).toBe('50.00');
    const audit = await auditRows(t.db, item.id, 'feeItem.create');
    expect(audit).toHaveLength(1);
    expect(audit[0].company_id).toBe(a.companyId);
  });

  it('creates metered items with tiers, 公摊 with a meter kind and share method, rent with increases, post-paid with due after the period end', async () => {
    const water = await feeItem(a.admin2, a, { kind: 'water', tiers: [{ upTo: '180', unitPrice: '3.5' }, { upTo: null, unitPrice: 4.9 }], billingMode: 'postpaid' });
    expect(water).toMatchObject({ unitPrice: null, tiers: [{ upTo: '180', unitPrice: '3.5' }, { upTo: null, unitPrice: '4.9' }], billingMode: 'postpaid', dueFrom: 'periodEnd' });
    const shared = await feeItem(a.admin2, a, { kind: 'shared', unitPrice: '0.98', meterKind: 'electricity', shareMethod: 'household' });
    expect(shared).toMatchObject({ meterKind: 'electricity', shareMethod: 'household' });
    const rent = await feeItem(a.admin2, a, { kind: 'rent', unitPrice: '3000', rentIncreasePercent: '5', rentIncreaseEveryMonths: 12, cycle: 'quarterly' });
    expect(rent).toMatchObject({ rentIncreasePercent: '5.0000', rentIncreaseEveryMonths: 12, cycle: 'quarterly' });
    const oneOff = await feeItem(a.admin2, a, { kind: 'oneOff', unitPrice: 2000, name: unique('装修押金') });
    expect(oneOff.unitPrice).toBe('2000.0000');
  });

  it.each([
    ['a negative price', { kind: 'property', unitPrice: '-1.80' }, 'unitPrice'],
    ['a zero price', { kind: 'parking', unitPrice: 0 }, 'unitPrice'],
    ['five decimals', { kind: 'property', unitPrice: '1.23456' }, 'unitPrice'],
    ['five decimals as a number', { kind: 'fixed', unitPrice: 1.23456 }, 'unitPrice'],
    ['not a number', { kind: 'fixed', unitPrice: '1,80' }, 'unitPrice'],
    ['an exponent', { kind: 'fixed', unitPrice: '1e3' }, 'unitPrice'],
    ['more than 10 digits', { kind: 'fixed', unitPrice: '12345678901' }, 'unitPrice'],
    ['no price', { kind: 'property' }, 'unitPrice'],
    ['tiers on 物业费', { kind: 'property', unitPrice: '1.8', tiers: [{ upTo: null, unitPrice: '1' }] }, 'tiers'],
    ['a price and tiers', { kind: 'water', unitPrice: '3', tiers: [{ upTo: null, unitPrice: '1' }] }, 'tiers'],
    ['tiers that do not increase', { kind: 'water', tiers: [{ upTo: '100', unitPrice: '3' }, { upTo: '50', unitPrice: '4' }, { upTo: null, unitPrice: '5' }] }, 'tiers'],
    ['an open tier that is not last', { kind: 'water', tiers: [{ upTo: null, unitPrice: '3' }, { upTo: '50', unitPrice: '4' }] }, 'tiers'],
    ['a tier price with 5 decimals', { kind: 'gas', tiers: [{ upTo: null, unitPrice: '3.00001' }] }, 'tiers.0.unitPrice'],
    ['公摊 without a meter kind', { kind: 'shared', unitPrice: '1', shareMethod: 'area' }, 'meterKind'],
    ['公摊 without a share method', { kind: 'shared', unitPrice: '1', meterKind: 'water' }, 'shareMethod'],
    ['a meter kind on 物业费', { kind: 'property', unitPrice: '1', meterKind: 'water' }, 'meterKind'],
    ['a rent increase without its interval', { kind: 'rent', unitPrice: '1000', rentIncreasePercent: '5' }, 'rentIncreaseEveryMonths'],
    ['a rent increase on 停车费', { kind: 'parking', unitPrice: '300', rentIncreasePercent: '5', rentIncreaseEveryMonths: 12 }, 'rentIncreasePercent'],
    ['a late fee with neither rate', { kind: 'property', unitPrice: '1', lateFee: { graceDays: 3 } }, 'lateFee.perDayPermille'],
    ['a late fee with both rates', { kind: 'property', unitPrice: '1', lateFee: { graceDays: 3, perDayPermille: '1', perMonthFen: 100 } }, 'lateFee.perDayPermille'],
    ['a vacancy discount without its percent', { kind: 'property', unitPrice: '1', discounts: [{ kind: 'vacancy' }] }, 'discounts.0.percent'],
    ['a vacancy percent over 100', { kind: 'property', unitPrice: '1', discounts: [{ kind: 'vacancy', percent: '120' }] }, 'discounts.0.percent'],
    ['a prepay discount without free months', { kind: 'property', unitPrice: '1', discounts: [{ kind: 'prepay', payMonths: 12 }] }, 'discounts.0.freeMonths'],
    ['a discount ending before it starts', { kind: 'property', unitPrice: '1', discounts: [{ kind: 'fixed', reductionFen: 100, validFrom: '2026-05-01', validTo: '2026-04-01' }] }, 'discounts.0.validTo'],
    ['an unknown kind', { kind: 'heating', unitPrice: '1' }, 'kind'],
    ['an unknown rounding rule', { kind: 'property', unitPrice: '1', rounding: 'banker' }, 'rounding'],
    ['a community price of zero', { kind: 'property', unitPrice: '1', communities: [{ communityId: 'COMMUNITY', unitPrice: '0' }] }, 'communities.0.unitPrice'],
    ['an auto-bill day of 31', { kind: 'property', unitPrice: '1', communities: [{ communityId: 'COMMUNITY', autoBillDay: 31 }] }, 'communities.0.autoBillDay'],
    ['the same community twice', { kind: 'property', unitPrice: '1', communities: [{ communityId: 'COMMUNITY' }, { communityId: 'COMMUNITY' }] }, 'communities'],
    ['another company’s community', { kind: 'property', unitPrice: '1', communities: [{ communityId: 'FOREIGN' }] }, 'communities'],
  ])('%s → 400 naming the field, nothing written', async (_label, body, field) => {
    const before = await itemTables();
    const json = JSON.stringify({ name: unique('坏项目'), ...body }).replaceAll('COMMUNITY', a.communityIds[0]).replaceAll('FOREIGN', b.communityIds[0]);
    expectFieldError(await a.admin2.post('/api/fee-items', JSON.parse(json)), field);
    expect(await itemTables()).toEqual(before);
  });

  it('a taken name → 409 naming name', async () => {
    const item = await feeItem(a.admin2, a, { kind: 'fixed', unitPrice: '10' });
    const res = await a.admin2.post('/api/fee-items', { name: item.name, kind: 'fixed', unitPrice: '10' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.field).toBe('name');
  });

  it('403 for the cashier and the technician', async () => {
    for (const client of [a.cashier, a.technician]) {
      const res = await client.post('/api/fee-items', { name: unique('x'), kind: 'fixed', unitPrice: '1' });
      expect(res.statusCode).toBe(403);
    }
  });
});

describe('GET and PATCH /api/fee-items/:id', () => {
  it('the cashier reads items; the technician may not', async () => {
    const item = await feeItem(a.admin2, a, { kind: 'parking', unitPrice: '300' });
    expect((await a.cashier.get(`/api/fee-items/${item.id}`)).statusCode).toBe(200);
    const list = await a.cashier.get(`/api/fee-items?communityId=${a.communityIds[0]}&kind=parking&pageSize=200`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(item.id);
    expect((await a.technician.get('/api/fee-items')).statusCode).toBe(403);
    expect((await a.technician.get(`/api/fee-items/${item.id}`)).statusCode).toBe(403);
  });

  it('changes the price, replaces discounts and communities, disables; audited with before and after', async () => {
    const item = await feeItem(a.admin2, a, { kind: 'property', unitPrice: '1.80', discounts: [{ kind: 'vacancy', percent: '50' }] });
    const res = await a.admin2.patch(`/api/fee-items/${item.id}`, { unitPrice: '2.05', discounts: [{ kind: 'fixed', reductionFen: 500 }], communities: [{ communityId: a.communityIds[1], unitPrice: '1.9' }], active: false });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ unitPrice: '2.0500', active: false, discounts: [{ kind: 'fixed', reductionFen: 500 }], communities: [{ communityId: a.communityIds[1], unitPrice: '1.9000' }] });
    const enabled = await t.db.selectFrom('fee_item_communities').select('community_id').where('item_id', '=', item.id).execute();
    expect(enabled.map((e) => e.community_id)).toEqual([a.communityIds[1]]);
    const [audit] = await auditRows(t.db, item.id, 'feeItem.update');
    expect(audit.before).toMatchObject({ unitPrice: '1.8000' });
    expect(audit.after).toMatchObject({ unitPrice: '2.05', active: false });
  });

  it('checks the merged item: a zero price → 400 unitPrice; tiers on 物业费 → 400 tiers; nothing changes', async () => {
    const item = await feeItem(a.admin2, a, { kind: 'property', unitPrice: '1.80' });
    const before = await itemTables();
    expectFieldError(await a.admin2.patch(`/api/fee-items/${item.id}`, { unitPrice: '0.0000' }), 'unitPrice');
    expectFieldError(await a.admin2.patch(`/api/fee-items/${item.id}`, { tiers: [{ upTo: null, unitPrice: '1' }] }), 'tiers');
    expectFieldError(await a.admin2.patch(`/api/fee-items/${item.id}`, { kind: 'water' }), 'kind');
    expect(await itemTables()).toEqual(before);
  });

  it('another company’s item is a 404, read or written, and stays as it was', async () => {
    const item = await feeItem(b.admin2, b, { kind: 'fixed', unitPrice: '10' });
    expect((await a.admin2.get(`/api/fee-items/${item.id}`)).statusCode).toBe(404);
    expect((await a.admin2.patch(`/api/fee-items/${item.id}`, { unitPrice: '99' })).statusCode).toBe(404);
    const list = await a.admin2.get('/api/fee-items?pageSize=200');
    expect(list.json().items.map((i: { id: string }) => i.id)).not.toContain(item.id);
    expect((await t.db.selectFrom('fee_items').select('unit_price').where('id', '=', item.id).executeTakeFirstOrThrow()).unit_price).toBe('10.0000');
  });

  it('403 for the cashier; an unknown id is 404', async () => {
    const item = await feeItem(a.admin2, a, { kind: 'fixed', unitPrice: '10' });
    expect((await a.cashier.patch(`/api/fee-items/${item.id}`, { unitPrice: '11' })).statusCode).toBe(403);
    expect((await a.admin2.patch(`/api/fee-items/${randomUUID()}`, { unitPrice: '11' })).statusCode).toBe(404);
  });
});

describe('/api/billing-settings', () => {
  it('reads the default jump factor, changes it (audited), refuses ≤ 1 naming jumpFactor; cashier reads, cannot change', async () => {
    const co = await billingCompany(t, { communities: 1 });
    expect((await co.cashier.get('/api/billing-settings')).json()).toEqual({ jumpFactor: '3' });
    expectFieldError(await co.admin2.patch('/api/billing-settings', { jumpFactor: '1' }), 'jumpFactor');
    expectFieldError(await co.admin2.patch('/api/billing-settings', { jumpFactor: '2.555' }), 'jumpFactor');
    expect((await co.cashier.patch('/api/billing-settings', { jumpFactor: '4' })).statusCode).toBe(403);
    expect((await co.technician.get('/api/billing-settings')).statusCode).toBe(403);
    const res = await co.admin2.patch('/api/billing-settings', { jumpFactor: 4.5 });
    expect(res.json()).toEqual({ jumpFactor: '4.50' });
    expect(await auditRows(t.db, co.companyId, 'billingSettings.update')).toHaveLength(1);
    // Another company keeps its own.
    expect((await b.admin2.get('/api/billing-settings')).json()).toEqual({ jumpFactor: '3' });
  });
});
