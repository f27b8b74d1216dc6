import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, UnprocessableError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { verifyCode } from '../../core/signed-codes.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { ensureDesk } from '../servicedesk/config.ts';
import { createTicket } from '../servicedesk/tickets.ts';
import { requireImages } from '../servicedesk/repo.ts';
import { nextDay } from '../rosters/onshift.ts';
import { judgeAnswers, SCAN_MAX_AGE_HOURS, scanTimeProblem } from './rules.ts';
import { selectCheckpoints } from './repo.ts';
import { recountTasks } from './progress.ts';
import { selectCheckins, selectTasks, toCheckin } from './tasks.ts';
import type { Checkin, CheckinInput, ChecklistItem, MyTasks } from './schema.ts';

/**
 * The guard's side: the tasks they walk, a scanned label, and the check-in. A check-in is judged by the device's
 * scan time, not by when it reaches the server, so a phone that was offline in the basement syncs its queue later
 * and gets the same answer it would have had online; a replay (same clientId) returns the first result.
 */

type D = Pick<Deps, 'db' | 'sms' | 'log'>;

/** Tasks the caller walks: given to them, or on a shift the roster puts them on that day (a swap after generation). */
function mine(db: Db, ctx: RequestContext) {
  const me = ctx.actor.userId;
  const scope = communityScope(ctx.actor);
  return db
    .selectFrom('patrol_tasks as t')
    .where('t.company_id', '=', companyOf(ctx.actor))
    .$if(scope !== null, (q) => q.where('t.community_id', 'in', scope!))
    .where((eb) =>
      eb.or([
        eb(sql<string>`${me}::uuid`, '=', eb.fn.any('t.assignee_ids')),
        eb.exists(eb.selectFrom('roster_entries as re').select('re.id').where('re.user_id', '=', me).whereRef('re.day', '=', 't.day').whereRef('re.shift_id', '=', 't.shift_id').where('re.kind', '=', 'work')),
      ]),
    );
}

/** The caller's tasks from 12 hours ago to 18 hours ahead, with the checklists of their points (for offline use). */
export async function myTasks(deps: Pick<Deps, 'db'>, ctx: RequestContext): Promise<MyTasks> {
  requirePermission(ctx.actor, 'patrol.checkin');
  const now = new Date();
  const rows = await mine(deps.db, ctx)
    .select('t.id')
    .where('t.window_end', '>', new Date(now.getTime() - 12 * 3600_000))
    .where('t.window_start', '<', new Date(now.getTime() + 18 * 3600_000))
    .execute();
  const tasks = await selectTasks(deps.db, companyOf(ctx.actor), { ids: rows.map((r) => r.id) });
  const checkpointIds = [...new Set(tasks.flatMap((t) => t.points.map((p) => p.checkpointId)))];
  return { now: now.toISOString(), tasks, checkpoints: await selectCheckpoints(deps.db, companyOf(ctx.actor), { ids: checkpointIds }) };
}

async function checkpointOfCode(db: Db, ctx: RequestContext, code: string) {
  const id = await verifyCode(db as Parameters<typeof verifyCode>[0], companyOf(ctx.actor), 'cp', code);
  const [cp] = id ? await selectCheckpoints(db, companyOf(ctx.actor), { ids: [id] }) : [];
  // A label of a community the caller does not work in is, to them, not a label at all.
  if (!cp || !canSeeCommunity(ctx.actor, cp.communityId)) throw new ValidationError('code', 'validation.patrolBadCode');
  return cp;
}

/**
 * What a check-in needs to know before judging, in one round trip: whether its clientId was seen (a replay), and the
 * checkpoint the label names — with its community's zone and its checklist — when the label verifies (null id: no
 * checkpoint, but the replay is still looked up).
 */
async function arrival(db: Db, companyId: string, clientId: string, checkpointId: string | null) {
  const { rows } = await sql<{
    seen_id: string | null;
    seen_user_id: string | null;
    id: string | null;
    community_id: string;
    no: number;
    name: string;
    active: boolean;
    time_zone: string;
    checklist: ChecklistItem[];
  }>`
    SELECT s.id AS seen_id, s.user_id AS seen_user_id, c.id, c.community_id, c.no, c.name, c.active, m.time_zone,
           (SELECT coalesce(json_agg(json_build_object('id', i.id, 'label', i.label, 'answerKind', i.answer_kind, 'normalYes', i.normal_yes,
                     'minValue', i.min_value, 'maxValue', i.max_value, 'unit', i.unit, 'required', i.required) ORDER BY i.position), '[]')
              FROM patrol_checklist_items i WHERE i.checkpoint_id = c.id) AS checklist
      FROM (SELECT 1) AS one
      LEFT JOIN patrol_checkins s ON s.company_id = ${companyId} AND s.client_id = ${clientId}
      LEFT JOIN (patrol_checkpoints c JOIN communities m ON m.id = c.community_id) ON c.id = ${checkpointId}::uuid AND c.company_id = ${companyId}`.execute(db);
  const r = rows[0];
  return {
    seen: r.seen_id ? { id: r.seen_id, user_id: r.seen_user_id! } : null,
    checkpoint: r.id ? { id: r.id, communityId: r.community_id, no: r.no, name: r.name, active: r.active, timeZone: r.time_zone, checklist: r.checklist } : null,
  };
}

