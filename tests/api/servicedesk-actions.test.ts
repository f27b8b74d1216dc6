import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createRoom } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, sessionAs } from '../helpers/api.ts';
import { autoConfirm } from '../../src/modules/servicedesk/sweep.ts';
import {
  clockOf,
  createGroup,
  createTicket,
  deskCompany,
  type DeskCompany,
  events,
  notificationsOf,
  ok,
  staff,
  type StaffClient,
  technician,
  type TicketJson,
  ticketRow,
  uploadFile,
} from '../helpers/servicedesk.ts';

/**
 * The lifecycle steps, one endpoint at a time: 401, 400 naming the field, 404 for another company's ticket, 403 for
 * a caller without the role, 409 for a step the current status does not allow, and the step itself. Then dispatch
 * modes, the grab race, offline replays and times, pause / resume clocks, deadline extension and approval.
 */

let t: TestApp;
let a: DeskCompany;
let b: DeskCompany;
let tech: StaffClient;
let tech2: StaffClient;
let manager: StaffClient;
let service: StaffClient;
let png: string;
let pdf: string;
let bTicket: string;

type Status = 'submitted' | 'accepted' | 'dispatched' | 'arrived' | 'inProgress' | 'paused' | 'completed' | 'confirmed' | 'cancelled';

beforeAll(async () => {
  t = await testApp();
  // No sampled return visits here: a confirmed ticket waiting for its visit cannot be closed by hand (followup tests cover visits).
  [a, b] = await Promise.all([deskCompany(t, { settings: { return_visit_sample_percent: 0 } }), deskCompany(t)]);
  [tech, tech2, manager, service] = await Promise.all([technician(t, a), technician(t, a), staff(t, a, 'manager'), staff(t, a, 'service')]);
  png = await uploadFile(t, tech.client);
  pdf = await uploadFile(t, tech.client, 'pdf');
  bTicket = (await createTicket(t, b)).id;
});

/** A public repair of company A brought to `status` through the API, assigned to `tech` from dispatch on. */
async function ticketAt(status: Status, opts: { kind?: 'publicRepair' | 'complaint' | 'homeRepair'; reportedAt?: string } = {}): Promise<TicketJson> {
  const kind = opts.kind ?? 'publicRepair';
  let tk = await createTicket(t, a, { kind, reportedAt: opts.reportedAt });
  const id = tk.id;
  if (status === 'submitted') return tk;
  if (status === 'cancelled') return ok(a.desk, id, 'cancel', { reason: '重复登记' });
  if (status === 'accepted') return ok(a.desk, id, 'accept');
  if (status === 'confirmed') {
    // A complaint keeps its return visit pending, so the automatic confirmation leaves it confirmed, not closed.
    const c = await createTicket(t, a, { kind: 'complaint' });
    await ok(a.desk, c.id, 'accept');
    await ok(a.desk, c.id, 'complete', { replyText: '已处理' });
    await t.db.updateTable('tickets').set({ completed_at: new Date(Date.now() - 5 * 86_400_000) }).where('id', '=', c.id).execute();
    await autoConfirm(t.app.deps, new Date());
    const row = await ticketRow(t.db, c.id);
    expect(row.status).toBe('confirmed');
    return (await a.desk.get(`/api/tickets/${c.id}`)).json();
  }
  tk = await ok(a.desk, id, 'dispatch', { assigneeId: tech.id });
  if (status === 'dispatched') return tk;
  tk = await ok(tech.client, id, 'arrive');
  if (status === 'arrived') return tk;
  tk = await ok(tech.client, id, 'start');
  if (status === 'inProgress') return tk;
  if (status === 'paused') return ok(tech.client, id, 'pause', { reason: '等配件' });
  return ok(tech.client, id, 'complete', { note: '已修好' });
}

/** What a refused step could have changed. */
async function state(id: string) {
  const row = await ticketRow(t.db, id);
  const ev = await events(t.db, id);
  const audit = await auditRows(t.db, id);
  const notes = await t.db.selectFrom('notifications').select('id').where('ticket_id', '=', id).execute();
  const mats = await t.db.selectFrom('ticket_materials').select('id').where('ticket_id', '=', id).execute();
  const att = await t.db.selectFrom('ticket_attachments').select('id').where('ticket_id', '=', id).execute();
  return { row, events: ev.length, audit: audit.length, notes: notes.length, mats: mats.length, att: att.length };
}

type Who = 'desk' | 'tech' | 'otherTech' | 'manager' | 'service';
const who = (w: Who): Client => ({ desk: a.desk, tech: tech.client, otherTech: tech2.client, manager: manager.client, service: service.client })[w];

interface Spec {
  path: string;
  by: Who;
  from: Status;
  body: (tk: TicketJson) => Record<string, unknown>;
  bad: Array<[field: string, body: (tk: TicketJson) => Record<string, unknown>]>;
  forbidden: Who;
  conflict?: { from: Status; by: Who };
  check: (after: TicketJson, before: TicketJson) => void | Promise<void>;
}

