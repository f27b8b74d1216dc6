import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, testConfig, openTestDatabase, type TestApp } from '../helpers/app.ts';
import { buildApp } from '../../src/app.ts';
import { createOwnerUser, createResident, createRoom, uniquePhone } from '../helpers/factories.ts';
import { sessionAs } from '../helpers/api.ts';
import { autoConfirm, sweepClocks } from '../../src/modules/servicedesk/sweep.ts';
import { invalidateDeskCache } from '../../src/modules/servicedesk/config.ts';
import { advance, clockOf, createTicket, deskCompany, type DeskCompany, ok, staff, type StaffClient, technician, ticketRow, uploadFile } from '../helpers/servicedesk.ts';

/**
 * Regressions found by the first API test pass: each was a real bug. The last group used to hang on the embedded
 * database (PGlite has one connection and a query outside an open transaction waits for it forever), so each of
 * those runs on its own app and database and gives up after a few seconds.
 */

let t: TestApp;
let a: DeskCompany;
let tech: StaffClient;

beforeAll(async () => {
  t = await testApp();
  a = await deskCompany(t, { settings: { return_visit_sample_percent: 0 } });
  tech = await technician(t, a);
});

describe('bugs', () => {
  it('a committee member (built-in committee role) votes and gets the ticket back, not a 403 after the vote was recorded', async () => {
    const member = await staff(t, a, 'committee');
    const tk = await createTicket(t, a, { repairSize: 'medium' });
    const res = await member.client.post(`/api/tickets/${tk.id}/vote`, { decision: 'approve' });
    const row = await ticketRow(t.db, tk.id);
    // Was: 403 FORBIDDEN (ticket.read) while the vote and the approval are committed.
    expect({ status: res.statusCode, approval: row.approval_status }).toEqual({ status: 200, approval: 'approved' });
  });

  it("an owner on the committee reads only tickets awaiting approval, and never another owner's full phone number", async () => {
    const room = await createRoom(t.db, { company: a, communityId: a.communityIds[0] });
    const phone = uniquePhone();
    const r = await createResident(t.db, { room, phone });
    await t.db.insertInto('committee_members').values({ company_id: a.companyId, community_id: a.communityIds[0], resident_id: r.id, position: 'member', term_start: '2026-01-01', term_end: '2028-12-31' }).execute();
    const member = await sessionAs(t.app, t.db, (await createOwnerUser(t.db, a, phone)).id);
    const neighbourPhone = uniquePhone();
    const ordinary = await createTicket(t, a, { kind: 'homeRepair', reporterPhone: neighbourPhone, reporterName: '邻居', description: '卫生间漏水，家里没人' });
    const pending = await createTicket(t, a, { repairSize: 'medium', reporterPhone: neighbourPhone });
    // Was: 200 with the neighbour's description and unmasked phone.
    expect((await member.get(`/api/owner/tickets/${ordinary.id}`)).statusCode).toBe(404);
    const view = await member.get(`/api/owner/tickets/${pending.id}`);
    expect(view.statusCode).toBe(200);
    expect(view.json().reporterPhone).not.toBe(neighbourPhone);
  });

  it('a ticket dispatched automatically at registration keeps its respond clock running until the technician acknowledges it', async () => {
    const d = await deskCompany(t, { communities: 1 });
    const w = await technician(t, d);
    await t.db.insertInto('dispatch_rules').values({ company_id: d.companyId, community_id: d.communityIds[0], kind: 'publicRepair', mode: 'person', assignee_id: w.id, priority: 1 }).execute();
    const tk = await createTicket(t, d);
    expect(tk.status).toBe('dispatched');
    // No person has responded yet: a rule did the dispatching. The clock stops when the technician takes the task.
    expect(clockOf(tk, 'respond')).toMatchObject({ state: 'running', doneAt: null });
    const acked = await ok(w.client, tk.id, 'acknowledge');
    expect(clockOf(acked, 'respond')).toMatchObject({ state: 'met', doneAt: expect.any(String) });
    expect((await ticketRow(t.db, tk.id)).respond_state).toBe('met');
  });

  it('the reporter of a ticket dispatched automatically at registration is told who is coming, as after a manual dispatch or a grab', async () => {
    const d = await deskCompany(t, { communities: 1 });
    const w = await technician(t, d);
    await t.db.insertInto('dispatch_rules').values({ company_id: d.companyId, community_id: d.communityIds[0], mode: 'person', assignee_id: w.id, priority: 1 }).execute();
    const phone = uniquePhone();
    const tk = await createTicket(t, d, { reporterPhone: phone });
    expect(tk.assigneeId).toBe(w.id);
    const sms = await t.db.selectFrom('sms_outbox').select('template').where('phone', '=', phone).orderBy('created_at').execute();
    // Was: only sms.ticketReceived.
    expect(sms.map((s) => s.template)).toEqual(['sms.ticketReceived', 'sms.ticketDispatched']);
  });

  it("an offline check-in is not refused because a manager extended the deadline before it synced", async () => {
    const manager = await staff(t, a, 'manager');
    const tk = await createTicket(t, a, { reportedAt: new Date(Date.now() - 60 * 60_000).toISOString() });
    await ok(a.desk, tk.id, 'dispatch', { assigneeId: tech.id });
    await t.db.updateTable('ticket_events').set({ at: new Date(Date.now() - 30 * 60_000) }).where('ticket_id', '=', tk.id).execute();
    // 10 minutes ago the technician checked in without signal; meanwhile the manager extends the deadline.
    await ok(manager.client, tk.id, 'extend', { clock: 'resolve', dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), reason: '等配件' });
    const res = await tech.client.post(`/api/tickets/${tk.id}/arrive`, { at: new Date(Date.now() - 10 * 60_000).toISOString() });
    // Was: 400 at ("before the ticket's previous step"): actedAt compares with every event, including the
    // extension (and the sweep's warn/breach, photos, materials, votes), not only lifecycle steps.
    expect(res.statusCode, res.body).toBe(200);
  });

  it('photos cannot be added to a cancelled or closed ticket (409), as materials cannot', async () => {
    const tk = await createTicket(t, a);
    await ok(a.desk, tk.id, 'cancel', { reason: '重复登记' });
    const png = await uploadFile(t, a.desk);
    const res = await a.desk.post(`/api/tickets/${tk.id}/photos`, { fileIds: [png], stage: 'after' });
    // Was: 200, and an 'after' photo is attached to a cancelled ticket.
    expect(res.statusCode).toBe(409);
  });

  it('after a return visit finds the problem unsolved, the redone work gets a return visit again (mandatory for a major complaint)', async () => {
    const service = await staff(t, a, 'service');
    const tk = await createTicket(t, a, { kind: 'complaint', severity: 'major' });
    await ok(a.desk, tk.id, 'dispatch', { assigneeId: tech.id });
    const done = await ok(tech.client, tk.id, 'complete');
    const visitId = (done.returnVisit as { id: string }).id;
    const res = await service.client.post(`/api/return-visits/${visitId}`, { outcome: 'done', satisfaction: 1, resolved: false, note: '仍未解决' });
    expect(res.json().status).toBe('dispatched');
    const redone = await ok(tech.client, tk.id, 'complete', { note: '再次处理' });
    // Was: the visit stays 'done' with resolved=false (the insert does nothing on conflict), so the ticket
    // is confirmed and closed without anyone checking the rework.
    expect(redone.returnVisit).toMatchObject({ status: 'pending', mandatory: true });
  });

  it('closing a confirmed ticket drops its optional pending return visit, and refuses while a mandatory one is pending', async () => {
    const confirmedComplaint = async (severity: 'ordinary' | 'major') => {
      const tk = await createTicket(t, a, { kind: 'complaint', severity });
      await ok(a.desk, tk.id, 'accept');
      const done = await ok(a.desk, tk.id, 'complete');
      await t.db.updateTable('tickets').set({ completed_at: new Date(Date.now() - 10 * 86_400_000) }).where('id', '=', tk.id).execute();
      await autoConfirm(t.app.deps, new Date());
      return { id: tk.id, visitId: (done.returnVisit as { id: string }).id };
    };
    // Was: close 200, then the visit could never be recorded (returnVisit is not allowed from closed) and stayed
    // 'pending' in the due list for ever.
    const ordinary = await confirmedComplaint('ordinary');
    const close = await a.desk.post(`/api/tickets/${ordinary.id}/close`, {});
    expect(close.statusCode, close.body).toBe(200);
    const dropped = await t.db.selectFrom('return_visits').select('status').where('id', '=', ordinary.visitId).executeTakeFirstOrThrow();
    expect(dropped.status).toBe('failed');

    const major = await confirmedComplaint('major');
    const refused = await a.desk.post(`/api/tickets/${major.id}/close`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.field).toBe('status');
    const service = await staff(t, a, 'service');
    const visit = await service.client.post(`/api/return-visits/${major.visitId}`, { outcome: 'done', satisfaction: 5, resolved: true });
    expect(visit.statusCode, visit.body).toBe(200);
    expect(visit.json().status).toBe('closed');
  });
});