/**
 * The caller's points for a checkpoint on tasks of the scan's business date or the day before (night shifts). A
 * checkpoint is only ever on routes of its own community, so the tasks are looked for there (by community and day).
 */
async function candidatePoints(db: Db, ctx: RequestContext, checkpoint: { id: string; communityId: string }, day: string) {
  return mine(db, ctx)
    .innerJoin('patrol_task_points as tp', 'tp.task_id', 't.id')
    .innerJoin('patrol_routes as r', 'r.id', 't.route_id')
    .select(['tp.id as point_id', 'tp.status', 't.id as task_id', 't.round', 't.window_start', 't.window_end', 'r.name as route_name', sql<boolean>`${ctx.actor.userId}::uuid = ANY(t.assignee_ids)`.as('given')])
    .where('tp.checkpoint_id', '=', checkpoint.id)
    .where('t.community_id', '=', checkpoint.communityId)
    .where('t.day', 'in', [nextDay(day, -1), day])
    .orderBy('t.window_start')
    .execute();
}
type Candidate = Awaited<ReturnType<typeof candidatePoints>>[number];

const inside = (c: Candidate, at: Date) => c.window_start <= at && at <= c.window_end;

/** What a scanned label opens on the phone: the checkpoint with its checklist and the caller's open point there now. */
export async function scanCheckpoint(deps: Pick<Deps, 'db'>, ctx: RequestContext, code: string) {
  requirePermission(ctx.actor, 'patrol.checkin');
  const cp = await checkpointOfCode(deps.db, ctx, code);
  const now = new Date();
  const tz = await timeZoneOf(deps.db, cp.communityId);
  const open = (await candidatePoints(deps.db, ctx, cp, localDate(now, tz))).find((c) => c.status !== 'done' && inside(c, now));
  return {
    checkpoint: cp,
    point: open ? { taskId: open.task_id, taskPointId: open.point_id, routeName: open.route_name, round: open.round, windowStart: open.window_start.toISOString(), windowEnd: open.window_end.toISOString() } : null,
  };
}

async function timeZoneOf(db: Db, communityId: string): Promise<string> {
  return (await db.selectFrom('communities').select('time_zone').where('id', '=', communityId).executeTakeFirstOrThrow()).time_zone;
}

const hhmm = (at: Date, tz: string) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

async function loadCheckin(db: Db, companyId: string, id: string): Promise<Checkin> {
  return toCheckin(await selectCheckins(db, companyId).where('ci.id', '=', id).executeTakeFirstOrThrow());
}

/**
 * Records a check-in. 201 with the new record, or `replayed` with the first record when the clientId was seen.
 * Order: replay → label → scan time → the caller's point whose window holds the scan → answers and photos → one
 * transaction (task lock, then check-in and point in one statement, task recount, audit) → after commit, a ticket
 * for an abnormal answer. Round trips are few on purpose (a guard's phone waits on each): the replay, checkpoint,
 * zone and checklist come in one query, the label's key from memory, and a normal check-in is answered from what
 * was written rather than read back.
 */