const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const SPECS: Spec[] = [
  {
    path: 'accept',
    by: 'desk',
    from: 'submitted',
    body: () => ({ note: '已受理' }),
    bad: [['note', () => ({ note: 'x'.repeat(501) })]],
    forbidden: 'tech',
    conflict: { from: 'dispatched', by: 'desk' },
    check: (tk) => {
      expect(tk.status).toBe('accepted');
      expect(clockOf(tk, 'respond')!.doneAt).not.toBeNull();
    },
  },
  {
    path: 'dispatch',
    by: 'desk',
    from: 'submitted',
    body: () => ({ assigneeId: tech.id, note: '请尽快' }),
    bad: [
      ['assigneeId', () => ({})],
      ['assigneeId', () => ({ assigneeId: tech.id, poolGroupId: randomUUID() })],
      ['assigneeId', () => ({ assigneeId: service.id })],
      ['assigneeId', () => ({ assigneeId: 'nobody' })],
    ],
    forbidden: 'tech',
    conflict: { from: 'arrived', by: 'desk' },
    check: (tk) => {
      expect(tk).toMatchObject({ status: 'dispatched', assigneeId: tech.id, inPool: false });
      expect(clockOf(tk, 'respond')!.state).toMatch(/^met/);
    },
  },
  {
    path: 'acknowledge',
    by: 'tech',
    from: 'dispatched',
    body: () => ({}),
    bad: [['at', () => ({ at: 'yesterday' })], ['note', () => ({ note: 'x'.repeat(501) })]],
    forbidden: 'otherTech',
    conflict: { from: 'arrived', by: 'tech' },
    check: (tk) => {
      expect(tk.status).toBe('dispatched');
      expect(tk.acknowledgedAt).not.toBeNull();
    },
  },
  {
    path: 'transfer',
    by: 'desk',
    from: 'dispatched',
    body: () => ({ assigneeId: tech2.id, reason: '原维修工休假' }),
    bad: [
      ['reason', () => ({ assigneeId: tech2.id })],
      ['assigneeId', () => ({ reason: '换人' })],
      ['assigneeId', () => ({ assigneeId: service.id, reason: '换人' })],
    ],
    forbidden: 'otherTech',
    conflict: { from: 'submitted', by: 'desk' },
    check: async (tk) => {
      expect(tk).toMatchObject({ status: 'dispatched', assigneeId: tech2.id, acknowledgedAt: null });
      expect((await notificationsOf(t.db, tech2.id, tk.id)).map((n) => n.kind)).toContain('assigned');
    },
  },
  {
    path: 'hand-back',
    by: 'tech',
    from: 'dispatched',
    body: () => ({ reason: '需要专业电梯公司' }),
    bad: [['reason', () => ({})], ['reason', () => ({ reason: '   ' })]],
    forbidden: 'otherTech',
    conflict: { from: 'inProgress', by: 'tech' },
    check: async (tk) => {
      expect(tk).toMatchObject({ status: 'accepted', assigneeId: null });
      expect((await notificationsOf(t.db, service.id, tk.id)).map((n) => n.kind)).toContain('handedBack');
    },
  },
  {
    path: 'arrive',
    by: 'tech',
    from: 'dispatched',
    body: () => ({ photoFileIds: [png] }),
    bad: [
      ['at', () => ({ at: new Date(Date.now() + 10 * 60_000).toISOString() })],
      ['at', (tk) => ({ at: later(tk.timeline[tk.timeline.length - 1].at, -60_000) })],
      ['photoFileIds', () => ({ photoFileIds: [pdf] })],
      ['photoFileIds.0', () => ({ photoFileIds: ['x'] })],
    ],
    forbidden: 'otherTech',
    conflict: { from: 'arrived', by: 'tech' },
    check: (tk) => {
      expect(tk.status).toBe('arrived');
      expect(clockOf(tk, 'respond')!.doneAt).not.toBeNull();
      expect(tk.attachments).toEqual([expect.objectContaining({ fileId: png, stage: 'before' })]);
    },
  },
  {
    path: 'start',
    by: 'tech',
    from: 'arrived',
    body: () => ({ photoFileIds: [png] }),
    bad: [['photoFileIds', () => ({ photoFileIds: [pdf] })], ['photoFileIds', () => ({ photoFileIds: [randomUUID()] })]],
    forbidden: 'otherTech',
    conflict: { from: 'dispatched', by: 'tech' },
    check: (tk) => {
      expect(tk.status).toBe('inProgress');
      expect(tk.attachments).toEqual([expect.objectContaining({ fileId: png, stage: 'progress' })]);
    },
  },
  {
    path: 'reply',
    by: 'desk',
    from: 'submitted',
    body: () => ({ text: '已联系电梯维保单位，今天下午到场' }),
    bad: [['text', () => ({})], ['text', () => ({ text: 'x'.repeat(2001) })]],
    forbidden: 'otherTech',
    conflict: { from: 'completed', by: 'desk' },
    check: (tk) => {
      expect(tk).toMatchObject({ status: 'submitted', replyText: '已联系电梯维保单位，今天下午到场' });
      expect(clockOf(tk, 'respond')!.doneAt).not.toBeNull();
    },
  },
  {
    path: 'complete',
    by: 'tech',
    from: 'inProgress',
    body: () => ({ note: '更换轿厢灯', chargeFen: 5000, photoFileIds: [png] }),
    bad: [
      ['chargeFen', () => ({ chargeFen: -1 })],
      ['chargeFen', () => ({ chargeFen: 1.5 })],
      ['photoFileIds', () => ({ photoFileIds: [pdf] })],
    ],
    forbidden: 'otherTech',
    conflict: { from: 'dispatched', by: 'tech' },
    check: (tk) => {
      expect(tk).toMatchObject({ status: 'completed', chargeFen: 5000 });
      expect(clockOf(tk, 'resolve')!.doneAt).not.toBeNull();
      expect(tk.attachments).toEqual([expect.objectContaining({ fileId: png, stage: 'after' })]);
    },
  },
  {
    path: 'pause',
    by: 'tech',
    from: 'inProgress',
    body: () => ({ reason: '等配件' }),
    bad: [['reason', () => ({})]],
    forbidden: 'otherTech',
    conflict: { from: 'submitted', by: 'desk' },
    check: (tk) => {
      expect(tk).toMatchObject({ status: 'paused', pausedFrom: 'inProgress' });
    },
  },
  {
    path: 'resume',
    by: 'tech',
    from: 'paused',
    body: () => ({}),
    bad: [['at', () => ({ at: 'soon' })], ['unknown', () => ({ unknown: 1 })]],
    forbidden: 'otherTech',
    conflict: { from: 'inProgress', by: 'tech' },
    check: (tk) => {
      expect(tk).toMatchObject({ status: 'inProgress', pausedFrom: null });
    },
  },
  {
    path: 'cancel',
    by: 'desk',
    from: 'submitted',
    body: () => ({ reason: '业主已自行处理' }),
    bad: [['reason', () => ({})]],
    forbidden: 'tech',
    conflict: { from: 'completed', by: 'desk' },
    check: (tk) => {
      expect(tk).toMatchObject({ status: 'cancelled', cancelReason: '业主已自行处理' });
    },
  },
  {
    path: 'close',
    by: 'desk',
    from: 'confirmed',
    body: () => ({ note: '结单' }),
    bad: [['note', () => ({ note: 'x'.repeat(501) })]],
    forbidden: 'tech',
    conflict: { from: 'completed', by: 'desk' },
    check: (tk) => {
      expect(tk.status).toBe('closed');
    },
  },
  {
    path: 'extend',
    by: 'manager',
    from: 'dispatched',
    body: (tk) => ({ clock: 'resolve', dueAt: later(clockOf(tk, 'resolve')!.dueAt, 2 * 86_400_000), reason: '等厂家配件' }),
    bad: [
      ['dueAt', (tk) => ({ clock: 'resolve', dueAt: later(clockOf(tk, 'resolve')!.dueAt, -60_000), reason: '提前' })],
      ['dueAt', (tk) => ({ clock: 'resolve', dueAt: clockOf(tk, 'resolve')!.dueAt, reason: '不变' })],
      ['clock', () => ({ clock: 'reply', dueAt: '2027-01-01T00:00:00Z', reason: '无此时限' })],
      ['reason', () => ({ clock: 'resolve', dueAt: '2027-01-01T00:00:00Z' })],
      ['dueAt', () => ({ clock: 'resolve', dueAt: 'next week', reason: '格式' })],
    ],
    forbidden: 'service',
    check: async (tk, before) => {
      const want = later(clockOf(before, 'resolve')!.dueAt, 2 * 86_400_000);
      expect(clockOf(tk, 'resolve')!.dueAt).toBe(want);
      expect(tk.status).toBe(before.status);
      const audit = await auditRows(t.db, tk.id, 'ticket.extendDeadline');
      expect(audit).toHaveLength(1);
      expect(audit[0].actor_id).toBe(manager.id);
      expect(audit[0].before).toEqual({ clock: 'resolve', dueAt: clockOf(before, 'resolve')!.dueAt });
      expect(audit[0].after).toEqual({ clock: 'resolve', dueAt: want, reason: '等厂家配件' });
      expect(tk.timeline.at(-1)).toMatchObject({ action: 'extend', note: '等厂家配件', payload: { clock: 'resolve', from: clockOf(before, 'resolve')!.dueAt, to: want } });
    },
  },
  {
    path: 'materials',
    by: 'tech',
    from: 'inProgress',
    body: () => ({ items: [{ name: '水龙头', quantity: 1, unit: '个', priceFen: 3500 }, { name: '电线', quantity: 2.35, unit: '米' }] }),
    bad: [
      ['items', () => ({ items: [] })],
      ['items.0.quantity', () => ({ items: [{ name: '水龙头', quantity: 0 }] })],
      ['items.0.priceFen', () => ({ items: [{ name: '水龙头', quantity: 1, priceFen: -5 }] })],
      ['items.0.name', () => ({ items: [{ name: '', quantity: 1 }] })],
    ],
    forbidden: 'otherTech',
    conflict: { from: 'submitted', by: 'desk' },
    check: async (tk) => {
      expect(tk.materials).toEqual([
        expect.objectContaining({ name: '水龙头', quantity: '1.00', unit: '个', priceFen: 3500 }),
        expect.objectContaining({ name: '电线', quantity: '2.35', unit: '米', priceFen: 0 }),
      ]);
      expect(await auditRows(t.db, tk.id, 'ticket.materials')).toHaveLength(1);
    },
  },
  {
    path: 'photos',
    by: 'tech',
    from: 'arrived',
    body: () => ({ fileIds: [png], stage: 'progress' }),
    bad: [
      ['fileIds', () => ({ fileIds: [], stage: 'progress' })],
      ['fileIds', () => ({ fileIds: [pdf], stage: 'progress' })],
      ['stage', () => ({ fileIds: [png], stage: 'report' })],
    ],
    forbidden: 'otherTech',
    check: (tk) => {
      expect(tk.attachments).toEqual([expect.objectContaining({ fileId: png, stage: 'progress' })]);
      expect(tk.timeline.at(-1)).toMatchObject({ action: 'photos', payload: { stage: 'progress', count: 1 } });
    },
  },
];

