import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { AppError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { nextDay } from './onshift.ts';
import { certificateStatus, coverageGaps, daysBetween, findOverlap, mondayOf, tooLongFor24h, weekDays, type WorkEntry } from './rules.ts';
import { communityStaff, loadCommunity, todayIn } from './access.ts';
import { postsOf, shiftsOf } from './structure.ts';
import type { Coverage, CopyWeekInput, MyRoster, Post, PutWeekInput, RosterWeek, Shift } from './schema.ts';

/**
 * The weekly roster (排班) of a community: read a week with its coverage check, replace a week's entries in one
 * transaction, copy a week to the next. A 24-hour post left with fewer than its minimum staff is not refused — the
 * manager may have a reason — but every read and write returns the gaps so the board shows them in red.
 */

type Deps_ = Pick<Deps, 'db'>;

function requireMonday(monday: string): void {
  if (mondayOf(monday) !== monday) throw new ValidationError('monday', 'validation.invalid');
}

async function entriesBetween(db: Db, communityId: string, from: string, to: string) {
  return db
    .selectFrom('roster_entries as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .select(['e.id', 'e.day', 'e.kind', 'e.user_id', 'u.display_name', 'e.shift_id', 'e.post_id'])
    .where('e.community_id', '=', communityId)
    .where('e.day', '>=', from)
    .where('e.day', '<=', to)
    .orderBy('e.day')
    .orderBy('u.display_name')
    .orderBy('e.id')
    .execute();
}
type EntryRow = Awaited<ReturnType<typeof entriesBetween>>[number];

/** The coverage of a week's 24-hour posts; the Sunday before counts for Monday's early hours. */
export function weekCoverage(days: readonly string[], posts: readonly Post[], shifts: readonly Shift[], rows: readonly EntryRow[]): Coverage {
  const byId = new Map(shifts.map((s) => [s.id, s]));
  const allDay = posts.filter((p) => p.roundTheClock && p.active);
  const work = rows.filter((r) => r.kind === 'work' && r.post_id && r.shift_id && byId.has(r.shift_id));
  const gaps = coverageGaps(
    allDay.map((p) => ({ id: p.id, minStaff: p.minStaff })),
    days,
    work.map((r) => ({ postId: r.post_id!, day: r.day, shift: { start: byId.get(r.shift_id!)!.startTime, end: byId.get(r.shift_id!)!.endTime } })),
  );
  const names = new Map(allDay.map((p) => [p.id, p]));
  const uncoveredHours = allDay.flatMap((p) => days.map((day) => ({ postId: p.id, day, hours: Math.round(gaps.filter((g) => g.postId === p.id && g.day === day).reduce((n, g) => n + g.minutes, 0) / 6) / 10 })));
  const longShifts = work
    .filter((r) => days.includes(r.day) && names.has(r.post_id!) && tooLongFor24h({ start: byId.get(r.shift_id!)!.startTime, end: byId.get(r.shift_id!)!.endTime }))
    .map((r) => ({ entryId: r.id, postId: r.post_id!, day: r.day, userId: r.user_id, shiftId: r.shift_id! }));
  return {
    ok: gaps.length === 0 && longShifts.length === 0,
    gaps: gaps.map((g) => ({ ...g, postName: names.get(g.postId)!.name, minStaff: names.get(g.postId)!.minStaff })),
    uncoveredHours,
    longShifts,
  };
}

async function readWeek(deps: Deps_, ctx: RequestContext, communityId: string, monday: string): Promise<RosterWeek> {
  const companyId = companyOf(ctx.actor);
  const days = weekDays(monday);
  const [shifts, posts, staff, rows] = await Promise.all([
    shiftsOf(deps.db, companyId, communityId, true),
    postsOf(deps.db, companyId, communityId, true),
    communityStaff(deps.db, companyId, communityId),
    entriesBetween(deps.db, communityId, nextDay(monday, -1), days[6]),
  ]);
  const inWeek = rows.filter((r) => r.day >= monday);
  // Inactive shifts stay on the board only while the week still uses them.
  const used = new Set(inWeek.flatMap((r) => [r.shift_id, r.post_id]));
  return {
    communityId,
    monday,
    days,
    shifts: shifts.filter((s) => s.active || used.has(s.id)),
    posts: posts.filter((p) => p.active || used.has(p.id)),
    staff,
    entries: inWeek.map((r) => ({ id: r.id, day: r.day, kind: r.kind, user: { id: r.user_id, name: r.display_name }, shiftId: r.shift_id, postId: r.post_id })),
    coverage: weekCoverage(days, posts, shifts, rows),
  };
}

export async function getWeek(deps: Deps_, ctx: RequestContext, q: { communityId: string; monday: string }): Promise<RosterWeek> {
  requirePermission(ctx.actor, 'roster.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  requireMonday(q.monday);
  return readWeek(deps, ctx, community.id, q.monday);
}

const KIND_NAMES = { off: { zh: '休息', en: 'day off' }, leave: { zh: '请假', en: 'leave' } } as const;

/**
 * Replaces the community's entries of the week with `input.entries`, after checking each: a date of the week,
 * staff of the company working in the community, an active shift and post of the community, one entry per
 * person, date and shift, no day off beside a shift, and no person on two overlapping shifts — including a night
 * shift of the Sunday before or a shift of the Monday after. Each refusal names the entry (entries[3].shiftId).
 */
export async function putWeek(deps: Deps_, ctx: RequestContext, q: { communityId: string; monday: string }, input: PutWeekInput): Promise<RosterWeek> {
  requirePermission(ctx.actor, 'roster.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  requireMonday(q.monday);
  const days = weekDays(q.monday);
  const [shifts, posts, staff] = await Promise.all([
    shiftsOf(deps.db, companyId, community.id, true),
    postsOf(deps.db, companyId, community.id, true),
    communityStaff(deps.db, companyId, community.id),
  ]);
  const shiftById = new Map(shifts.map((s) => [s.id, s]));
  const postById = new Map(posts.map((p) => [p.id, p]));
  // A shift or post deactivated since stays usable in a week that already has it (the board sends the week back whole).
  const stored = await deps.db.selectFrom('roster_entries').select(['shift_id', 'post_id']).distinct().where('community_id', '=', community.id).where('day', '>=', q.monday).where('day', '<=', days[6]).execute();
  const inUse = new Set(stored.flatMap((r) => [r.shift_id, r.post_id]));
  const staffById = new Map(staff.map((s) => [s.id, s]));
  const lang = ctx.lang === 'en' ? 'en' : 'zh';
  const workKeys = new Set<string>();
  const dayOf = new Map<string, { index: number; kind: string }>();
  input.entries.forEach((e, i) => {
    const at = `entries[${i}]`;
    if (!days.includes(e.day)) throw new ValidationError(`${at}.day`, 'validation.invalid');
    if (!staffById.has(e.userId)) throw new ValidationError(`${at}.userId`, 'validation.notActiveStaff');
    if (e.kind === 'work') {
      if (!e.shiftId) throw new ValidationError(`${at}.shiftId`, 'validation.required');
      const s = shiftById.get(e.shiftId);
      if (!s || (!s.active && !inUse.has(s.id))) throw new ValidationError(`${at}.shiftId`, 'validation.otherCommunity');
      if (e.postId) {
        const p = postById.get(e.postId);
        if (!p || (!p.active && !inUse.has(p.id))) throw new ValidationError(`${at}.postId`, 'validation.otherCommunity');
      }
    } else {
      const kind = KIND_NAMES[e.kind][lang];
      if (e.shiftId) throw new ValidationError(`${at}.shiftId`, 'validation.notForFundKind', { kind });
      if (e.postId) throw new ValidationError(`${at}.postId`, 'validation.notForFundKind', { kind });
    }
    // One work entry per person, date and shift; a day off or leave is the person's only entry of the date.
    const key = `${e.userId}|${e.day}`;
    if (e.kind === 'work' && workKeys.has(`${key}|${e.shiftId}`)) throw new ValidationError(`${at}.shiftId`, 'validation.duplicateIds');
    const first = dayOf.get(key);
    if (first && (first.kind !== 'work' || e.kind !== 'work')) throw new ValidationError(`${at}.kind`, 'validation.rosterOffBesideShift');
    if (e.kind === 'work') workKeys.add(`${key}|${e.shiftId}`);
    dayOf.set(key, first ?? { index: i, kind: e.kind });
  });

  return deps.db.transaction().execute(async (trx) => {
    // Writers of one community's roster are serialised, so two saves cannot interleave their delete and insert.
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`roster:${community.id}`}, 0))`.execute(trx);
    const neighbours = (await entriesBetween(trx, community.id, nextDay(q.monday, -1), nextDay(q.monday, 7))).filter((r) => r.day < q.monday || r.day > days[6]);
    // A person's shifts in other communities that week count too: nobody works two places at once.
    const elsewhere = await trx
      .selectFrom('roster_entries as e')
      .innerJoin('shifts as s', 's.id', 'e.shift_id')
      .select(['e.user_id', 'e.day', 's.id', 's.start_time', 's.end_time'])
      .where('e.company_id', '=', companyId)
      .where('e.community_id', '<>', community.id)
      .where('e.kind', '=', 'work')
      .where('e.day', '>=', nextDay(q.monday, -1))
      .where('e.day', '<=', nextDay(q.monday, 7))
      .where('e.user_id', 'in', input.entries.length ? [...new Set(input.entries.map((e) => e.userId))] : ['00000000-0000-0000-0000-000000000000'])
      .execute();
    const work: WorkEntry[] = [
      ...input.entries.flatMap((e, i) => (e.kind === 'work' ? [{ index: i, userId: e.userId, day: e.day, shift: { id: e.shiftId!, start: shiftById.get(e.shiftId!)!.startTime, end: shiftById.get(e.shiftId!)!.endTime } }] : [])),
      ...neighbours.filter((r) => r.kind === 'work' && r.shift_id && shiftById.has(r.shift_id)).map((r) => ({ index: null, userId: r.user_id, day: r.day, shift: { id: r.shift_id!, start: shiftById.get(r.shift_id!)!.startTime, end: shiftById.get(r.shift_id!)!.endTime } })),
      ...elsewhere.map((r) => ({ index: null, userId: r.user_id, day: r.day, shift: { id: r.id, start: r.start_time.slice(0, 5), end: r.end_time.slice(0, 5) } })),
    ];
    const overlap = findOverlap(work);
    if (overlap) {
      const [entry, other] = overlap;
      const field = `entries[${entry.index}].shiftId`;
      const who = staffById.get(entry.userId)?.name ?? '';
      const otherLabel = other.index !== null ? `entries[${other.index}]` : lang === 'en' ? 'an existing entry' : '已排的班';
      const after = `${otherLabel}（${who} ${other.day} ${other.shift.start}–${other.shift.end}）`;
      throw new AppError(400, 'VALIDATION_FAILED', 'validation.rosterOverlap', { field, other: after }, { field, reason: 'overlap', conflictsWith: other.index === null ? null : `entries[${other.index}]` });
    }
    const before = await trx.selectFrom('roster_entries').select(({ fn }) => fn.countAll<number>().as('n')).where('community_id', '=', community.id).where('day', '>=', q.monday).where('day', '<=', days[6]).executeTakeFirstOrThrow();
    await trx.deleteFrom('roster_entries').where('community_id', '=', community.id).where('day', '>=', q.monday).where('day', '<=', days[6]).execute();
    if (input.entries.length) {
      await trx
        .insertInto('roster_entries')
        .values(input.entries.map((e) => ({ company_id: companyId, community_id: community.id, day: e.day, user_id: e.userId, kind: e.kind, shift_id: e.kind === 'work' ? e.shiftId! : null, post_id: e.kind === 'work' ? (e.postId ?? null) : null, created_by: ctx.actor.userId })))
        .execute();
    }
    await writeAudit(trx, ctx, { action: 'roster.replaceWeek', entityType: 'community', entityId: community.id, before: { monday: q.monday, entries: Number(before.n) }, after: { monday: q.monday, entries: input.entries.length } });
    return readWeek({ db: trx }, ctx, community.id, q.monday);
  });
}

/**
 * Copies a week's entries to the week after, date for date (Monday to Monday). The target week must be empty
 * unless `overwrite`; entries of people no longer in the community or on inactive shifts and posts are left out.
 */
export async function copyWeek(deps: Deps_, ctx: RequestContext, input: CopyWeekInput): Promise<RosterWeek & { copied: number; skipped: number }> {
  requirePermission(ctx.actor, 'roster.manage');
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  requireMonday(input.monday);
  const target = nextDay(input.monday, 7);
  const existing = await deps.db.selectFrom('roster_entries').select('id').where('community_id', '=', community.id).where('day', '>=', target).where('day', '<=', nextDay(target, 6)).limit(1).executeTakeFirst();
  if (existing && !input.overwrite) throw new ValidationError('overwrite', 'validation.rosterWeekNotEmpty');
  const source = await readWeek(deps, ctx, community.id, input.monday);
  const staff = new Set(source.staff.map((s) => s.id));
  const shifts = new Set(source.shifts.filter((s) => s.active).map((s) => s.id));
  const posts = new Set(source.posts.filter((p) => p.active).map((p) => p.id));
  const keep = source.entries.filter((e) => staff.has(e.user.id) && (e.kind !== 'work' || (shifts.has(e.shiftId!) && (!e.postId || posts.has(e.postId)))));
  const week = await putWeek(deps, ctx, { communityId: community.id, monday: target }, { entries: keep.map((e) => ({ day: nextDay(e.day, 7), userId: e.user.id, kind: e.kind, shiftId: e.shiftId, postId: e.postId })) });
  return { ...week, copied: keep.length, skipped: source.entries.length - keep.length };
}

export async function listRosterStaff(deps: Deps_, ctx: RequestContext, q: { communityId: string }) {
  requirePermission(ctx.actor, 'roster.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  return { items: await communityStaff(deps.db, companyOf(ctx.actor), community.id) };
}

/** The caller's own entries this week and next, in every community, with shift times; and their certificates. */
export async function myRoster(deps: Deps_, ctx: RequestContext): Promise<MyRoster> {
  const companyId = companyOf(ctx.actor);
  if (ctx.actor.kind !== 'staff') throw new NotFoundError('roster');
  const zone = await deps.db.selectFrom('communities').select('time_zone').where('company_id', '=', companyId).orderBy('created_at').limit(1).executeTakeFirst();
  const today = todayIn({ time_zone: zone?.time_zone ?? 'Asia/Shanghai' });
  const monday = mondayOf(today);
  const [rows, certs] = await Promise.all([
    deps.db
      .selectFrom('roster_entries as e')
      .innerJoin('communities as c', 'c.id', 'e.community_id')
      .leftJoin('shifts as s', 's.id', 'e.shift_id')
      .leftJoin('posts as p', 'p.id', 'e.post_id')
      .select(['e.day', 'e.kind', 'c.id as community_id', 'c.name as community_name', 's.name as shift_name', 's.code', 's.start_time', 's.end_time', 'p.name as post_name'])
      .where('e.company_id', '=', companyId)
      .where('e.user_id', '=', ctx.actor.userId)
      .where('e.day', '>=', monday)
      .where('e.day', '<=', nextDay(monday, 13))
      .orderBy('e.day')
      .orderBy('s.start_time')
      .execute(),
    deps.db.selectFrom('staff_certificates').select(['id', 'kind', 'number', 'expires_on']).where('company_id', '=', companyId).where('user_id', '=', ctx.actor.userId).where('revoked_at', 'is', null).orderBy('expires_on').execute(),
  ]);
  return {
    today,
    entries: rows.map((r) => ({
      day: r.day,
      kind: r.kind,
      community: { id: r.community_id, name: r.community_name },
      shift: r.shift_name
        ? { name: r.shift_name, code: r.code!, startTime: r.start_time!.slice(0, 5), endTime: r.end_time!.slice(0, 5), crossesMidnight: r.end_time! <= r.start_time! && !r.end_time!.startsWith('00:00') }
        : null,
      post: r.post_name,
    })),
    certificates: certs.map((c) => ({ id: c.id, kind: c.kind, number: c.number, expiresOn: c.expires_on, status: certificateStatus({ expiresOn: c.expires_on, revoked: false }, today), daysLeft: c.expires_on ? daysBetween(today, c.expires_on) : null })),
  };
}