export async function createCheckin(deps: D, ctx: RequestContext, input: CheckinInput): Promise<{ checkin: Checkin; replayed: boolean }> {
  requirePermission(ctx.actor, 'patrol.checkin');
  const companyId = companyOf(ctx.actor);
  const db = deps.db;
  const labelled = await verifyCode(db as Parameters<typeof verifyCode>[0], companyId, 'cp', input.code);
  const { seen, checkpoint: cp } = await arrival(db, companyId, input.clientId, labelled);
  if (seen) return { checkin: await replay(deps, ctx, seen), replayed: true };
  // A label of a community the caller does not work in is, to them, not a label at all.
  if (!cp || !canSeeCommunity(ctx.actor, cp.communityId)) throw new ValidationError('code', 'validation.patrolBadCode');

  const now = new Date();
  const scannedAt = new Date(input.scannedAt);
  const problem = scanTimeProblem(scannedAt, now);
  if (problem === 'future') throw new ValidationError('scannedAt', 'validation.future');
  if (problem === 'tooOld') throw new ValidationError('scannedAt', 'validation.patrolScanTooOld', { hours: SCAN_MAX_AGE_HOURS });
  if (!cp.active) throw new UnprocessableError('patrol.checkpointInactive', { name: cp.name });

  const tz = cp.timeZone;
  const candidates = await candidatePoints(db, ctx, cp, localDate(scannedAt, tz));
  if (!candidates.length) throw new UnprocessableError('patrol.notOnYourTasks', { name: cp.name });
  const within = candidates.filter((c) => inside(c, scannedAt));
  if (!within.length) {
    // The windows of the same stretch of duty (yesterday's rounds are candidates only for a night shift).
    const near = candidates.filter((c) => Math.abs(c.window_start.getTime() - scannedAt.getTime()) < 12 * 3600_000);
    const windows = [...new Set((near.length ? near : candidates).map((c) => `${hhmm(c.window_start, tz)}–${hhmm(c.window_end, tz)}`))].join('，');
    throw new UnprocessableError('patrol.outsideWindow', { time: hhmm(scannedAt, tz), name: cp.name, windows });
  }
  // The first not yet done, of a task given to the caller before one of their shift; when both partners of a night
  // round scan, the second scan is recorded on the task only.
  within.sort((a, b) => Number(b.given) - Number(a.given));
  const target = within.find((c) => c.status !== 'done') ?? null;
  const task = target ?? within[0];
  const taskId = task.task_id;

  const judged = judgeAnswers(cp.checklist, input.answers);
  const first = judged.problems[0];
  if (first?.problem === 'unknown') throw new ValidationError('answers', 'validation.unknownIds');
  if (first?.problem === 'missing') throw new ValidationError('answers', 'validation.patrolAnswerMissing', { label: first.label });
  if (first?.problem === 'type') throw new ValidationError('answers', 'validation.patrolAnswerType', { label: first.label });
  await requireImages(db, ctx, input.photoIds, 'photoIds');
  const photoIds = [...new Set(input.photoIds.map((p) => p.toLowerCase()))].sort();

  const id = randomUUID();
  let stored: { id: string; task_point_id: string | null } | null;
  try {
    stored = await db.transaction().execute(async (trx) => {
      // The task first, before the check-in row's foreign key takes its share lock on it: two guards of one round
      // then queue here instead of deadlocking (and the sweep, which skips locked tasks, leaves this one alone).
      await sql`SELECT id FROM patrol_tasks WHERE id = ${taskId} FOR NO KEY UPDATE`.execute(trx);
      // The check-in and its point in one statement: the point names the new check-in, unless a partner's check-in
      // took it meanwhile, and the check-in records the point it took. A clientId recorded meanwhile (the same queued
      // check-in sent twice at once) takes nothing and inserts nothing.
      const row = await trx
        .with('took', (w) =>
          w
            .updateTable('patrol_task_points')
            .set({ status: 'done', checkin_id: id, done_at: scannedAt })
            .where('id', '=', target?.point_id ?? null)
            .where('status', '<>', 'done')
            .where(({ not, exists, selectFrom }) => not(exists(selectFrom('patrol_checkins').select('id').where('company_id', '=', companyId).where('client_id', '=', input.clientId))))
            .returning('id'),
        )
        .insertInto('patrol_checkins')
        .values(({ selectFrom }) => ({
          id,
          company_id: companyId,
          community_id: cp.communityId,
          client_id: input.clientId,
          user_id: ctx.actor.userId,
          checkpoint_id: cp.id,
          task_id: taskId,
          task_point_id: selectFrom('took').select('took.id'),
          scanned_at: scannedAt,
          received_at: now,
          answers: JSON.stringify(judged.answers),
          abnormal: judged.abnormal,
          note: input.note ?? null,
        }))
        .onConflict((oc) => oc.columns(['company_id', 'client_id']).doNothing())
        .returning(['id', 'task_point_id'])
        .executeTakeFirst();
      if (!row) return null; // the same queued check-in arrived twice at once: the other request recorded it
      if (row.task_point_id) await recountTasks(trx, [taskId]);
      if (photoIds.length) {
        await trx.insertInto('patrol_checkin_photos').values(photoIds.map((file_id) => ({ checkin_id: row.id, file_id, company_id: companyId }))).execute();
      }
      await writeAudit(trx, ctx, {
        action: 'patrolCheckin.create',
        entityType: 'patrolCheckin',
        entityId: row.id,
        after: { checkpointId: cp.id, taskId, pointId: target?.point_id ?? null, scannedAt: scannedAt.toISOString(), abnormal: judged.abnormal, clientId: input.clientId },
      });
      return row;
    });
  } catch (err) {
    // The twin of a check-in with this clientId but another point committed while this statement waited on it: the
    // point this one took would name a check-in that was never inserted, so the statement failed and wrote nothing.
    if ((err as { constraint?: string }).constraint !== 'patrol_task_points_checkin_fk') throw err;
    stored = null;
  }
  if (!stored) {
    const other = await db.selectFrom('patrol_checkins').select(['id', 'user_id']).where('company_id', '=', companyId).where('client_id', '=', input.clientId).executeTakeFirstOrThrow();
    return { checkin: await replay(deps, ctx, other), replayed: true };
  }
  if (judged.abnormal) {
    await reportAbnormal(deps, ctx, id);
    return { checkin: await loadCheckin(db, companyId, id), replayed: false };
  }
  return {
    checkin: {
      id,
      clientId: input.clientId,
      communityId: cp.communityId,
      checkpointId: cp.id,
      checkpointName: cp.name,
      checkpointNo: cp.no,
      userId: ctx.actor.userId,
      userName: ctx.actor.displayName,
      taskId,
      routeName: task.route_name,
      scannedAt: scannedAt.toISOString(),
      receivedAt: now.toISOString(),
      answers: judged.answers,
      abnormal: false,
      note: input.note ?? null,
      photoIds,
      ticket: null,
    },
    replayed: false,
  };
}

