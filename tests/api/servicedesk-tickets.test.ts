import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, companyRows, createOwnerUser, createResident, createRoom, linkResidentToRoom, type TestRoom, uniquePhone } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, sessionAs } from '../helpers/api.ts';
import { categoryId, clockOf, createTicket, deskCompany, type DeskCompany, ok, staff, type StaffClient, technician, ticketBody, ticketRow, uploadFile } from '../helpers/servicedesk.ts';

/**
 * Registering and reading tickets: POST /api/tickets (validation that names the field and changes nothing, clocks
 * from the time limits, the timeline, audit, attachments, offline idempotency, numbering), the queue's filters and
 * community scoping, and the owner's own endpoints. Company A has two communities; company B is the outsider.
 */

let t: TestApp;
let a: DeskCompany;
let b: DeskCompany;
let tech: StaffClient;

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([deskCompany(t), deskCompany(t)]);
  tech = await technician(t, a);
});

/** Every row a refused registration could have written. */
async function snapshot(companyId: string) {
  const rows = await companyRows(t.db, companyId, ['tickets', 'ticket_events', 'ticket_attachments', 'notifications', 'sms_outbox', 'audit_log']);
  const counters = await t.db.selectFrom('ticket_counters').selectAll().where('company_id', '=', companyId).execute();
  return { ...rows, counters };
}