describe.each(SPECS)('POST /api/tickets/:id/$path', (spec) => {
  it('401 without a session', async () => {
    const tk = await ticketAt('submitted');
    const before = await state(tk.id);
    const res = await anonymous(t.app, 'POST', `/api/tickets/${tk.id}/${spec.path}`, spec.body(tk));
    expect(res.statusCode).toBe(401);
    expect(await state(tk.id)).toEqual(before);
  });

  it('200: the step is taken, written to the timeline and audited', async () => {
    const tk = await ticketAt(spec.from);
    const res = await who(spec.by).post(`/api/tickets/${tk.id}/${spec.path}`, spec.body(tk));
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json() as TicketJson;
    await spec.check(after, tk);
    expect(after.timeline.length).toBeGreaterThan(tk.timeline.length);
    if (!['extend', 'materials', 'photos'].includes(spec.path)) {
      const action = spec.path === 'hand-back' ? 'handBack' : spec.path;
      expect(after.timeline.at(-1)).toMatchObject({ action, fromStatus: tk.status, toStatus: after.status });
      expect(await auditRows(t.db, tk.id, `ticket.${action}`)).toHaveLength(1);
    }
  });

  it('400 naming the field, and nothing changes', async () => {
    const tk = await ticketAt(spec.from);
    for (const [field, body] of spec.bad) {
      const before = await state(tk.id);
      expectFieldError(await who(spec.by).post(`/api/tickets/${tk.id}/${spec.path}`, body(tk)), field);
      expect(await state(tk.id)).toEqual(before);
    }
  });

  it("404 for another company's ticket, and nothing changes", async () => {
    const before = await state(bTicket);
    const tk = await ticketAt(spec.from);
    const res = await who(spec.by).post(`/api/tickets/${bTicket}/${spec.path}`, spec.body(tk));
    expect(res.statusCode, res.body).toBe(404);
    expect(await state(bTicket)).toEqual(before);
  });

  it(`403 for ${spec.forbidden}, and nothing changes`, async () => {
    const tk = await ticketAt(spec.from);
    const before = await state(tk.id);
    const res = await who(spec.forbidden).post(`/api/tickets/${tk.id}/${spec.path}`, spec.body(tk));
    expect(res.statusCode, res.body).toBe(403);
    expect(await state(tk.id)).toEqual(before);
  });

  it.runIf(spec.conflict)('409 from a status that does not allow it, and nothing changes', async () => {
    const tk = await ticketAt(spec.conflict!.from);
    const before = await state(tk.id);
    const res = await who(spec.conflict!.by).post(`/api/tickets/${tk.id}/${spec.path}`, spec.body(tk));
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('CONFLICT');
    expect(await state(tk.id)).toEqual(before);
  });
});

