import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createBuilding, createOwnerUser, createResident, createRoom, createStaffUser, type TestBuilding, type TestResident, type TestRoom, uniquePhone, unique } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, sessionAs } from '../helpers/api.ts';
import { type BillingCompany, billingCompany, feeItem, runBills } from '../helpers/billing.ts';
import { daysBetween, emptyFilterField, periodLabel } from '../../src/modules/billing/collection.ts';
import { maskName } from '../../src/modules/residents/rules.ts';
import { localDate } from '../../src/modules/servicedesk/deadlines.ts';
import { addDays } from '../../src/modules/billing/values.ts';

/**
 * 催缴: the preview picks rooms with open lines due before asOf by amount, age, building, zone and room; a campaign
 * snapshots what each owes and sends one SMS per owner phone, one in-app message per owner account and one task per
 * room (to the zone's collector), exactly once per idempotency key; printed notices come as one PDF; collection tasks
 * are seen by their assignee (all of them by billing.manage), closed once with an outcome, and reassigned by managers.
 */

let t: TestApp;
let other: BillingCompany;

/** Lines are due on the 16th (period start + 15 days); on this day September and October are overdue, November not. */
const AS_OF = '2026-11-10';
const today = () => localDate(new Date(), 'Asia/Shanghai');

interface Estate {
  co: BillingCompany;
  community: string;
  collector: { id: string; client: Client };
  collector2: { id: string; client: Client };
  zone1: string;
  zone2: string;
  b1: TestBuilding;
  b2: TestBuilding;
  b3: TestBuilding;
  /** r1 owes Sep+Oct (2 owners, one with an account; a family member); r2 owes Oct (owner account tied by resident_id);
   * r3 owes Sep + 70 元 of Oct (owner without phone; an earlier owner moved out); r4 owes Sep+Oct (tenant only); r5 paid up. */
  r1: TestRoom;
  r2: TestRoom;
  r3: TestRoom;
  r4: TestRoom;
  r5: TestRoom;
  o1: TestResident;
  o1b: TestResident;
  o2: TestResident;
  o3: TestResident;
  u1: string;
  u2: string;
  phones: string[];
}

async function zone(co: BillingCompany, communityId: string, responsible: string | null) {
  const z = await t.db.insertInto('zones').values({ company_id: co.companyId, community_id: communityId, name: unique('片区'), responsible_user_id: responsible }).returning('id').executeTakeFirstOrThrow();
  return z.id;
}

async function building(co: BillingCompany, communityId: string, zoneId: string | null) {
  const b = await createBuilding(t.db, { company: co, communityId });
  if (zoneId) await t.db.updateTable('buildings').set({ zone_id: zoneId }).where('id', '=', b.id).execute();
  return b;
}

async function pay(roomId: string, periodKey: string, paidFen: number | 'all') {
  const line = await t.db.selectFrom('bill_lines').select(['id', 'amount_fen', 'company_id', 'community_id']).where('room_id', '=', roomId).where('period_key', '=', periodKey).executeTakeFirstOrThrow();
  const fen = paidFen === 'all' ? line.amount_fen : paidFen;
  await t.db.insertInto('payment_allocations').values({ company_id: line.company_id, community_id: line.community_id, bill_line_id: line.id, source: 'balance', balance_kind: 'general', amount_fen: fen }).execute();
  await t.db.updateTable('bill_lines').set({ paid_fen: fen, status: fen === line.amount_fen ? 'paid' : 'partial' }).where('id', '=', line.id).execute();
}

async function estate(): Promise<Estate> {
  const co = await billingCompany(t);
  const community = co.communityIds[0];
  const [c1, c2] = await Promise.all([createStaffUser(t.db, co, { role: 'cashier', communityIds: [community] }), createStaffUser(t.db, co, { role: 'cashier', communityIds: [community] })]);
  const collector = { id: c1.id, client: await sessionAs(t.app, t.db, c1.id) };
  const collector2 = { id: c2.id, client: await sessionAs(t.app, t.db, c2.id) };
  const zone1 = await zone(co, community, collector.id);
  const zone2 = await zone(co, community, null);
  const b1 = await building(co, community, zone1);
  const b2 = await building(co, community, zone2);
  const b3 = await building(co, community, null);
  const r1 = await createRoom(t.db, { building: b1, floor: 1, number: '101', status: 'occupied' });
  const r2 = await createRoom(t.db, { building: b1, floor: 1, number: '102', status: 'occupied' });
  const r5 = await createRoom(t.db, { building: b1, floor: 1, number: '103', status: 'occupied' });
  const r3 = await createRoom(t.db, { building: b2, floor: 1, number: '101', status: 'occupied' });
  const r4 = await createRoom(t.db, { building: b3, floor: 1, number: '101', status: 'occupied' });
  const item = await feeItem(co.admin2, co, { kind: 'fixed', name: unique('物业服务费'), unitPrice: '100' });
  const bound = await co.admin2.post('/api/fee-bindings/bulk', { itemId: item.id, communityId: community, startDate: '2026-01-01' });
  expect(bound.statusCode, bound.body).toBe(200);
  for (const periodKey of ['2026-09', '2026-10', '2026-11']) await runBills(co.admin2, { communityId: community, periodKey });
  for (const p of ['2026-09', '2026-10', '2026-11']) await pay(r5.id, p, 'all');
  await pay(r2.id, '2026-09', 'all');
  await pay(r3.id, '2026-10', 3000);

  const o1 = await createResident(t.db, { room: r1, name: '张伟' });
  const o1b = await createResident(t.db, { room: r1, name: '欧阳娜娜' });
  await createResident(t.db, { room: r1, name: '张小明', relation: 'family' });
  const u1 = (await createOwnerUser(t.db, co, o1.phone!)).id;
  const o2 = await createResident(t.db, { room: r2, name: '李娜' });
  const u2 = (await createOwnerUser(t.db, co, uniquePhone())).id;
  await t.db.updateTable('users').set({ resident_id: o2.id }).where('id', '=', u2).execute();
  const o3 = await createResident(t.db, { room: r3, name: '王芳', phone: null });
  const gone = await createResident(t.db, { room: r3, name: '赵强' });
  await t.db.updateTable('room_residents').set({ end_date: '2026-06-30', end_reason: 'sold' }).where('id', '=', gone.linkId!).execute();
  const tenant = await createResident(t.db, { room: r4, name: '孙丽', relation: 'tenant' });
  return { co, community, collector, collector2, zone1, zone2, b1, b2, b3, r1, r2, r3, r4, r5, o1, o1b, o2, o3, u1, u2, phones: [o1.phone!, o1b.phone!, o2.phone!, gone.phone!, tenant.phone!] };
}