describe('ticket endpoints need a session', () => {
  const id = randomUUID();
  it.each([
    ['GET', '/api/tickets'],
    ['POST', '/api/tickets'],
    ['GET', `/api/tickets/${id}`],
    ['GET', '/api/tickets/pool'],
    ['GET', '/api/owner/tickets'],
    ['POST', '/api/owner/tickets'],
    ['GET', `/api/owner/tickets/${id}`],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'GET' ? undefined : {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('POST /api/tickets refuses what is wrong, names the field and changes nothing', () => {
  let c2Room: TestRoom;
  let inactiveCat: string;
  let pdfId: string;
  let pngOfB: string;

  beforeAll(async () => {
    c2Room = await createRoom(t.db, { company: a, communityId: a.communityIds[1] });
    inactiveCat = (await t.db.insertInto('ticket_categories').values({ company_id: a.companyId, kind: 'publicRepair', code: 'retired', name: '停用类别', active: false }).returning('id').executeTakeFirstOrThrow()).id;
    pdfId = await uploadFile(t, a.desk, 'pdf');
    pngOfB = await uploadFile(t, b.desk, 'png');
  });

  const cases: Array<[string, string, () => Promise<Record<string, unknown>>]> = [
    ['unknown categoryId', 'categoryId', async () => ({ ...(await ticketBody(t, a)), categoryId: randomUUID() })],
    ['a category of another kind', 'categoryId', async () => ({ ...(await ticketBody(t, a)), categoryId: await categoryId(t.db, a.companyId, 'complaint', 'noise') })],
    ['an inactive category', 'categoryId', async () => ({ ...(await ticketBody(t, a)), categoryId: inactiveCat })],
    ["another company's category", 'categoryId', async () => ({ ...(await ticketBody(t, a)), categoryId: await categoryId(t.db, b.companyId, 'publicRepair', 'elevator') })],
    ['unknown roomId', 'roomId', async () => ({ ...(await ticketBody(t, a, { kind: 'homeRepair' })), roomId: randomUUID() })],
    ['a room of another community', 'roomId', async () => ticketBody(t, a, { kind: 'homeRepair', room: c2Room })],
    ['a home repair without a room', 'roomId', async () => ({ ...(await ticketBody(t, a, { kind: 'homeRepair', roomId: undefined })), roomId: undefined, location: '大堂' })],
    ['neither room nor location', 'roomId', async () => ({ ...(await ticketBody(t, a)), location: undefined })],
    ['reportedAt in the future', 'reportedAt', async () => ticketBody(t, a, { reportedAt: new Date(Date.now() + 5 * 60_000).toISOString() })],
    ['reportedAt not an ISO time', 'reportedAt', async () => ticketBody(t, a, { reportedAt: '2026-09-30 10:00' })],
    ['a PDF as a photo', 'photoFileIds', async () => ticketBody(t, a, { photoFileIds: [pdfId] })],
    ['an unknown photo id', 'photoFileIds', async () => ticketBody(t, a, { photoFileIds: [randomUUID()] })],
    ["another company's photo", 'photoFileIds', async () => ticketBody(t, a, { photoFileIds: [pngOfB] })],
    ['a bad reporter phone', 'reporterPhone', async () => ticketBody(t, a, { reporterPhone: '12345' })],
    ['an unknown kind', 'kind', async () => ({ ...(await ticketBody(t, a)), kind: 'repair' })],
    ['an empty title', 'title', async () => ticketBody(t, a, { title: '  ' })],
    ['an unknown field', 'assigneeId', async () => ticketBody(t, a, { assigneeId: randomUUID() })],
    ["another company's community", 'communityId', async () => ({ ...(await ticketBody(t, a)), communityId: b.communityIds[0] })],
    ["another company's resident as reporter", 'reporterResidentId', async () => ticketBody(t, a, { reporterResidentId: (await createResident(t.db, { company: b })).id })],
  ];

  it.each(cases)('%s → 400 %s', async (_name, field, body) => {
    const payload = await body();
    const before = await snapshot(a.companyId);
    const res = await a.desk.post('/api/tickets', payload);
    expectFieldError(res, field);
    expect(await snapshot(a.companyId)).toEqual(before);
  });

  it('a staff member limited to community 1 cannot register for community 2 (400 communityId)', async () => {
    const svc = await staff(t, a, 'service', [a.communityIds[0]]);
    const before = await snapshot(a.companyId);
    expectFieldError(await svc.client.post('/api/tickets', await ticketBody(t, a, { communityId: a.communityIds[1] })), 'communityId');
    expect(await snapshot(a.companyId)).toEqual(before);
  });

  it('403 for a role without ticket.create, and nothing is written', async () => {
    const readOnly = await createRoleUser(t.db, a, ['ticket.read', 'community.read']);
    const clients: Client[] = [tech.client, await sessionAs(t.app, t.db, readOnly.id)];
    for (const c of clients) {
      const before = await snapshot(a.companyId);
      const res = await c.post('/api/tickets', await ticketBody(t, a));
      expect(res.statusCode, res.body).toBe(403);
      expect(await snapshot(a.companyId)).toEqual(before);
    }
  });
});

describe('POST /api/tickets registers a ticket', () => {
  it('counts a 3-working-day public repair across National Day from reportedAt: due Sat 2026-10-10 17:30 (调休)', async () => {
    const tk = await createTicket(t, a, { kind: 'publicRepair', code: 'elevator', reportedAt: '2026-09-30T10:00:00+08:00', channel: 'hotline', reporterName: '李先生', reporterPhone: '13800005678' });
    expect(tk).toMatchObject({ status: 'submitted', kind: 'publicRepair', channel: 'hotline', reportedAt: '2026-09-30T02:00:00.000Z', policyNote: '公共部位维修：≤3个工作日', beyondCalendar: false, approvalStatus: 'notNeeded' });
    expect(tk.clocks).toEqual([
      { clock: 'respond', dueAt: '2026-09-30T02:30:00.000Z', warnAt: '2026-09-30T02:24:00.000Z', doneAt: null, state: 'overdue' },
      { clock: 'resolve', dueAt: '2026-10-10T09:30:00.000Z', warnAt: '2026-10-08T08:00:00.000Z', doneAt: null, state: 'overdue' },
    ]);
    expect(tk.worstClock).toBe('overdue');
    const row = await ticketRow(t.db, tk.id);
    expect(row.resolve_due_at?.toISOString()).toBe('2026-10-10T09:30:00.000Z');
    expect(row.resolve_state).toBe('overdue');
  });

  it('an urgent home repair: someone on site within 10 minutes (respond 5, arrive 10, resolve 4 h)', async () => {
    const tk = await createTicket(t, a, { kind: 'homeRepair', urgency: 'urgent', title: '水管爆裂' });
    const reported = Date.parse(tk.reportedAt as string);
    const due = (c: string) => Date.parse(clockOf(tk, c)!.dueAt) - reported;
    expect(tk.clocks.map((c) => c.clock)).toEqual(['respond', 'arrive', 'resolve']);
    expect(due('respond')).toBe(5 * 60_000);
    expect(due('arrive')).toBe(10 * 60_000);
    expect(due('resolve')).toBe(4 * 3600_000);
    expect(tk.clocks.every((c) => c.state === 'running')).toBe(true);
    expect(Math.abs(reported - Date.now())).toBeLessThan(60_000);
  });

  it('the simple-repair category overrides the kind: done within half a business day', async () => {
    const tk = await createTicket(t, a, { kind: 'homeRepair', code: 'simple', reportedAt: '2026-11-20T11:00:00+08:00' });
    expect(clockOf(tk, 'resolve')!.dueAt).toBe('2026-11-20T08:30:00.000Z'); // 11:00 + 1 h before lunch + 3 h after 13:30 = 16:30
    expect(tk.policyNote).toBe('简单维修：半天内完成');
  });

  it('writes the create event, an audit row and the report photos', async () => {
    const photo = await uploadFile(t, a.desk);
    const tk = await createTicket(t, a, { photoFileIds: [photo], description: '三号电梯异响' });
    expect(tk.timeline).toHaveLength(1);
    expect(tk.timeline[0]).toMatchObject({ action: 'create', toStatus: 'submitted' });
    expect(tk.timeline[0].payload).toMatchObject({ channel: 'frontDesk', reportedAt: tk.reportedAt });
    expect(tk.attachments).toEqual([{ fileId: photo, stage: 'report', url: `/api/files/${photo}` }]);
    const audit = await auditRows(t.db, tk.id, 'ticket.create');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ company_id: a.companyId, actor_id: a.admin.id, entity_type: 'ticket' });
    expect(audit[0].after).toMatchObject({ no: tk.no, kind: 'publicRepair', communityId: a.communityIds[0], status: 'submitted' });
  });

  it('fills the reporter from a resident record, and tells the dispatchers of the community', async () => {
    const room = await createRoom(t.db, { company: a, communityId: a.communityIds[0] });
    const r = await createResident(t.db, { room, name: '王阿姨' });
    const svc = await staff(t, a, 'service', [a.communityIds[0]]);
    const otherSvc = await staff(t, a, 'service', [a.communityIds[1]]);
    const tk = await createTicket(t, a, { kind: 'homeRepair', room, reporterResidentId: r.id });
    expect(tk).toMatchObject({ reporterName: '王阿姨', reporterPhone: r.phone, roomId: room.id, roomLabel: expect.stringContaining(room.number) });
    const told = await t.db.selectFrom('notifications').select(['user_id', 'kind']).where('ticket_id', '=', tk.id).execute();
    expect(told).toContainEqual({ user_id: svc.id, kind: 'new' });
    expect(told.map((n) => n.user_id)).not.toContain(otherSvc.id);
    expect(told.map((n) => n.user_id)).not.toContain(a.admin.id); // the registrar is not told of their own ticket
  });

  it('a replayed offline report (same clientActionId) creates one ticket', async () => {
    const clientActionId = randomUUID();
    const body = await ticketBody(t, a, { clientActionId });
    const first = await a.desk.post('/api/tickets', body);
    const second = await a.desk.post('/api/tickets', body);
    expect(first.statusCode, first.body).toBe(201);
    expect([200, 201]).toContain(second.statusCode);
    expect(second.json().id).toBe(first.json().id);
    const rows = await t.db.selectFrom('tickets').select('id').where('company_id', '=', a.companyId).where('client_ref', '=', clientActionId).execute();
    expect(rows).toHaveLength(1);
    expect(await t.db.selectFrom('ticket_events').select('id').where('ticket_id', '=', rows[0].id).execute()).toHaveLength(1);
    expect(await auditRows(t.db, rows[0].id, 'ticket.create')).toHaveLength(1);
  });

  it('the same offline report sent twice at once creates one ticket', async () => {
    const clientActionId = randomUUID();
    const body = await ticketBody(t, a, { clientActionId });
    const results = await Promise.all([a.desk.post('/api/tickets', body), a.desk.post('/api/tickets', body), a.desk.post('/api/tickets', body)]);
    for (const r of results) expect([200, 201], r.body).toContain(r.statusCode);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    const rows = await t.db.selectFrom('tickets').select('id').where('company_id', '=', a.companyId).where('client_ref', '=', clientActionId).execute();
    expect(rows).toHaveLength(1);
  });

  it('numbers tickets per company and local day, kind prefix + date + running number', async () => {
    const fresh = await deskCompany(t, { communities: 1 });
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date()).replaceAll('-', '');
    const t1 = await createTicket(t, fresh, { kind: 'publicRepair' });
    const t2 = await createTicket(t, fresh, { kind: 'homeRepair' });
    const t3 = await createTicket(t, fresh, { kind: 'complaint' });
    const t4 = await createTicket(t, fresh, { kind: 'inquiry' });
    const t5 = await createTicket(t, fresh, { kind: 'paidService' });
    expect([t1.no, t2.no, t3.no, t4.no, t5.no]).toEqual([`GW${day}0001`, `WX${day}0002`, `TS${day}0003`, `ZX${day}0004`, `TY${day}0005`]);
    const other = await deskCompany(t, { communities: 1 });
    expect((await createTicket(t, other)).no).toBe(`GW${day}0001`);
  });

  it('tickets registered at once get distinct numbers', async () => {
    const fresh = await deskCompany(t, { communities: 1 });
    const bodies = await Promise.all([1, 2, 3, 4].map(() => ticketBody(t, fresh)));
    const res = await Promise.all(bodies.map((body) => fresh.desk.post('/api/tickets', body)));
    for (const r of res) expect(r.statusCode, r.body).toBe(201);
    expect(res.map((r) => r.json().no.slice(-4)).sort()).toEqual(['0001', '0002', '0003', '0004']);
  });
});

describe('GET /api/tickets and /api/tickets/:id', () => {
  let l: DeskCompany;
  let ltech: StaffClient;
  const tk: Record<string, string> = {};

  beforeAll(async () => {
    l = await deskCompany(t);
    ltech = await technician(t, l);
    tk.old = (await createTicket(t, l, { code: 'elevator', reportedAt: '2026-09-30T10:00:00+08:00', title: '电梯异响', reporterName: '李四' })).id;
    tk.mine = (await createTicket(t, l, { kind: 'homeRepair', title: '厨房漏水' })).id;
    await ok(l.desk, tk.mine, 'dispatch', { assigneeId: ltech.id });
    tk.atRisk = (await createTicket(t, l, { kind: 'complaint', code: 'otherComplaint', reportedAt: new Date(Date.now() - 26 * 60_000).toISOString(), title: '垃圾未清运' })).id;
    tk.late = (await createTicket(t, l, { communityId: l.communityIds[1], reportedAt: '2026-09-30T23:30:00+08:00', title: '二期路灯' })).id;
    tk.cancelled = (await createTicket(t, l, { title: '误报' })).id;
    await ok(l.desk, tk.cancelled, 'cancel', { reason: '重复登记' });
  });

  const ids = async (client: Client, query: string) => {
    const res = await client.get(`/api/tickets${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as Array<{ id: string }>).map((i) => i.id).sort();
  };
  const of = (...names: string[]) => names.map((n) => tk[n]).sort();

  it.each([
    ['', ['old', 'mine', 'atRisk', 'late', 'cancelled']],
    ['?status=dispatched', ['mine']],
    ['?status=submitted&status=cancelled', ['old', 'atRisk', 'late', 'cancelled']],
    ['?open=true', ['old', 'mine', 'atRisk', 'late']],
    ['?open=false', ['cancelled']],
    ['?kind=complaint', ['atRisk']],
    ['?kind=homeRepair', ['mine']],
    ['?clockState=overdue', ['old', 'late']],
    ['?clockState=atRisk', ['atRisk']],
    [`?q=${encodeURIComponent('电梯异响')}`, ['old']],
    [`?q=${encodeURIComponent('李四')}`, ['old']],
    ['?from=2026-09-30&to=2026-09-30', ['old', 'late']],
    ['?from=2026-10-01&to=2026-10-31', []],
    ['?to=2026-09-29', []],
    ['?from=2026-11-01', ['mine', 'atRisk', 'cancelled']],
  ])('%s', async (query, want) => {
    expect(await ids(l.desk, query)).toEqual(of(...want));
  });

  it('communityId filters, q finds a ticket number', async () => {
    expect(await ids(l.desk, `?communityId=${l.communityIds[1]}`)).toEqual(of('late'));
    const no = (await ticketRow(t.db, tk.mine)).no;
    expect(await ids(l.desk, `?q=${no}`)).toEqual(of('mine'));
  });

  it('assigneeId=me is the caller’s own queue', async () => {
    expect(await ids(ltech.client, '?assigneeId=me')).toEqual(of('mine'));
    expect(await ids(l.desk, '?assigneeId=me')).toEqual([]);
    expect(await ids(l.desk, `?assigneeId=${ltech.id}`)).toEqual(of('mine'));
  });

  it('400 for a bad filter', async () => {
    expectFieldError(await l.desk.get('/api/tickets?status=done'), 'status');
    expectFieldError(await l.desk.get('/api/tickets?from=2026-13-01'), 'from');
    expectFieldError(await l.desk.get('/api/tickets?clockState=running'), 'clockState');
  });

  it('a staff member of community 1 neither lists nor opens community 2 tickets (404)', async () => {
    const svc = await staff(t, l, 'service', [l.communityIds[0]]);
    expect(await ids(svc.client, '')).toEqual(of('old', 'mine', 'atRisk', 'cancelled'));
    expect(await ids(svc.client, `?communityId=${l.communityIds[1]}`)).toEqual([]);
    const res = await svc.client.get(`/api/tickets/${tk.late}`);
    expect(res.statusCode).toBe(404);
    expect((await svc.client.get(`/api/tickets/${tk.old}`)).statusCode).toBe(200);
  });

  it("another company's ticket is a 404, never listed", async () => {
    expect((await b.desk.get(`/api/tickets/${tk.old}`)).statusCode).toBe(404);
    expect(await ids(b.desk, `?q=${encodeURIComponent('电梯异响')}`)).not.toContain(tk.old);
  });

  it('403 for an account without ticket.read', async () => {
    const cashier = await staff(t, l, 'cashier');
    expect((await cashier.client.get('/api/tickets')).statusCode).toBe(403);
    expect((await cashier.client.get(`/api/tickets/${tk.old}`)).statusCode).toBe(403);
  });

  it('the detail shows the timeline, clocks and the steps the caller may take', async () => {
    const desk = (await l.desk.get(`/api/tickets/${tk.old}`)).json();
    expect(desk.actions).toEqual(expect.arrayContaining(['accept', 'dispatch', 'reply', 'cancel']));
    expect(desk.actions).not.toContain('arrive');
    const techView = (await ltech.client.get(`/api/tickets/${tk.mine}`)).json();
    expect(techView.actions).toEqual(expect.arrayContaining(['acknowledge', 'arrive', 'transfer', 'handBack', 'pause']));
    expect(techView.actions).not.toContain('dispatch');
  });
});

describe('owner endpoints', () => {
  let room1: TestRoom;
  let room2: TestRoom;
  let owner1: Client;
  let owner2: Client;
  let phone1: string;

  beforeAll(async () => {
    room1 = await createRoom(t.db, { company: a, communityId: a.communityIds[0] });
    room2 = await createRoom(t.db, { company: a, communityId: a.communityIds[1] });
    phone1 = uniquePhone();
    await createResident(t.db, { room: room1, phone: phone1 });
    owner1 = await sessionAs(t.app, t.db, (await createOwnerUser(t.db, a, phone1)).id);
    // The second owner is a tenant of room 2, tied by users.resident_id rather than the phone.
    const r2 = await createResident(t.db, { company: a, communityId: a.communityIds[1] });
    await linkResidentToRoom(t.db, room2, r2, { relation: 'tenant' });
    const u2 = await createOwnerUser(t.db, a);
    await t.db.updateTable('users').set({ resident_id: r2.id }).where('id', '=', u2.id).execute();
    owner2 = await sessionAs(t.app, t.db, u2.id);
  });

  const ownerBody = async (room: TestRoom, extra: Record<string, unknown> = {}) => ({ roomId: room.id, kind: 'homeRepair', categoryId: await categoryId(t.db, a.companyId, 'homeRepair', 'drain'), title: '下水道堵了', ...extra });

  it('an owner reports for their own room: the reporter is the owner, the phone unmasked for them, masked for a technician', async () => {
    const res = await owner1.post('/api/owner/tickets', await ownerBody(room1));
    expect(res.statusCode, res.body).toBe(201);
    const tk = res.json();
    expect(tk).toMatchObject({ status: 'submitted', channel: 'ownerApp', roomId: room1.id, communityId: a.communityIds[0], reporterPhone: phone1, severity: 'ordinary' });
    expect((await owner1.get(`/api/owner/tickets/${tk.id}`)).json().reporterPhone).toBe(phone1);
    expect((await tech.client.get(`/api/tickets/${tk.id}`)).json().reporterPhone).toBe(masked(phone1));
    const row = await ticketRow(t.db, tk.id);
    expect(row.reporter_user_id).toBe(owner1.me.user.id);
    const sms = await t.db.selectFrom('sms_outbox').select(['template', 'body']).where('phone', '=', phone1).execute();
    expect(sms.map((s) => s.template)).toContain('sms.ticketReceived');
  });

  it('a tenant reports for the room they rent', async () => {
    const res = await owner2.post('/api/owner/tickets', await ownerBody(room2));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().communityId).toBe(a.communityIds[1]);
  });

  it("400 roomId for someone else's room or an unknown one, and nothing is written", async () => {
    for (const roomId of [room2.id, randomUUID()]) {
      const before = await snapshot(a.companyId);
      expectFieldError(await owner1.post('/api/owner/tickets', await ownerBody(room1, { roomId })), 'roomId');
      expect(await snapshot(a.companyId)).toEqual(before);
    }
  });

  it('400 naming the field for a bad category, and the desk-only fields are refused', async () => {
    expectFieldError(await owner1.post('/api/owner/tickets', await ownerBody(room1, { categoryId: await categoryId(t.db, a.companyId, 'complaint', 'noise') })), 'categoryId');
    expectFieldError(await owner1.post('/api/owner/tickets', await ownerBody(room1, { reportedAt: '2026-09-30T10:00:00+08:00' })), 'reportedAt');
    expectFieldError(await owner1.post('/api/owner/tickets', await ownerBody(room1, { severity: 'major' })), 'severity');
  });

  it("an owner's photo must be their own upload", async () => {
    const staffPhoto = await uploadFile(t, a.desk);
    expectFieldError(await owner1.post('/api/owner/tickets', await ownerBody(room1, { photoFileIds: [staffPhoto] })), 'photoFileIds');
    const mine = await uploadFile(t, owner1);
    const res = await owner1.post('/api/owner/tickets', await ownerBody(room1, { photoFileIds: [mine] }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().attachments).toEqual([expect.objectContaining({ fileId: mine, stage: 'report' })]);
  });

  it("sees only their own tickets: another owner's is a 404 and not listed", async () => {
    const other = (await owner2.post('/api/owner/tickets', await ownerBody(room2))).json();
    const mine = (await owner1.post('/api/owner/tickets', await ownerBody(room1))).json();
    expect((await owner1.get(`/api/owner/tickets/${other.id}`)).statusCode).toBe(404);
    expect((await owner1.get(`/api/tickets/${other.id}`)).statusCode).toBe(404);
    const list = (await owner1.get('/api/owner/tickets')).json().items.map((i: { id: string }) => i.id);
    expect(list).toContain(mine.id);
    expect(list).not.toContain(other.id);
    const deskTicket = await createTicket(t, a, { kind: 'homeRepair', room: room1 });
    expect((await owner1.get(`/api/owner/tickets/${deskTicket.id}`)).statusCode).toBe(404);
  });

  it('an owner cannot use the desk endpoints', async () => {
    expect((await owner1.post('/api/tickets', await ticketBody(t, a))).statusCode).toBe(403);
    expect((await owner1.get('/api/tickets')).statusCode).toBe(403);
  });

  it('staff cannot use the owner endpoints', async () => {
    expect((await a.desk.post('/api/owner/tickets', await ownerBody(room1))).statusCode).toBe(403);
    expect((await a.desk.get('/api/owner/tickets')).statusCode).toBe(403);
  });
});

describe('time zone of the numbering day', () => {
  it('uses the community time zone for the day in the number', async () => {
    const fresh = await deskCompany(t, { communities: 1 });
    await t.db.updateTable('communities').set({ time_zone: 'America/Los_Angeles' }).where('id', '=', fresh.communityIds[0]).execute();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date()).replaceAll('-', '');
    const tk = await createTicket(t, fresh);
    expect(tk.no).toBe(`GW${day}0001`);
    const { rows } = await sql<{ day: string }>`SELECT day::text AS day FROM ticket_counters WHERE company_id = ${fresh.companyId}`.execute(t.db);
    expect(rows.map((r) => r.day.replaceAll('-', ''))).toEqual([day]);
  });
});