describe('who may take which step', () => {
  it('the assignee may transfer their own ticket; the desk may pause, resume and complete', async () => {
    const tk = await ticketAt('dispatched');
    expect((await ok(tech.client, tk.id, 'transfer', { assigneeId: tech2.id, reason: '不在小区' })).assigneeId).toBe(tech2.id);
    const tk2 = await ticketAt('inProgress');
    await ok(a.desk, tk2.id, 'pause', { reason: '业主不在家' });
    await ok(a.desk, tk2.id, 'resume');
    expect((await ok(a.desk, tk2.id, 'complete', { note: '客服代为结单' })).status).toBe('completed');
  });

  it('the desk cannot check in for a technician, nor a technician for a colleague', async () => {
    const tk = await ticketAt('dispatched');
    expect((await a.desk.post(`/api/tickets/${tk.id}/arrive`, {})).statusCode).toBe(403);
    expect((await tech2.client.post(`/api/tickets/${tk.id}/arrive`, {})).statusCode).toBe(403);
    expect((await tech.client.post(`/api/tickets/${tk.id}/arrive`, {})).statusCode).toBe(200);
  });

  it('a technician of another community neither sees nor acts on the ticket (404)', async () => {
    const far = await technician(t, a, [a.communityIds[1]]);
    const tk = await ticketAt('dispatched');
    expect((await far.client.get(`/api/tickets/${tk.id}`)).statusCode).toBe(404);
    expect((await far.client.post(`/api/tickets/${tk.id}/arrive`, {})).statusCode).toBe(404);
    expectFieldError(await a.desk.post(`/api/tickets/${tk.id}/transfer`, { assigneeId: far.id, reason: '换人' }), 'assigneeId');
  });

  it('only ticket.extendDeadline holders extend (a technician, the desk clerk and a custom role without it: 403)', async () => {
    const tk = await ticketAt('dispatched');
    const custom = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['ticket.read', 'ticket.dispatch', 'ticket.work'])).id);
    const body = { clock: 'resolve', dueAt: later(clockOf(tk, 'resolve')!.dueAt, 3600_000), reason: '延期' };
    for (const c of [tech.client, service.client, custom]) expect((await c.post(`/api/tickets/${tk.id}/extend`, body)).statusCode).toBe(403);
    expect((await a.desk.post(`/api/tickets/${tk.id}/extend`, body)).statusCode).toBe(200);
  });

  it('extending an overdue clock recomputes its warning point and state', async () => {
    const tk = await ticketAt('dispatched', { reportedAt: '2026-09-30T10:00:00+08:00' });
    expect(clockOf(tk, 'resolve')!.state).toBe('overdue');
    const dueAt = new Date(Date.now() + 30 * 86_400_000);
    dueAt.setUTCMilliseconds(0);
    const after = await ok(manager.client, tk.id, 'extend', { clock: 'resolve', dueAt: dueAt.toISOString(), reason: '大修待审批' });
    const start = Date.parse('2026-09-30T02:00:00Z');
    const warn = new Date(start + Math.floor((dueAt.getTime() - start) * 0.8));
    expect(clockOf(after, 'resolve')).toMatchObject({ dueAt: dueAt.toISOString(), warnAt: warn.toISOString(), state: Date.now() >= warn.getTime() ? 'atRisk' : 'running' });
    expect((await ticketRow(t.db, tk.id)).resolve_state).toBe(Date.now() >= warn.getTime() ? 'atRisk' : 'running');
  });
});