async function createCampaign(client: Client, e: Estate, body: Record<string, unknown> = {}) {
  const res = await client.post('/api/reminder-campaigns', { communityId: e.community, title: '11月催缴', channels: ['sms', 'inApp', 'letter', 'task'], asOf: AS_OF, idempotencyKey: randomUUID(), ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const byRoom = <T extends { roomId: string }>(items: T[]): Record<string, T & Record<string, any>> => Object.fromEntries(items.map((i) => [i.roomId, i]));
const roomsOf = (res: { json(): { rooms: Array<{ roomId: string }> } }) => res.json().rooms.map((r) => r.roomId).sort();
const sorted = (...ids: string[]) => [...ids].sort();
const outboxOf = (phones: string[]) => t.db.selectFrom('sms_outbox').selectAll().where('phone', 'in', phones).orderBy('created_at').execute();
const notificationsOf = (userIds: string[]) => t.db.selectFrom('notifications').selectAll().where('user_id', 'in', userIds).execute();
const tasksOf = (campaignId: string) => t.db.selectFrom('collection_tasks').selectAll().where('campaign_id', '=', campaignId).execute();
const label = (b: TestBuilding, r: TestRoom) => `${b.name}-1单元-${r.number}`;

beforeAll(async () => {
  t = await testApp();
  other = await billingCompany(t);
});

describe('rules', () => {
  it.each([
    ['2026-11', '2026年11月'],
    ['2026-01', '2026年1月'],
    ['2026-Q4', '2026年第4季度'],
    ['2026-H1', '2026年上半年'],
    ['2026-H2', '2026年下半年'],
    ['2026', '2026年'],
    ['odd', 'odd'],
  ])('periodLabel(%s) = %s', (key, expected) => expect(periodLabel(key)).toBe(expected));

  it.each([
    ['2026-09-16', '2026-11-10', 55],
    ['2026-10-16', '2026-11-10', 25],
    ['2026-02-28', '2026-03-01', 1],
    ['2024-02-28', '2024-03-01', 2],
    ['2026-12-31', '2027-01-01', 1],
  ])('daysBetween(%s, %s) = %d', (from, to, days) => expect(daysBetween(from, to)).toBe(days));

  it.each([
    [{ minOwedFen: 100, minOverdueDays: 30, roomIds: ['x'] }, 'minOwedFen'],
    [{ minOwedFen: 0, minOverdueDays: 30 }, 'minOverdueDays'],
    [{ roomIds: ['x'], buildingIds: ['y'] }, 'roomIds'],
    [{ zoneIds: ['x'], buildingIds: ['y'] }, 'zoneIds'],
    [{ buildingIds: ['y'] }, 'buildingIds'],
    [{}, 'communityId'],
  ])('an empty selection with %o names %s', (filter, field) => expect(emptyFilterField(filter)).toBe(field));
});

describe('POST /api/reminder-campaigns/preview', () => {
  let e: Estate;
  beforeAll(async () => {
    e = await estate();
  });
  const preview = (client: Client, body: Record<string, unknown> = {}) => client.post('/api/reminder-campaigns/preview', { communityId: e.community, asOf: AS_OF, ...body });

  it('lists each room owing on lines due before asOf, with exact figures, owners and reachability', async () => {
    const res = await preview(e.co.admin2);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ communityId: e.community, asOf: AS_OF, roomCount: 4, totalOwedFen: 20000 + 10000 + 17000 + 20000, withPhone: 2, withAccount: 2 });
    const rooms = byRoom(body.rooms);
    expect(Object.keys(rooms).sort()).toEqual(sorted(e.r1.id, e.r2.id, e.r3.id, e.r4.id));
    expect(rooms[e.r1.id]).toEqual({ roomId: e.r1.id, roomLabel: label(e.b1, e.r1), buildingId: e.b1.id, zoneId: e.zone1, ownerName: '张伟、欧阳娜娜', hasOwnerPhone: true, hasOwnerAccount: true, owedFen: 20000, lineCount: 2, oldestDueDate: '2026-09-16', overdueDays: 55 });
    expect(rooms[e.r2.id]).toMatchObject({ ownerName: '李娜', hasOwnerPhone: true, hasOwnerAccount: true, owedFen: 10000, lineCount: 1, oldestDueDate: '2026-10-16', overdueDays: 25 });
    // The owner who moved out no longer counts: r3 has an owner without a phone.
    expect(rooms[e.r3.id]).toMatchObject({ zoneId: e.zone2, ownerName: '王芳', hasOwnerPhone: false, hasOwnerAccount: false, owedFen: 17000, lineCount: 2, oldestDueDate: '2026-09-16' });
    expect(rooms[e.r4.id]).toMatchObject({ zoneId: null, ownerName: null, hasOwnerPhone: false, hasOwnerAccount: false, owedFen: 20000 });
  });

  it.each([
    ['minOwedFen 17000', { minOwedFen: 17000 }, ['r1', 'r3', 'r4']],
    ['minOwedFen 20000', { minOwedFen: 20000 }, ['r1', 'r4']],
    ['minOwedFen 20001', { minOwedFen: 20001 }, []],
    ['minOverdueDays 25 (r2 is exactly 25 days late)', { minOverdueDays: 25 }, ['r1', 'r2', 'r3', 'r4']],
    ['minOverdueDays 26', { minOverdueDays: 26 }, ['r1', 'r3', 'r4']],
    ['minOverdueDays 56', { minOverdueDays: 56 }, []],
    ['both', { minOwedFen: 17000, minOverdueDays: 30 }, ['r1', 'r3', 'r4']],
    ['building b1', { buildingIds: 'b1' }, ['r1', 'r2']],
    ['zone 2', { zoneIds: 'zone2' }, ['r3']],
    ['rooms r2 and the paid-up r5', { roomIds: ['r2', 'r5'] }, ['r2']],
  ] as const)('selects by %s', async (_, filter, expected) => {
    const ids: Record<string, string> = { r1: e.r1.id, r2: e.r2.id, r3: e.r3.id, r4: e.r4.id, r5: e.r5.id, b1: e.b1.id, zone2: e.zone2 };
    const body = Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, typeof v === 'string' ? [ids[v]] : Array.isArray(v) ? v.map((x) => ids[x]) : v]));
    const res = await preview(e.co.admin2, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(roomsOf(res)).toEqual(sorted(...expected.map((k) => ids[k])));
  });

  it('an earlier asOf counts only what was due before it; today (default) counts November too', async () => {
    const sept = byRoom((await preview(e.co.admin2, { asOf: '2026-09-20' })).json().rooms);
    expect(Object.keys(sept).sort()).toEqual(sorted(e.r1.id, e.r3.id, e.r4.id));
    expect(sept[e.r3.id]).toMatchObject({ owedFen: 10000, lineCount: 1, overdueDays: 4 });
    const res = await e.co.admin2.post('/api/reminder-campaigns/preview', { communityId: e.community });
    expect(res.json()).toMatchObject({ asOf: today(), totalOwedFen: 67000 + 4 * 10000 });
  });

  it('a collector without personal.viewFull sees owner names masked', async () => {
    const res = await preview(e.collector.client);
    expect(res.statusCode, res.body).toBe(200);
    expect(byRoom(res.json().rooms)[e.r1.id].ownerName).toBe(`${maskName('张伟')}、${maskName('欧阳娜娜')}`);
  });

  it('401 anonymous, 403 without billing.collect, 400 naming the field', async () => {
    expect((await anonymous(t.app, 'POST', '/api/reminder-campaigns/preview', { communityId: e.community })).statusCode).toBe(401);
    expect((await preview(e.co.technician)).statusCode).toBe(403);
    expectFieldError(await preview(other.admin2), 'communityId');
    const elsewhere = await createBuilding(t.db, { company: e.co, communityId: e.co.communityIds[1] });
    expectFieldError(await preview(e.co.admin2, { buildingIds: [elsewhere.id] }), 'buildingIds');
    expectFieldError(await preview(e.co.admin2, { zoneIds: [randomUUID()] }), 'zoneIds');
    expectFieldError(await preview(e.co.admin2, { roomIds: ['nope'] }), 'roomIds.0');
    expectFieldError(await preview(e.co.admin2, { minOwedFen: -1 }), 'minOwedFen');
    expectFieldError(await preview(e.co.admin2, { asOf: addDays(today(), 1) }), 'asOf');
  });
});