/** A fresh app on its own database: a deadlock here cannot stall the other tests. */
async function isolated() {
  const database = await openTestDatabase();
  const app = await buildApp({ config: testConfig(), database, logger: false });
  await app.ready();
  return { app, db: database.db, database, config: testConfig() } as TestApp;
}

/** Resolves to 'hung' when `p` takes longer than `ms`. */
function within<T>(p: Promise<T>, ms = 8000): Promise<T | 'hung'> {
  return Promise.race([p, new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms))]);
}

describe('deadlocks on the embedded database (a query on deps.db inside a transaction waits for the only connection)', () => {
  it('an owner on the committee votes (approvals.ts mayVote → isCommitteeVoter(deps.db) inside the vote transaction)', async () => {
    const x = await isolated();
    const co = await deskCompany(x, { communities: 1 });
    const room = await createRoom(x.db, { company: co });
    const phone = uniquePhone();
    const r = await createResident(x.db, { room, phone });
    await x.db.insertInto('committee_members').values({ company_id: co.companyId, community_id: co.communityIds[0], resident_id: r.id, position: 'member', term_start: '2026-01-01', term_end: '2028-12-31' }).execute();
    const member = await sessionAs(x.app, x.db, (await createOwnerUser(x.db, co, phone)).id);
    const tk = await createTicket(x, co, { repairSize: 'medium' });
    const res = await within(member.post(`/api/tickets/${tk.id}/vote`, { decision: 'approve' }));
    expect(res === 'hung' ? 'hung' : res.statusCode).toBe(200);
  }, 60_000);

  it('the SLA sweep escalates an overdue clock (sweep.ts who() → staffWith(deps.db) inside the notify transaction)', async () => {
    const x = await isolated();
    const co = await deskCompany(x, { communities: 1 });
    const w = await technician(x, co);
    const mgr = await staff(x, co, 'manager');
    const tk = await createTicket(x, co, { kind: 'complaint', code: 'noise' });
    await ok(co.desk, tk.id, 'dispatch', { assigneeId: w.id });
    await x.db.updateTable('tickets').set({ arrive_warn_at: new Date(Date.now() - 120_000), arrive_due_at: new Date(Date.now() - 60_000) }).where('id', '=', tk.id).execute();
    const res = await within(sweepClocks(x.app.deps, new Date()));
    expect(res === 'hung' ? 'hung' : 'done').toBe('done');
    expect((await within(x.db.selectFrom('notifications').select('kind').where('user_id', '=', mgr.id).where('ticket_id', '=', tk.id).where('kind', '=', 'overdue').execute(), 3000))).toEqual([{ kind: 'overdue' }]);
  }, 60_000);

  it('completing a ticket when the desk configuration cache is cold (actions.ts complete → deskConfig(deps.db) inside the step)', async () => {
    const x = await isolated();
    const co = await deskCompany(x, { communities: 1 });
    const w = await technician(x, co);
    const tk = await createTicket(x, co);
    await advance(tk.id, co, w, 'inProgress');
    invalidateDeskCache(co.companyId); // what 30 seconds without a config load do
    const res = await within(w.client.post(`/api/tickets/${tk.id}/complete`, {}));
    expect(res === 'hung' ? 'hung' : res.statusCode).toBe(200);
  }, 60_000);

  it('extending a deadline when the cache is cold (actions.ts extendDeadline → deskConfig(deps.db) inside the transaction)', async () => {
    const x = await isolated();
    const co = await deskCompany(x, { communities: 1 });
    const tk = await createTicket(x, co);
    invalidateDeskCache(co.companyId);
    const res = await within(co.desk.post(`/api/tickets/${tk.id}/extend`, { clock: 'resolve', dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), reason: '延期' }));
    expect(res === 'hung' ? 'hung' : res.statusCode).toBe(200);
  }, 60_000);
});
