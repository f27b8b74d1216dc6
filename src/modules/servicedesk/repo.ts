import { sql } from 'kysely';
import type { Db, RequestContext } from '../../core/context.ts';
import { can, canSeeCommunity, companyOf } from '../../core/context.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import type { Permission } from '../../core/permissions.ts';
import type { ClockName, ClockSpec, ClockState } from '../../db/schema-service-desk.ts';
import { CLOCKS, clockState, type Role } from './rules.ts';
import { addDuration, warnAt, type BusinessHours, type WorkCalendar } from './deadlines.ts';

/** SQL of the service desk: every query carries the caller's company. */

export async function loadTicketRow(db: Db, ctx: RequestContext, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('tickets').selectAll().where('id', '=', id).where('company_id', '=', companyOf(ctx.actor));
  if (opts.forUpdate) q = q.forUpdate();
  const t = await q.executeTakeFirst();
  if (!t) throw new NotFoundError('ticket');
  if (ctx.actor.kind === 'owner') {
    // An owner sees their own tickets; a committee member also the repairs put to the committee, nothing else.
    const voter = t.approval_status !== 'notNeeded' && (await isCommitteeVoter(db, ctx, t.community_id));
    if (t.reporter_user_id !== ctx.actor.userId && !voter) throw new NotFoundError('ticket');
  } else if (!canSeeCommunity(ctx.actor, t.community_id)) {
    throw new NotFoundError('ticket');
  }
  return t;
}
export type TicketRow = Awaited<ReturnType<typeof loadTicketRow>>;

/** An owner account that is a current member of the community's owners' committee. */
export async function isCommitteeVoter(db: Db, ctx: RequestContext, communityId: string): Promise<boolean> {
  if (ctx.actor.kind !== 'owner') return false;
  const row = await db
    .selectFrom('committee_members as m')
    .innerJoin('users as u', (j) => j.on('u.id', '=', ctx.actor.userId))
    .select('m.id')
    .where('m.community_id', '=', communityId)
    .where('m.company_id', '=', companyOf(ctx.actor))
    .where(sql<boolean>`m.resident_id = coalesce(u.resident_id, (SELECT r.id FROM residents r WHERE r.company_id = u.company_id AND r.phone = u.phone))`)
    .where('m.term_start', '<=', sql<string>`current_date`)
    .where('m.term_end', '>=', sql<string>`current_date`)
    .executeTakeFirst();
  return Boolean(row);
}

/** The caller's roles on one ticket. */
export function rolesOn(ctx: RequestContext, t: Pick<TicketRow, 'assignee_id' | 'reporter_user_id'>): Role[] {
  const a = ctx.actor;
  const roles: Role[] = [];
  if (a.kind === 'owner') {
    if (t.reporter_user_id === a.userId) roles.push('reporter');
    return roles;
  }
  if (can(a, 'ticket.dispatch')) roles.push('desk');
  if (can(a, 'ticket.work')) {
    roles.push('worker');
    if (t.assignee_id === a.userId) roles.push('assignee');
  }
  if (can(a, 'ticket.returnVisit')) roles.push('visitor');
  return roles;
}

/** Active staff of a company who hold `permission` and may see `communityId`. */
export async function staffWith(db: Db, companyId: string, communityId: string, permission: Permission): Promise<string[]> {
  const rows = await db
    .selectFrom('users as u')
    .select('u.id')
    .distinct()
    .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
    .innerJoin('roles as r', 'r.id', 'ur.role_id')
    .where('u.company_id', '=', companyId)
    .where('u.kind', '=', 'staff')
    .where('u.status', '=', 'active')
    .where(sql<boolean>`${permission} = ANY(r.permissions)`)
    .where((eb) => eb.or([eb('u.all_communities', '=', true), eb.exists(eb.selectFrom('user_communities as uc').select('uc.user_id').whereRef('uc.user_id', '=', 'u.id').where('uc.community_id', '=', communityId))]))
    .execute();
  return rows.map((r) => r.id);
}

