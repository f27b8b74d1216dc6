import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { ClockName } from '../../db/schema-service-desk.ts';
import type { JobDefinition } from '../jobs/scheduler.ts';
import { CLOCKS } from './rules.ts';
import { staffWith } from './repo.ts';
import { wake } from './notify.ts';
import { closeAfter } from './actions.ts';

/**
 * The SLA sweep, run by the scheduler every minute (exactly once across processes): clocks that passed their
 * warning point become at risk and their assignee and supervisor (the group leader, else the desk) are warned;
 * clocks past due become overdue and the project managers (holders of ticket.extendDeadline) are told as well.
 * Each clock changes state once, so each warning is sent once. A paused ticket whose policy stops the clock is skipped.
 */
/** Rows per INSERT statement (PostgreSQL allows 65,535 parameters; a notification has 6). */
const CHUNK = 2000;

export async function sweepClocks(deps: Pick<Deps, 'db'>, now: Date) {
  const found: Array<{ kind: 'atRisk' | 'overdue'; clock: ClockName; id: string; company_id: string; community_id: string; no: string; title: string; assignee_id: string | null; leader_id: string | null }> = [];
  for (const clock of CLOCKS) {
    const state = sql.ref(`${clock}_state`);
    const warnAt = sql.ref(`${clock}_warn_at`);
    const dueAt = sql.ref(`${clock}_due_at`);
    const atRisk = await sql<(typeof found)[number]>`
      UPDATE tickets t SET ${state} = 'atRisk', updated_at = ${now}
      FROM (SELECT id FROM tickets WHERE ${state} = 'running' AND ${warnAt} <= ${now} AND ${dueAt} >= ${now}
            AND NOT (status = 'paused' AND pause_stops_clock) FOR UPDATE SKIP LOCKED) due
      WHERE t.id = due.id
      RETURNING t.id, t.company_id, t.community_id, t.no, t.title, t.assignee_id,
        (SELECT g.leader_id FROM staff_groups g WHERE g.id = t.group_id) AS leader_id`.execute(deps.db);
    found.push(...atRisk.rows.map((r) => ({ ...r, kind: 'atRisk' as const, clock })));
    const overdue = await sql<(typeof found)[number]>`
      UPDATE tickets t SET ${state} = 'overdue', updated_at = ${now}
      FROM (SELECT id FROM tickets WHERE ${state} IN ('running', 'atRisk') AND ${dueAt} < ${now}
            AND NOT (status = 'paused' AND pause_stops_clock) FOR UPDATE SKIP LOCKED) due
      WHERE t.id = due.id
      RETURNING t.id, t.company_id, t.community_id, t.no, t.title, t.assignee_id,
        (SELECT g.leader_id FROM staff_groups g WHERE g.id = t.group_id) AS leader_id`.execute(deps.db);
    found.push(...overdue.rows.map((r) => ({ ...r, kind: 'overdue' as const, clock })));
  }
  if (!found.length) return { atRisk: 0, overdue: 0 };

  // Who to tell, looked up once per community and permission.
  const lookups = new Map<string, Promise<string[]>>();
  const who = (companyId: string, communityId: string, perm: 'ticket.dispatch' | 'ticket.extendDeadline') => {
    const key = `${communityId}:${perm}`;
    if (!lookups.has(key)) lookups.set(key, staffWith(deps.db, companyId, communityId, perm));
    return lookups.get(key)!;
  };
  // Looked up before the transaction: with one connection (PGlite) a query outside it would wait forever.
  const recipients: Array<(string | null)[]> = [];
  for (const f of found) {
    const supervisors = f.leader_id ? [f.leader_id] : await who(f.company_id, f.community_id, 'ticket.dispatch');
    recipients.push(f.kind === 'atRisk' ? [f.assignee_id, ...supervisors] : [f.assignee_id, ...supervisors, ...(await who(f.company_id, f.community_id, 'ticket.extendDeadline'))]);
  }
  // One multi-row insert per chunk: a sweep after an outage may move thousands of clocks at once.
  const notes = found.flatMap((f, i) =>
    [...new Set(recipients[i]!.filter((u): u is string => Boolean(u)))].map((user_id) => ({ company_id: f.company_id, user_id, ticket_id: f.id, kind: f.kind, title: `${f.no} ${f.title}`.slice(0, 200), body: f.clock })),
  );
  const events = found.map((f) => ({ company_id: f.company_id, ticket_id: f.id, at: now, action: f.kind === 'atRisk' ? 'warn' : 'breach', payload: JSON.stringify({ clock: f.clock }) }));
  await deps.db.transaction().execute(async (trx) => {
    for (let i = 0; i < notes.length; i += CHUNK) await trx.insertInto('notifications').values(notes.slice(i, i + CHUNK)).execute();
    for (let i = 0; i < events.length; i += CHUNK) await trx.insertInto('ticket_events').values(events.slice(i, i + CHUNK)).execute();
  });
  const woken = [...new Set(notes.map((n) => n.user_id))];
  wake(woken);
  return { atRisk: found.filter((f) => f.kind === 'atRisk').length, overdue: found.filter((f) => f.kind === 'overdue').length };
}

/** Completed tickets the owner neither confirmed nor rejected within the company's limit are confirmed by the system. */
export async function autoConfirm(deps: Pick<Deps, 'db'>, now: Date) {
  const due = await deps.db
    .selectFrom('tickets as t')
    .innerJoin('service_desk_settings as s', 's.company_id', 't.company_id')
    .select(['t.id', 't.company_id'])
    .where('t.status', '=', 'completed')
    .where(sql<boolean>`t.completed_at < ${now}::timestamptz - make_interval(days => s.auto_confirm_days)`)
    .limit(1000)
    .execute();
  let closed = 0;
  for (const d of due) {
    await deps.db.transaction().execute(async (trx) => {
      const t = await trx.selectFrom('tickets').select(['id', 'company_id', 'status']).where('id', '=', d.id).forUpdate().executeTakeFirstOrThrow();
      if (t.status !== 'completed') return;
      await trx.updateTable('tickets').set({ status: 'confirmed', updated_at: now }).where('id', '=', d.id).execute();
      await trx.insertInto('ticket_events').values({ company_id: t.company_id, ticket_id: t.id, at: now, action: 'confirm', from_status: 'completed', to_status: 'confirmed', payload: JSON.stringify({ auto: true }) }).execute();
      const visit = await trx.selectFrom('return_visits').select('status').where('ticket_id', '=', t.id).executeTakeFirst();
      if (visit?.status !== 'pending' && visit?.status !== 'unreachable') {
        await closeAfter(trx, null, t, 'confirmed', now);
        closed++;
      }
    });
  }
  return { confirmed: due.length, closed };
}

export const slaSweepJob: JobDefinition = {
  name: 'servicedesk-sla-sweep',
  period: 'minute',
  scope: 'global',
  run: (deps, job) => sweepClocks(deps, job.now),
};

export const autoConfirmJob: JobDefinition = {
  name: 'servicedesk-auto-confirm',
  period: 'hour',
  scope: 'global',
  run: (deps, job) => autoConfirm(deps, job.now),
};