/** The first result of a replayed check-in (and its ticket, if making it failed the first time). */
async function replay(deps: D, ctx: RequestContext, seen: { id: string; user_id: string }): Promise<Checkin> {
  if (seen.user_id !== ctx.actor.userId) throw new ConflictError('conflict.duplicate', { field: 'clientId' }, { field: 'clientId' });
  const checkin = await loadCheckin(deps.db, companyOf(ctx.actor), seen.id);
  if (checkin.abnormal && !checkin.ticket) {
    await reportAbnormal(deps, ctx, seen.id);
    return loadCheckin(deps.db, companyOf(ctx.actor), seen.id);
  }
  return checkin;
}

/**
 * An abnormal answer becomes a public-repair ticket from the 'patrol' channel at the checkpoint, with the photos;
 * the check-in's clientId is the ticket's client reference, so a replay never makes a second ticket. Reporting a
 * patrol finding is part of the check-in, so it does not need the guard's own ticket.create (or ticket.read, to get the new ticket back) permission.
 */
async function reportAbnormal(deps: D, ctx: RequestContext, checkinId: string): Promise<void> {
  const companyId = companyOf(ctx.actor);
  const c = await loadCheckin(deps.db, companyId, checkinId);
  const cp = await deps.db.selectFrom('patrol_checkpoints').select(['name', 'location', 'community_id']).where('id', '=', c.checkpointId).executeTakeFirstOrThrow();
  await ensureDesk(deps.db, companyId);
  const category = await deps.db
    .selectFrom('ticket_categories')
    .select('id')
    .where('company_id', '=', companyId)
    .where('kind', '=', 'publicRepair')
    .where('active', '=', true)
    .orderBy(sql`(code = 'otherPublic')`, 'desc')
    .orderBy('sort')
    .executeTakeFirst();
  if (!category) {
    deps.log.warn({ checkinId }, 'patrol finding without a public-repair category: no ticket made');
    return;
  }
  const findings = c.answers.filter((a) => a.abnormal).map((a) => `${a.label}：${a.value === true ? '是' : a.value === false ? '否' : String(a.value)}`);
  const system: RequestContext = { ...ctx, actor: { ...ctx.actor, permissions: new Set([...ctx.actor.permissions, 'ticket.create', 'ticket.read']) } };
  const reportedAt = new Date(Math.min(Date.parse(c.scannedAt), Date.now()));
  const ticket = await createTicket(deps, system, {
    communityId: cp.community_id,
    kind: 'publicRepair',
    categoryId: category.id,
    urgency: 'normal',
    severity: 'ordinary',
    location: [cp.name, cp.location].filter(Boolean).join(' · ').slice(0, 200),
    title: `巡检异常：${cp.name}`.slice(0, 100),
    description: [...findings, c.note ?? ''].filter(Boolean).join('\n').slice(0, 2000),
    channel: 'patrol',
    reportedAt: reportedAt.toISOString(),
    photoFileIds: c.photoIds,
    clientActionId: c.clientId,
  });
  await deps.db.updateTable('patrol_checkins').set({ ticket_id: ticket.id }).where('id', '=', checkinId).execute();
}