/** A staff member who may work on tickets of the community, or 400 naming `field`. */
export async function requireWorker(db: Db, companyId: string, communityId: string, userId: string, field: string): Promise<{ id: string; name: string }> {
  const ok = await staffWith(db, companyId, communityId, 'ticket.work');
  if (!ok.includes(userId)) throw new ValidationError(field, 'validation.notAssignable');
  const u = await db.selectFrom('users').select(['id', 'display_name']).where('id', '=', userId).executeTakeFirstOrThrow();
  return { id: u.id, name: u.display_name };
}

/** Files of the company that are images (and, for an owner, their own uploads), or 400 naming `field`. */
export async function requireImages(db: Db, ctx: RequestContext, ids: readonly string[], field: string) {
  if (!ids.length) return;
  const rows = await db
    .selectFrom('files')
    .select(['id', 'mime_type', 'uploaded_by'])
    .where('company_id', '=', companyOf(ctx.actor))
    .where('id', 'in', [...ids])
    .execute();
  const found = ctx.actor.kind === 'owner' ? rows.filter((r) => r.uploaded_by === ctx.actor.userId) : rows;
  if (found.length !== new Set(ids).size) throw new ValidationError(field, 'validation.unknownIds');
  if (found.some((r) => !r.mime_type.startsWith('image/'))) throw new ValidationError(field, 'validation.notImage');
}

export type ClockColumns = {
  [K in `${ClockName}_due_at` | `${ClockName}_warn_at` | `${ClockName}_done_at`]?: Date | null;
} & { [K in `${ClockName}_state`]?: ClockState | null };

/** The deadline columns of a new ticket from its policy, counted from the time it was reported. */
export function computeClocks(
  spec: ClockSpec,
  reportedAt: Date,
  now: Date,
  ctx: { calendar: WorkCalendar; hours: BusinessHours; timeZone: string; atRiskPercent: number },
): { columns: ClockColumns; beyondCalendar: boolean } {
  const columns: ClockColumns = {};
  let beyond = false;
  for (const c of CLOCKS) {
    const d = spec[c];
    if (!d) continue;
    const { due, beyondCalendar } = addDuration(reportedAt, d, ctx);
    const warn = warnAt(reportedAt, due, ctx.atRiskPercent);
    beyond ||= beyondCalendar;
    columns[`${c}_due_at`] = due;
    columns[`${c}_warn_at`] = warn;
    columns[`${c}_state`] = clockState({ dueAt: due, warnAt: warn, doneAt: null }, now);
  }
  return { columns, beyondCalendar: beyond };
}

/** Stops the named clocks that are still running, as of `at`. */
export function stopClocks(t: TicketRow, clocks: readonly ClockName[], at: Date): ClockColumns {
  const out: ClockColumns = {};
  for (const c of clocks) {
    if (!t[`${c}_due_at`] || t[`${c}_done_at`]) continue;
    out[`${c}_done_at`] = at;
    out[`${c}_state`] = clockState({ dueAt: t[`${c}_due_at`], warnAt: t[`${c}_warn_at`], doneAt: at }, at);
  }
  return out;
}

export function clocksOf(t: TicketRow | Record<string, unknown>, now = new Date()) {
  const row = t as Record<string, Date | null | string>;
  return CLOCKS.filter((c) => row[`${c}_due_at`]).map((c) => {
    const dueAt = row[`${c}_due_at`] as Date;
    const warn = row[`${c}_warn_at`] as Date | null;
    const done = row[`${c}_done_at`] as Date | null;
    return {
      clock: c,
      dueAt: dueAt.toISOString(),
      warnAt: warn?.toISOString() ?? null,
      doneAt: done?.toISOString() ?? null,
      state: clockState({ dueAt, warnAt: warn, doneAt: done }, now)!,
    };
  });
}

const SEVERITY: Record<ClockState, number> = { met: 0, running: 1, metLate: 2, atRisk: 3, overdue: 4 };
export function worstOf(states: readonly ClockState[]): ClockState | null {
  return states.reduce<ClockState | null>((w, s) => (w === null || SEVERITY[s] > SEVERITY[w] ? s : w), null);
}
