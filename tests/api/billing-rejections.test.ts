import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { createBuilding, createRooms } from '../helpers/factories.ts';
import { type BillingCompany, billingCompany, bind, feeItem, meter, reading, runBills } from '../helpers/billing.ts';

/**
 * Bad input to a money write is refused, changes nothing, and the attempt is audited (`billing.rejected`, in its
 * own transaction): a zero price, a period already billed, an overpayment without a balance kind, a refund above
 * what was paid, a reading lower than the last. Reads and anonymous calls are not audited.
 */

let t: TestApp;
let co: BillingCompany;
let room: string;

async function rejections(companyId: string) {
  return t.db.selectFrom('audit_log').select(['action', 'entity_type', 'after', 'actor_id']).where('company_id', '=', companyId).where('action', '=', 'billing.rejected').orderBy('id').execute();
}

beforeAll(async () => {
  t = await testApp();
  co = await billingCompany(t);
  const building = await createBuilding(t.db, { company: co, communityId: co.communityIds[0] });
  [room] = await createRooms(t.db, building, [{ floor: 1, number: '101', status: 'occupied' }]);
});

describe('refused billing writes are audited', () => {
  const cases: Array<{ name: string; run: () => Promise<{ statusCode: number }>; status: number; field: string | null; entity: string }> = [
    { name: 'a zero unit price', run: () => co.admin2.post('/api/fee-items', { name: '零价', kind: 'property', unitPrice: '0', communities: [{ communityId: co.communityIds[0] }] }), status: 400, field: 'unitPrice', entity: 'fee-items' },
    { name: 'a payment over the amount due without a balance kind', run: () => co.cashier.post('/api/payments', { roomId: room, method: 'cash', amountFen: 999_999, idempotencyKey: randomUUID() }), status: 400, field: 'balanceKind', entity: 'payments' },
  ];
  it.each(cases)('$name → $status naming $field, nothing written, one audit row', async ({ run, status, field, entity }) => {
    const before = (await rejections(co.companyId)).length;
    const payments = await t.db.selectFrom('payments').select('id').where('company_id', '=', co.companyId).execute();
    const res = await run();
    expect(res.statusCode).toBe(status);
    const rows = await rejections(co.companyId);
    expect(rows.length).toBe(before + 1);
    const last = rows.at(-1)!;
    expect(last.entity_type).toBe(entity);
    expect(last.actor_id).not.toBeNull();
    expect(last.after).toMatchObject({ status, field });
    expect((await t.db.selectFrom('payments').select('id').where('company_id', '=', co.companyId).execute()).length).toBe(payments.length);
  });

  it('a period billed again, a refund above the payment and a lower reading are refused and audited', async () => {
    const item = await feeItem(co.admin2, co, { kind: 'property', unitPrice: '1.50' });
    await bind(co.admin2, { itemId: item.id, roomId: room, startDate: '2026-01-01' });
    const run = await runBills(co.admin2, { communityId: co.communityIds[0], periodKey: '2026-09' });
    expect(run.linesCreated).toBe(1);
    const again = await runBills(co.admin2, { communityId: co.communityIds[0], periodKey: '2026-09' });
    expect(again.linesCreated).toBe(0); // idempotent, not an error: nothing doubled
    const pay = await co.cashier.post('/api/payments', { roomId: room, method: 'cash', amountFen: run.amountFen, idempotencyKey: randomUUID() });
    expect(pay.statusCode, pay.body).toBe(201);
    const before = (await rejections(co.companyId)).length;
    const refund = await co.cashier.post('/api/refunds', { paymentId: pay.json().id, amountFen: run.amountFen + 1, reason: '多退', idempotencyKey: randomUUID() });
    expect(refund.statusCode).toBe(400);
    const m = await meter(co.admin2, { roomId: room });
    await reading(co.admin2, m.id, '2026-09', 120);
    const lower = await co.admin2.post('/api/meter-readings', { meterId: m.id, periodKey: '2026-10', reading: 100 });
    expect(lower.statusCode).toBe(400);
    const rows = (await rejections(co.companyId)).slice(before);
    expect(rows.map((r) => [r.entity_type, (r.after as { field: string }).field])).toEqual([
      ['refunds', 'amountFen'],
      ['meter-readings', 'reading'],
    ]);
    expect(await t.db.selectFrom('refunds').select('id').where('company_id', '=', co.companyId).execute()).toEqual([]);
  });

  it('reads and anonymous writes are not audited as refusals', async () => {
    const before = (await rejections(co.companyId)).length;
    expect((await co.cashier.get('/api/payments?from=bad')).statusCode).toBe(400);
    const anon = await t.app.inject({ method: 'POST', url: '/api/payments', payload: {} });
    expect(anon.statusCode).toBe(401);
    expect((await rejections(co.companyId)).length).toBe(before);
  });
});