describe('POST /api/reminder-campaigns', () => {
  it('snapshots each room, sends one SMS per owner phone and one message per owner account, makes a task per room for the zone collector; the same key again sends nothing', async () => {
    const e = await estate();
    const key = randomUUID();
    const campaign = await createCampaign(e.co.admin2, e, { idempotencyKey: key });
    expect(campaign).toMatchObject({ communityId: e.community, title: '11月催缴', channels: ['sms', 'inApp', 'letter', 'task'], minOwedFen: 0, minOverdueDays: 0, roomCount: 4, totalOwedFen: 67000, smsCount: 3, inAppCount: 2, taskCount: 4, createdBy: '测试管理员' });

    const recipients = await t.db.selectFrom('reminder_recipients').select(['room_id', 'owed_fen', 'line_count', 'oldest_due_date', 'sms_sent', 'in_app_sent']).where('campaign_id', '=', campaign.id).orderBy('room_id').execute();
    expect(recipients).toEqual(
      [
        { room_id: e.r1.id, owed_fen: 20000, line_count: 2, oldest_due_date: '2026-09-16', sms_sent: true, in_app_sent: true },
        { room_id: e.r2.id, owed_fen: 10000, line_count: 1, oldest_due_date: '2026-10-16', sms_sent: true, in_app_sent: true },
        { room_id: e.r3.id, owed_fen: 17000, line_count: 2, oldest_due_date: '2026-09-16', sms_sent: false, in_app_sent: false },
        { room_id: e.r4.id, owed_fen: 20000, line_count: 2, oldest_due_date: '2026-09-16', sms_sent: false, in_app_sent: false },
      ].sort((a, b) => a.room_id.localeCompare(b.room_id)),
    );

    // Owners only (not the family member, the tenant or the owner who moved out), one SMS per phone.
    const sms = await outboxOf(e.phones);
    expect(sms.map((s) => s.phone).sort()).toEqual([e.o1.phone, e.o1b.phone, e.o2.phone].sort());
    const toO1 = sms.find((s) => s.phone === e.o1.phone)!;
    expect(toO1).toMatchObject({ company_id: e.co.companyId, template: 'collection.reminderSmsNoPhone', status: 'stored' });
    const communityName = (await t.db.selectFrom('communities').select('name').where('id', '=', e.community).executeTakeFirstOrThrow()).name;
    expect(toO1.body).toContain(communityName);
    expect(toO1.body).toContain(label(e.b1, e.r1));
    expect(toO1.body).toContain('200.00元');
    expect(toO1.body).toContain('我的账单');
    for (const s of sms) expect(s.body).not.toMatch(/停水|停电|停暖|停气|断水|断电|切断|限制/);
    expect(sms.find((s) => s.phone === e.o2.phone)!.body).toContain('100.00元');

    const notes = await notificationsOf([e.u1, e.u2]);
    expect(notes.map((n) => [n.user_id, n.kind, n.ticket_id]).sort()).toEqual([[e.u1, 'arrearsReminder', null], [e.u2, 'arrearsReminder', null]].sort());
    expect(notes.find((n) => n.user_id === e.u1)!.title).toBe(`缴费提醒：${label(e.b1, e.r1)}`);

    const tasks = byRoom((await tasksOf(campaign.id)).map((k) => ({ ...k, roomId: k.room_id })));
    expect(Object.keys(tasks)).toHaveLength(4);
    expect(tasks[e.r1.id]).toMatchObject({ assignee_id: e.collector.id, owed_fen: 20000, status: 'open', community_id: e.community });
    expect(tasks[e.r2.id].assignee_id).toBe(e.collector.id);
    expect(tasks[e.r3.id].assignee_id).toBeNull(); // zone 2 has nobody responsible
    expect(tasks[e.r4.id].assignee_id).toBeNull(); // no zone

    const audit = await auditRows(t.db, campaign.id, 'reminderCampaign.create');
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ communityId: e.community, asOf: AS_OF, roomCount: 4, totalOwedFen: 67000, smsCount: 3, inAppCount: 2, taskCount: 4 });

    const again = await e.co.admin2.post('/api/reminder-campaigns', { communityId: e.community, title: '别的标题', channels: ['sms'], asOf: AS_OF, idempotencyKey: key });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(campaign);
    expect(await outboxOf(e.phones)).toHaveLength(3);
    expect(await notificationsOf([e.u1, e.u2])).toHaveLength(2);
    expect(await tasksOf(campaign.id)).toHaveLength(4);
    expect(await t.db.selectFrom('reminder_campaigns').select('id').where('company_id', '=', e.co.companyId).execute()).toHaveLength(1);
    expect(await auditRows(t.db, campaign.id)).toHaveLength(1);
  });

  it('only the chosen channels; the company phone in the SMS; assigneeId overrides the zone collector', async () => {
    const e = await estate();
    await t.db.updateTable('companies').set({ contact_phone: '025-84561234' }).where('id', '=', e.co.companyId).execute();
    const smsOnly = await createCampaign(e.collector.client, e, { channels: ['sms'], minOwedFen: 20000 });
    expect(smsOnly).toMatchObject({ roomCount: 2, totalOwedFen: 40000, smsCount: 2, inAppCount: 0, taskCount: 0, minOwedFen: 20000 });
    const sms = await outboxOf(e.phones);
    expect(sms.map((s) => s.phone).sort()).toEqual([e.o1.phone, e.o1b.phone].sort());
    expect(sms[0].template).toBe('collection.reminderSms');
    expect(sms[0].body).toContain('025-84561234');
    expect(await notificationsOf([e.u1, e.u2])).toHaveLength(0);
    expect(await tasksOf(smsOnly.id)).toHaveLength(0);

    const tasksOnly = await createCampaign(e.co.admin2, e, { channels: ['task', 'task'], assigneeId: e.collector2.id });
    expect(tasksOnly).toMatchObject({ channels: ['task'], smsCount: 0, inAppCount: 0, taskCount: 4 });
    expect((await tasksOf(tasksOnly.id)).map((k) => k.assignee_id)).toEqual(Array(4).fill(e.collector2.id));
    expect(await outboxOf(e.phones)).toHaveLength(2);
  });

  it('a room with an open collection task from an earlier campaign gets no second task', async () => {
    const e = await estate();
    const first = await createCampaign(e.co.admin2, e, { channels: ['task'], minOwedFen: 20000 });
    expect(first).toMatchObject({ roomCount: 2, taskCount: 2 });
    const second = await createCampaign(e.co.admin2, e, { channels: ['task'] });
    expect(second).toMatchObject({ roomCount: 4, taskCount: 2 });
    const rooms = [...(await tasksOf(first.id)), ...(await tasksOf(second.id))].map((k) => k.room_id);
    expect(new Set(rooms).size).toBe(4);
  });

  it('400 naming the field, nothing written: no debtor matches, bad channels, assignee who cannot collect here', async () => {
    const e = await estate();
    const base = { communityId: e.community, title: '催缴', channels: ['sms'], asOf: AS_OF, idempotencyKey: randomUUID() };
    const none = await e.co.admin2.post('/api/reminder-campaigns', { ...base, minOwedFen: 1_000_000 });
    expectFieldError(none, 'minOwedFen');
    expect(none.json().error.message).toContain(AS_OF);
    expectFieldError(await e.co.admin2.post('/api/reminder-campaigns', { ...base, minOverdueDays: 100 }), 'minOverdueDays');
    expectFieldError(await e.co.admin2.post('/api/reminder-campaigns', { ...base, roomIds: [e.r5.id] }), 'roomIds');
    expectFieldError(await e.co.admin2.post('/api/reminder-campaigns', { ...base, communityId: e.co.communityIds[1] }), 'communityId');
    expectFieldError(await e.co.admin2.post('/api/reminder-campaigns', { ...base, channels: [] }), 'channels');
    expectFieldError(await e.co.admin2.post('/api/reminder-campaigns', { ...base, channels: ['fax'] }), 'channels.0');
    expectFieldError(await e.co.admin2.post('/api/reminder-campaigns', { ...base, idempotencyKey: undefined }), 'idempotencyKey');
    expectFieldError(await e.co.admin2.post('/api/reminder-campaigns', { ...base, title: ' ' }), 'title');
    expectFieldError(await e.co.admin2.post('/api/reminder-campaigns', { ...base, channels: ['task'], assigneeId: e.co.technician.me.user.id }), 'assigneeId');
    const elsewhere = await createStaffUser(t.db, e.co, { role: 'cashier', communityIds: [e.co.communityIds[1]] });
    expectFieldError(await e.co.admin2.post('/api/reminder-campaigns', { ...base, channels: ['task'], assigneeId: elsewhere.id }), 'assigneeId');
    expectFieldError(await e.co.admin2.post('/api/reminder-campaigns', { ...base, channels: ['task'], assigneeId: other.admin.id }), 'assigneeId');
    expect(await t.db.selectFrom('reminder_campaigns').select('id').where('company_id', '=', e.co.companyId).execute()).toHaveLength(0);
    expect(await t.db.selectFrom('collection_tasks').select('id').where('company_id', '=', e.co.companyId).execute()).toHaveLength(0);
    expect(await outboxOf(e.phones)).toHaveLength(0);
  });

  it('401 anonymous, 403 without billing.collect, 400 for another company’s community', async () => {
    const e = await estate();
    const body = { communityId: e.community, title: '催缴', channels: ['sms'], asOf: AS_OF, idempotencyKey: randomUUID() };
    expect((await anonymous(t.app, 'POST', '/api/reminder-campaigns', body)).statusCode).toBe(401);
    expect((await e.co.technician.post('/api/reminder-campaigns', body)).statusCode).toBe(403);
    expectFieldError(await other.admin2.post('/api/reminder-campaigns', body), 'communityId');
    expect(await outboxOf(e.phones)).toHaveLength(0);
  });
});

