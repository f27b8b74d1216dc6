import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { createBuilding, createRooms } from '../helpers/factories.ts';
import { billingCompany, bind, feeItem, runBills } from '../helpers/billing.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

describe('payments smoke', () => {
  it('pays, overpays into balance, refunds', async () => {
    const co = await billingCompany(t);
    const community = co.communityIds[0];
    const building = await createBuilding(t.db, { company: co, communityId: community });
    const [room] = await createRooms(t.db, building, [{ floor: 1, number: '101', status: 'occupied' }]);
    const item = await feeItem(co.admin2, co, { kind: 'property', unitPrice: '2.00' });
    await bind(co.admin2, { itemId: item.id, roomId: room, startDate: '2026-01-01' });
    await runBills(co.admin2, { communityId: community, periodKey: '2026-10' });
    await runBills(co.admin2, { communityId: community, periodKey: '2026-11' });
    const bills = (await co.cashier.get(`/api/rooms/${room}/bills`)).json();
    expect(bills.total).toBe(2);
    const owed = bills.items.reduce((s: number, l: { amountFen: number }) => s + l.amountFen, 0);
    const key = randomUUID();
    const pay = await co.cashier.post('/api/payments', { roomId: room, method: 'cash', amountFen: owed + 5000, balanceKind: 'property', idempotencyKey: key });
    expect(pay.statusCode, pay.body).toBe(201);
    const p = pay.json();
    expect(p.toBalanceFen).toBe(5000);
    expect(p.receiptNo).toMatch(/^SJ2026-\d{6}$/);
    const again = await co.cashier.post('/api/payments', { roomId: room, method: 'cash', amountFen: owed + 5000, balanceKind: 'property', idempotencyKey: key });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(p.id);
    const bal = (await co.cashier.get(`/api/rooms/${room}/balances`)).json();
    expect(bal.balances.property).toBe(5000);
    const rf = await co.cashier.post('/api/refunds', { paymentId: p.id, amountFen: 6000, reason: '多收退回', idempotencyKey: randomUUID() });
    expect(rf.statusCode, rf.body).toBe(201);
    const ap = await co.admin2.post(`/api/refunds/${rf.json().id}/approve`, {});
    expect(ap.statusCode, ap.body).toBe(200);
    expect(ap.json()).toMatchObject({ status: 'refunded', fromBalanceFen: 5000, fromLinesFen: 1000 });
    const after = (await co.cashier.get(`/api/rooms/${room}/bills`)).json();
    expect(after.items.map((l: { status: string }) => l.status).sort()).toEqual(['paid', 'partial']);
    const pdf = await co.cashier.get(`/api/payments/${p.id}/receipt.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