describe('dispatch modes', () => {
  it('round-robin gives the group members tickets in turn', async () => {
    const group = await createGroup(t.db, a, [tech.id, tech2.id]);
    const got: Array<string | null> = [];
    for (let i = 0; i < 4; i++) {
      const tk = await createTicket(t, a);
      got.push((await ok(a.desk, tk.id, 'dispatch', { roundRobinGroupId: group })).assigneeId);
    }
    expect(got).toEqual([tech.id, tech2.id, tech.id, tech2.id]);
  });

  it('round-robin skips members who can no longer work on tickets', async () => {
    const gone = await technician(t, a);
    await t.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', gone.id).execute();
    const group = await createGroup(t.db, a, [gone.id, tech.id]);
    const tk = await createTicket(t, a);
    expect((await ok(a.desk, tk.id, 'dispatch', { roundRobinGroupId: group })).assigneeId).toBe(tech.id);
  });

  it('a pool dispatch leaves the ticket unassigned in the pool and tells the members', async () => {
    const group = await createGroup(t.db, a, [tech.id, tech2.id]);
    const tk = await createTicket(t, a);
    const pooled = await ok(a.desk, tk.id, 'dispatch', { poolGroupId: group });
    expect(pooled).toMatchObject({ status: 'submitted', inPool: true, assigneeId: null, groupId: group });
    for (const m of [tech, tech2]) {
      expect((await notificationsOf(t.db, m.id, tk.id)).map((n) => n.kind)).toContain('pool');
      expect((await m.client.get('/api/tickets/pool')).json().items.map((i: { id: string }) => i.id)).toContain(tk.id);
    }
    const outsider = await technician(t, a);
    expect((await outsider.client.get('/api/tickets/pool')).json().items.map((i: { id: string }) => i.id)).not.toContain(tk.id);
    expect((await outsider.client.post(`/api/tickets/${tk.id}/grab`)).statusCode).toBe(403);
  });

  it('400 naming the group field: unknown, another community, empty, another company', async () => {
    const tk = await createTicket(t, a);
    const far = await createGroup(t.db, a, [tech.id], { communityId: a.communityIds[1] });
    const empty = await createGroup(t.db, a, []);
    const bGroup = await createGroup(t.db, b, []);
    const cases: Array<[string, Record<string, unknown>]> = [
      ['poolGroupId', { poolGroupId: randomUUID() }],
      ['roundRobinGroupId', { roundRobinGroupId: far }],
      ['poolGroupId', { poolGroupId: empty }],
      ['roundRobinGroupId', { roundRobinGroupId: bGroup }],
      ['assigneeId', { poolGroupId: empty, roundRobinGroupId: far }],
    ];
    for (const [field, body] of cases) {
      const before = await state(tk.id);
      expectFieldError(await a.desk.post(`/api/tickets/${tk.id}/dispatch`, body), field);
      expect(await state(tk.id)).toEqual(before);
    }
  });

  it('the grab race: of two technicians exactly one gets the ticket, the other a 409 saying it was taken', async () => {
    const group = await createGroup(t.db, a, [tech.id, tech2.id]);
    const tk = await createTicket(t, a);
    await ok(a.desk, tk.id, 'dispatch', { poolGroupId: group });
    const [r1, r2] = await Promise.all([tech.client.post(`/api/tickets/${tk.id}/grab`), tech2.client.post(`/api/tickets/${tk.id}/grab`)]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const [winner, loser] = r1.statusCode === 200 ? [r1, r2] : [r2, r1];
    expect(loser.json().error.message).toBe('手慢了，该工单已被他人接走');
    const row = await ticketRow(t.db, tk.id);
    expect(row).toMatchObject({ status: 'dispatched', in_pool: false, assignee_id: winner.json().assigneeId });
    expect([tech.id, tech2.id]).toContain(row.assignee_id);
    expect((await events(t.db, tk.id)).filter((e) => e.action === 'grab')).toHaveLength(1);
    // The loser in English.
    const again = await (row.assignee_id === tech.id ? tech2 : tech).client.post(`/api/tickets/${tk.id}/grab`, undefined, { 'accept-language': 'en' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('Too late: someone else has already taken this ticket');
  });

  it('grabbing a ticket that is not in a pool: 409', async () => {
    const tk = await createTicket(t, a);
    const res = await tech.client.post(`/api/tickets/${tk.id}/grab`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('该工单不在抢单池中');
  });
});

describe('automatic dispatch on registration (dispatch_rules)', () => {
  let d: DeskCompany;
  let p1: StaffClient;
  let p2: StaffClient;
  let p3: StaffClient;
  const cat = async (kind: 'publicRepair' | 'homeRepair', code: string) =>
    (await t.db.selectFrom('ticket_categories').select('id').where('company_id', '=', d.companyId).where('kind', '=', kind).where('code', '=', code).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    d = await deskCompany(t, { communities: 1 });
    [p1, p2, p3] = await Promise.all([technician(t, d), technician(t, d), technician(t, d)]);
    const rr = await createGroup(t.db, d, [p1.id, p2.id]);
    const pool = await createGroup(t.db, d, [p2.id, p3.id]);
    const c = d.communityIds[0];
    await t.db
      .insertInto('dispatch_rules')
      .values([
        { company_id: d.companyId, community_id: c, kind: 'publicRepair', category_id: await cat('publicRepair', 'elevator'), mode: 'person', assignee_id: p3.id, priority: 10 },
        { company_id: d.companyId, community_id: c, kind: 'publicRepair', category_id: await cat('publicRepair', 'lighting'), mode: 'roundRobin', group_id: rr, priority: 10 },
        { company_id: d.companyId, community_id: c, kind: 'homeRepair', mode: 'pool', group_id: pool, priority: 50 },
        // Lower priority than the elevator rule: never chosen for lifts.
        { company_id: d.companyId, community_id: c, kind: 'publicRepair', mode: 'person', assignee_id: p1.id, priority: 90 },
      ])
      .execute();
  });

  it('a person rule assigns at once, writes an automatic dispatch event and tells the technician', async () => {
    const tk = await createTicket(t, d, { code: 'elevator' });
    expect(tk).toMatchObject({ status: 'dispatched', assigneeId: p3.id, inPool: false });
    expect(tk.timeline.map((e) => e.action)).toEqual(['create', 'dispatch']);
    expect(tk.timeline[1].payload).toMatchObject({ auto: true, assigneeId: p3.id });
    expect((await notificationsOf(t.db, p3.id, tk.id)).map((n) => n.kind)).toEqual(['assigned']);
    // The technician can go straight to work.
    await ok(p3.client, tk.id, 'arrive');
  });

  it('a round-robin rule alternates between the group members', async () => {
    const got: Array<string | null> = [];
    for (let i = 0; i < 3; i++) got.push((await createTicket(t, d, { code: 'lighting' })).assigneeId);
    expect(got).toEqual([p1.id, p2.id, p1.id]);
  });

  it('a pool rule puts the ticket in the group pool', async () => {
    const tk = await createTicket(t, d, { kind: 'homeRepair' });
    expect(tk).toMatchObject({ status: 'submitted', inPool: true, assigneeId: null });
    expect(tk.timeline.map((e) => e.action)).toEqual(['create', 'pool']);
    expect((await notificationsOf(t.db, p3.id, tk.id)).map((n) => n.kind)).toEqual(['pool']);
    expect(await notificationsOf(t.db, p1.id, tk.id)).toEqual([]);
    expect((await ok(p3.client, tk.id, 'grab')).assigneeId).toBe(p3.id);
  });

  it('the lowest-priority matching rule applies to what the specific ones do not cover', async () => {
    const tk = await createTicket(t, d, { code: 'otherPublic' });
    expect(tk.assigneeId).toBe(p1.id);
  });

  it('a rule naming someone who can no longer work leaves the ticket with the desk', async () => {
    const e = await createTicket(t, d, { kind: 'complaint' });
    expect(e.status).toBe('submitted');
    await t.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', p3.id).execute();
    try {
      const tk = await createTicket(t, d, { code: 'elevator' });
      expect(tk).toMatchObject({ status: 'submitted', assigneeId: null });
    } finally {
      await t.db.updateTable('users').set({ status: 'active' }).where('id', '=', p3.id).execute();
    }
  });

  it('rules of another community do not apply', async () => {
    const other = await deskCompany(t, { communities: 1 });
    const tk = await createTicket(t, other, { code: 'elevator' });
    expect(tk.status).toBe('submitted');
  });
});

describe('offline steps', () => {
  it('the same clientActionId sent twice records one check-in', async () => {
    const tk = await ticketAt('dispatched');
    const clientActionId = randomUUID();
    const first = await ok(tech.client, tk.id, 'arrive', { clientActionId });
    const second = await ok(tech.client, tk.id, 'arrive', { clientActionId });
    expect(second.status).toBe('arrived');
    expect(second.timeline).toEqual(first.timeline);
    expect((await events(t.db, tk.id)).filter((e) => e.action === 'arrive')).toHaveLength(1);
    expect(await auditRows(t.db, tk.id, 'ticket.arrive')).toHaveLength(1);
  });

  it('materials sent twice with one clientActionId are recorded once', async () => {
    const tk = await ticketAt('inProgress');
    const body = { items: [{ name: '阀门', quantity: 1 }], clientActionId: randomUUID() };
    await ok(tech.client, tk.id, 'materials', body);
    const again = await ok(tech.client, tk.id, 'materials', body);
    expect(again.materials).toHaveLength(1);
  });

  it('an offline check-in keeps its real time: earlier than now but after the last step', async () => {
    const tk = await ticketAt('dispatched', { reportedAt: new Date(Date.now() - 60 * 60_000).toISOString() });
    // The dispatch happened 40 minutes ago.
    await t.db.updateTable('ticket_events').set({ at: new Date(Date.now() - 40 * 60_000) }).where('ticket_id', '=', tk.id).execute();
    const at = new Date(Date.now() - 15 * 60_000);
    at.setUTCMilliseconds(0);
    const after = await ok(tech.client, tk.id, 'arrive', { at: at.toISOString(), clientActionId: randomUUID() });
    expect(after.timeline.at(-1)).toMatchObject({ action: 'arrive', at: at.toISOString() });
    expect(clockOf(after, 'respond')!.doneAt).toBe(clockOf(tk, 'respond')!.doneAt); // stopped earlier, by the dispatch
    const row = await ticketRow(t.db, tk.id);
    expect(row.arrived_at?.toISOString()).toBe(at.toISOString());
  });

  it("an offline check-in dated before the previous step or in the future is refused (400 at)", async () => {
    const tk = await ticketAt('dispatched');
    await t.db.updateTable('ticket_events').set({ at: new Date(Date.now() - 10 * 60_000) }).where('ticket_id', '=', tk.id).execute();
    const before = await state(tk.id);
    expectFieldError(await tech.client.post(`/api/tickets/${tk.id}/arrive`, { at: new Date(Date.now() - 20 * 60_000).toISOString() }), 'at');
    expectFieldError(await tech.client.post(`/api/tickets/${tk.id}/arrive`, { at: new Date(Date.now() + 5 * 60_000).toISOString() }), 'at');
    expect(await state(tk.id)).toEqual(before);
  });

  it('a phone a few seconds ahead of the server is accepted, its time taken as now', async () => {
    const tk = await ticketAt('dispatched');
    const sent = new Date(Date.now() + 20_000).toISOString();
    const after = await ok(tech.client, tk.id, 'arrive', { at: sent });
    expect(Date.parse(after.timeline.at(-1)!.at)).toBeLessThanOrEqual(Date.now());
  });

  it('the urgent arrive clock is met when the real check-in time is within 10 minutes', async () => {
    const reported = new Date(Date.now() - 30 * 60_000);
    reported.setUTCMilliseconds(0);
    const tk = await createTicket(t, a, { kind: 'homeRepair', urgency: 'urgent', reportedAt: reported.toISOString() });
    await ok(a.desk, tk.id, 'dispatch', { assigneeId: tech.id });
    await t.db.updateTable('ticket_events').set({ at: new Date(reported.getTime() + 2 * 60_000) }).where('ticket_id', '=', tk.id).execute();
    const after = await ok(tech.client, tk.id, 'arrive', { at: new Date(reported.getTime() + 9 * 60_000).toISOString() });
    expect(clockOf(after, 'arrive')).toMatchObject({ state: 'met', doneAt: new Date(reported.getTime() + 9 * 60_000).toISOString() });
  });
});

describe('pause and resume', () => {
  it('when the policy stops the clock, resuming moves every running deadline by the paused time', async () => {
    const tk = await ticketAt('paused');
    const before = await ticketRow(t.db, tk.id);
    expect(before.pause_stops_clock).toBe(true);
    const pausedAt = new Date(Date.now() - 2 * 3600_000);
    await t.db.updateTable('tickets').set({ paused_at: pausedAt }).where('id', '=', tk.id).execute();
    await ok(tech.client, tk.id, 'resume');
    const after = await ticketRow(t.db, tk.id);
    const shift = after.resolve_due_at!.getTime() - before.resolve_due_at!.getTime();
    expect(shift).toBeGreaterThanOrEqual(2 * 3600_000);
    expect(shift).toBeLessThan(2 * 3600_000 + 30_000);
    expect(after.resolve_warn_at!.getTime() - before.resolve_warn_at!.getTime()).toBe(shift);
    // A clock already met does not move.
    expect(after.respond_due_at).toEqual(before.respond_due_at);
    expect(after).toMatchObject({ status: 'inProgress', paused_at: null, paused_from: null });
  });

  it('when the policy does not stop the clock, the deadlines stay', async () => {
    const tk = await ticketAt('paused');
    await t.db.updateTable('tickets').set({ paused_at: new Date(Date.now() - 3600_000), pause_stops_clock: false }).where('id', '=', tk.id).execute();
    const before = await ticketRow(t.db, tk.id);
    await ok(tech.client, tk.id, 'resume');
    expect((await ticketRow(t.db, tk.id)).resolve_due_at).toEqual(before.resolve_due_at);
  });

  it('resume returns to the status paused from', async () => {
    const tk = await ticketAt('dispatched');
    await ok(tech.client, tk.id, 'pause', { reason: '业主改约' });
    expect((await ok(tech.client, tk.id, 'resume')).status).toBe('dispatched');
  });

  it('a paused ticket may be cancelled by the desk', async () => {
    const tk = await ticketAt('paused');
    expect((await ok(a.desk, tk.id, 'cancel', { reason: '业主取消' })).status).toBe('cancelled');
  });
});

describe('cancel', () => {
  it('stops the open clocks without an outcome and tells the assignee', async () => {
    const tk = await ticketAt('dispatched');
    const after = await ok(a.desk, tk.id, 'cancel', { reason: '业主自行修好' });
    const row = await ticketRow(t.db, tk.id);
    expect(row.resolve_state).toBeNull();
    expect(row.in_pool).toBe(false);
    expect(after.actions).toEqual([]);
    expect((await notificationsOf(t.db, tech.id, tk.id)).map((n) => n.kind)).toContain('cancelled');
  });
});

describe('medium and major repairs wait for approval', () => {
  it('start and complete are 409 until approved, then work goes on', async () => {
    const tk = await createTicket(t, a, { repairSize: 'major', title: '屋面防水大修' });
    expect(tk.approvalStatus).toBe('pending');
    await ok(a.desk, tk.id, 'dispatch', { assigneeId: tech.id });
    await ok(tech.client, tk.id, 'arrive');
    const refused = await tech.client.post(`/api/tickets/${tk.id}/start`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('中修/大修须经业委会批准后才能开工');
    expect((await tech.client.post(`/api/tickets/${tk.id}/complete`, {})).statusCode).toBe(409);
    expect((await ticketRow(t.db, tk.id)).status).toBe('arrived');
    // The administrator holds ticket.approveMajor; quorum is 1.
    expect((await ok(a.desk, tk.id, 'vote', { decision: 'approve' })).approvalStatus).toBe('approved');
    expect((await ok(tech.client, tk.id, 'start')).status).toBe('inProgress');
  });

  it('a small repair needs no approval', async () => {
    const tk = await createTicket(t, a, { repairSize: 'small' });
    expect(tk.approvalStatus).toBe('notNeeded');
  });
});

describe('a complaint is handled at the desk', () => {
  it('accepted, replied to and completed without a site visit', async () => {
    const tk = await createTicket(t, a, { kind: 'complaint', code: 'attitude', reporterPhone: '13900001111' });
    await ok(a.desk, tk.id, 'accept');
    const replied = await ok(a.desk, tk.id, 'reply', { text: '已约谈当事员工' });
    expect(clockOf(replied, 'reply')!.state).toBe('met');
    expect((await ok(a.desk, tk.id, 'complete', { replyText: '已书面答复' })).status).toBe('completed');
  });

  it('a repair cannot be completed straight from the desk', async () => {
    const tk = await createTicket(t, a);
    await ok(a.desk, tk.id, 'accept');
    expect((await a.desk.post(`/api/tickets/${tk.id}/complete`, {})).statusCode).toBe(409);
  });
});

describe('room repairs', () => {
  it('records the room label for a home repair', async () => {
    const room = await createRoom(t.db, { company: a, communityId: a.communityIds[0], number: '1203', floor: 12 });
    const tk = await createTicket(t, a, { kind: 'homeRepair', room });
    expect(tk.roomLabel).toContain('1203');
  });
});