describe('GET /api/reminder-campaigns and /:id', () => {
  it('lists the campaigns of the caller’s communities; the detail shows the snapshot, owed today and paid since', async () => {
    const e = await estate();
    const campaign = await createCampaign(e.co.admin2, e);
    const list = await e.collector.client.get(`/api/reminder-campaigns?communityId=${e.community}`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: campaign.id, roomCount: 4 }] });

    await pay(e.r1.id, '2026-09', 'all');
    const res = await e.co.admin2.get(`/api/reminder-campaigns/${campaign.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const recipients = byRoom(res.json().recipients as Array<{ roomId: string }>);
    // Today November is due too: r1 paid September (100 元) and owes October and November.
    expect(recipients[e.r1.id]).toMatchObject({ roomLabel: label(e.b1, e.r1), ownerName: '张伟、欧阳娜娜', owedFen: 20000, lineCount: 2, oldestDueDate: '2026-09-16', smsSent: true, inAppSent: true, currentOwedFen: 20000, paidSinceFen: 10000, taskStatus: 'open', taskOutcome: null });
    expect(recipients[e.r2.id]).toMatchObject({ owedFen: 10000, currentOwedFen: 20000, paidSinceFen: 0 });
    expect(recipients[e.r3.id]).toMatchObject({ owedFen: 17000, currentOwedFen: 27000, paidSinceFen: 0, smsSent: false });
    expect(recipients[e.r4.id].taskId).toEqual(expect.any(String));
    const masked = (await e.collector.client.get(`/api/reminder-campaigns/${campaign.id}`)).json();
    expect(byRoom(masked.recipients as Array<{ roomId: string; ownerName: string }>)[e.r2.id].ownerName).toBe(maskName('李娜'));
  });

  it('scoping: another company or community → not listed and 404; 401; 403; 400 for a bad id', async () => {
    const e = await estate();
    const campaign = await createCampaign(e.co.admin2, e);
    expect((await other.admin2.get('/api/reminder-campaigns')).json().items.map((c: { id: string }) => c.id)).not.toContain(campaign.id);
    expect((await other.admin2.get(`/api/reminder-campaigns/${campaign.id}`)).statusCode).toBe(404);
    const outsider = await createRoleUser(t.db, e.co, ['billing.read', 'billing.collect', 'billing.manage'], { communityIds: [e.co.communityIds[1]] });
    const outsiderClient = await sessionAs(t.app, t.db, outsider.id);
    expect((await outsiderClient.get('/api/reminder-campaigns')).json().total).toBe(0);
    expect((await outsiderClient.get(`/api/reminder-campaigns/${campaign.id}`)).statusCode).toBe(404);
    expect((await anonymous(t.app, 'GET', '/api/reminder-campaigns')).statusCode).toBe(401);
    expect((await anonymous(t.app, 'GET', `/api/reminder-campaigns/${campaign.id}`)).statusCode).toBe(401);
    expect((await e.co.technician.get('/api/reminder-campaigns')).statusCode).toBe(403);
    expect((await e.co.technician.get(`/api/reminder-campaigns/${campaign.id}`)).statusCode).toBe(403);
    expectFieldError(await e.co.admin2.get('/api/reminder-campaigns/not-a-uuid'), 'id');
    expectFieldError(await e.co.admin2.get('/api/reminder-campaigns?communityId=x'), 'communityId');
  });
});

describe('催缴通知书 PDFs', () => {
  const isPdf = (res: { statusCode: number; headers: Record<string, unknown>; rawPayload: Buffer; body: string }) => {
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  };

  it('a campaign’s notices (rooms still owing today, optionally one building) and notices by filter, audited', async () => {
    const e = await estate();
    const campaign = await createCampaign(e.collector.client, e);
    const all = await e.collector.client.get(`/api/reminder-campaigns/${campaign.id}/notices.pdf?payBy=2026-12-31`);
    isPdf(all);
    const [printed] = await auditRows(t.db, campaign.id, 'reminderCampaign.print');
    expect(printed.after).toMatchObject({ notices: 4, totalFen: 30000 + 20000 + 27000 + 30000, buildingId: null });
    isPdf(await e.co.admin2.get(`/api/reminder-campaigns/${campaign.id}/notices.pdf?buildingId=${e.b2.id}`));
    expect((await auditRows(t.db, campaign.id, 'reminderCampaign.print'))[1].after).toMatchObject({ notices: 1, totalFen: 27000, buildingId: e.b2.id });

    const byFilter = await e.co.admin2.post('/api/arrears/notices.pdf', { communityId: e.community, asOf: AS_OF, minOwedFen: 20000 });
    isPdf(byFilter);
    const [batch] = await auditRows(t.db, e.community, 'arrearsNotice.print');
    expect(batch.after).toMatchObject({ notices: 2, totalFen: 40000, asOf: AS_OF });
    isPdf(await e.collector.client.post('/api/arrears/notices.pdf', { communityId: e.community, roomIds: [e.r2.id] }));
  });

  it('errors: 401, 403, 404 another company’s campaign, 400 naming the field, 409 when everyone has paid', async () => {
    const e = await estate();
    const campaign = await createCampaign(e.co.admin2, e, { roomIds: [e.r2.id] });
    expect((await anonymous(t.app, 'GET', `/api/reminder-campaigns/${campaign.id}/notices.pdf`)).statusCode).toBe(401);
    expect((await anonymous(t.app, 'POST', '/api/arrears/notices.pdf', { communityId: e.community })).statusCode).toBe(401);
    expect((await e.co.technician.get(`/api/reminder-campaigns/${campaign.id}/notices.pdf`)).statusCode).toBe(403);
    expect((await e.co.technician.post('/api/arrears/notices.pdf', { communityId: e.community })).statusCode).toBe(403);
    expect((await other.admin2.get(`/api/reminder-campaigns/${campaign.id}/notices.pdf`)).statusCode).toBe(404);
    expectFieldError(await other.admin2.post('/api/arrears/notices.pdf', { communityId: e.community }), 'communityId');
    expectFieldError(await e.co.admin2.get(`/api/reminder-campaigns/${campaign.id}/notices.pdf?buildingId=${e.b3.id}`), 'buildingId');
    expectFieldError(await e.co.admin2.post('/api/arrears/notices.pdf', { communityId: e.community, roomIds: [e.r5.id] }), 'roomIds');
    expectFieldError(await e.co.admin2.post('/api/arrears/notices.pdf', { communityId: e.community, roomIds: Array.from({ length: 2001 }, () => randomUUID()) }), 'roomIds');
    expectFieldError(await e.co.admin2.post('/api/arrears/notices.pdf', { communityId: e.community, payBy: 'soon' }), 'payBy');
    for (const p of ['2026-10', '2026-11']) await pay(e.r2.id, p, 'all');
    const paid = await e.co.admin2.get(`/api/reminder-campaigns/${campaign.id}/notices.pdf`);
    expect(paid.statusCode, paid.body).toBe(409);
    expect(await auditRows(t.db, campaign.id, 'reminderCampaign.print')).toHaveLength(0);
  });
});

describe('collection tasks', () => {
  async function withTasks() {
    const e = await estate();
    const campaign = await createCampaign(e.co.admin2, e, { channels: ['task'] });
    const tasks = byRoom((await tasksOf(campaign.id)).map((k) => ({ ...k, roomId: k.room_id })));
    return { e, campaign, tasks };
  }

  it('a collector sees their own tasks (owner in full, owed today); billing.manage sees all, filtered', async () => {
    const { e, campaign, tasks } = await withTasks();
    const mine = await e.collector.client.get('/api/collection-tasks?mine=false');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().total).toBe(2);
    const own = byRoom(mine.json().items as Array<{ roomId: string }>);
    expect(Object.keys(own).sort()).toEqual(sorted(e.r1.id, e.r2.id));
    expect(own[e.r1.id]).toMatchObject({ id: tasks[e.r1.id].id, campaignId: campaign.id, campaignTitle: '11月催缴', roomLabel: label(e.b1, e.r1), ownerName: '张伟、欧阳娜娜', ownerPhone: e.o1.phone, assigneeId: e.collector.id, owedFen: 20000, currentOwedFen: 30000, status: 'open', outcome: null });
    expect((await e.collector2.client.get('/api/collection-tasks')).json().total).toBe(0);

    const all = await e.co.admin2.get(`/api/collection-tasks?communityId=${e.community}`);
    expect(all.json().total).toBe(4);
    expect((await e.co.admin2.get(`/api/collection-tasks?assigneeId=${e.collector.id}`)).json().total).toBe(2);
    expect((await e.co.admin2.get(`/api/collection-tasks?communityId=${e.community}&status=done`)).json().total).toBe(0);
    expect((await e.co.admin2.get('/api/collection-tasks?mine=true')).json().total).toBe(0);
    expect((await other.admin2.get('/api/collection-tasks')).json().items.map((k: { id: string }) => k.id)).not.toContain(tasks[e.r1.id].id);
    // A manager of another community only does not see them; a cashier who is not the assignee sees the phone masked.
    const outsider = await createRoleUser(t.db, e.co, ['billing.read', 'billing.collect', 'billing.manage'], { communityIds: [e.co.communityIds[1]] });
    expect((await (await sessionAs(t.app, t.db, outsider.id)).get('/api/collection-tasks')).json().total).toBe(0);
    const reader = await createRoleUser(t.db, e.co, ['billing.collect', 'billing.manage'], { communityIds: [e.community] });
    const seen = byRoom((await (await sessionAs(t.app, t.db, reader.id)).get(`/api/collection-tasks?communityId=${e.community}`)).json().items as Array<{ roomId: string; ownerPhone: string }>);
    expect(seen[e.r1.id].ownerPhone).toBe(`${e.o1.phone!.slice(0, 3)}****${e.o1.phone!.slice(-4)}`);

    expect((await anonymous(t.app, 'GET', '/api/collection-tasks')).statusCode).toBe(401);
    expect((await e.co.technician.get('/api/collection-tasks')).statusCode).toBe(403);
    expectFieldError(await e.co.admin2.get('/api/collection-tasks?status=closed'), 'status');
  });

  it('an outcome closes the task once; promised needs a date from today; audited', async () => {
    const { e, tasks } = await withTasks();
    const url = `/api/collection-tasks/${tasks[e.r1.id].id}/outcome`;
    const c = e.collector.client;
    expectFieldError(await c.post(url, { outcome: 'promised', note: '下周缴' }), 'promisedDate');
    expectFieldError(await c.post(url, { outcome: 'promised', promisedDate: addDays(today(), -1), note: '下周缴' }), 'promisedDate');
    expectFieldError(await c.post(url, { outcome: 'paid', promisedDate: today(), note: '已缴' }), 'promisedDate');
    expectFieldError(await c.post(url, { outcome: 'promised', promisedDate: today() }), 'note');
    expectFieldError(await c.post(url, { outcome: 'maybe', note: 'x' }), 'outcome');
    expect((await t.db.selectFrom('collection_tasks').select('status').where('id', '=', tasks[e.r1.id].id).executeTakeFirstOrThrow()).status).toBe('open');

    const promised = addDays(today(), 7);
    const res = await c.post(url, { outcome: 'promised', promisedDate: promised, note: '业主承诺下周缴清' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'done', outcome: 'promised', promisedDate: promised, note: '业主承诺下周缴清', doneBy: expect.any(String), doneAt: expect.any(String) });
    const again = await c.post(url, { outcome: 'paid', note: '已缴' });
    expect(again.statusCode).toBe(409);
    const audit = await auditRows(t.db, tasks[e.r1.id].id, 'collectionTask.outcome');
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ status: 'done', outcome: 'promised', promisedDate: promised });
    expect(audit[0].actor_id).toBe(e.collector.id);

    // Same day is fine; a manager may close any task of their communities.
    const sameDay = await e.co.admin2.post(`/api/collection-tasks/${tasks[e.r3.id].id}/outcome`, { outcome: 'promised', promisedDate: today(), note: '今天下午来缴' });
    expect(sameDay.statusCode, sameDay.body).toBe(200);
  });

  it('outcome errors: 401, 403, 404 for another company, another collector’s task, or an unknown id', async () => {
    const { e, tasks } = await withTasks();
    const body = { outcome: 'unreachable', note: '无人应答' };
    expect((await anonymous(t.app, 'POST', `/api/collection-tasks/${tasks[e.r1.id].id}/outcome`, body)).statusCode).toBe(401);
    expect((await e.co.technician.post(`/api/collection-tasks/${tasks[e.r1.id].id}/outcome`, body)).statusCode).toBe(403);
    expect((await other.admin2.post(`/api/collection-tasks/${tasks[e.r1.id].id}/outcome`, body)).statusCode).toBe(404);
    expect((await e.collector2.client.post(`/api/collection-tasks/${tasks[e.r1.id].id}/outcome`, body)).statusCode).toBe(404);
    expect((await e.collector.client.post(`/api/collection-tasks/${tasks[e.r3.id].id}/outcome`, body)).statusCode).toBe(404);
    expect((await e.co.admin2.post(`/api/collection-tasks/${randomUUID()}/outcome`, body)).statusCode).toBe(404);
    expectFieldError(await e.co.admin2.post('/api/collection-tasks/x/outcome', body), 'id');
    expect(await auditRows(t.db, tasks[e.r1.id].id)).toHaveLength(0);
  });

  it('a manager reassigns an open task to a collector of the community; audited; errors', async () => {
    const { e, tasks } = await withTasks();
    const url = (room: TestRoom) => `/api/collection-tasks/${tasks[room.id].id}/assign`;
    const res = await e.co.admin2.post(url(e.r3), { assigneeId: e.collector2.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ assigneeId: e.collector2.id, status: 'open' });
    const [audit] = await auditRows(t.db, tasks[e.r3.id].id, 'collectionTask.assign');
    expect(audit).toMatchObject({ before: { assigneeId: null }, after: { assigneeId: e.collector2.id } });
    expect((await e.collector2.client.get('/api/collection-tasks')).json().items.map((k: { id: string }) => k.id)).toEqual([tasks[e.r3.id].id]);

    expect((await anonymous(t.app, 'POST', url(e.r3), { assigneeId: e.collector.id })).statusCode).toBe(401);
    expect((await e.collector.client.post(url(e.r1), { assigneeId: e.collector2.id })).statusCode).toBe(403);
    expect((await other.admin2.post(url(e.r1), { assigneeId: other.admin.id })).statusCode).toBe(404);
    expectFieldError(await e.co.admin2.post(url(e.r1), { assigneeId: e.co.technician.me.user.id }), 'assigneeId');
    const elsewhere = await createStaffUser(t.db, e.co, { role: 'cashier', communityIds: [e.co.communityIds[1]] });
    expectFieldError(await e.co.admin2.post(url(e.r1), { assigneeId: elsewhere.id }), 'assigneeId');
    expectFieldError(await e.co.admin2.post(url(e.r1), {}), 'assigneeId');
    expect((await t.db.selectFrom('collection_tasks').select('assignee_id').where('id', '=', tasks[e.r1.id].id).executeTakeFirstOrThrow()).assignee_id).toBe(e.collector.id);

    await e.collector.client.post(`/api/collection-tasks/${tasks[e.r1.id].id}/outcome`, { outcome: 'paid', note: '已现金缴清' });
    expect((await e.co.admin2.post(url(e.r1), { assigneeId: e.collector2.id })).statusCode).toBe(409);
  });
});
