import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { zonedInstant } from '../servicedesk/deadlines.ts';

/**
 * What the field modules ask of the roster: when a shift of a business date starts and ends, and who works it.
 * Patrol, cleaning and maintenance task generation call these; nothing else about rosters leaks into them.
 */

type Db = Kysely<DB> | Transaction<DB>;

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)(?::00)?$/;

/** Minutes since midnight of 'HH:MM' or 'HH:MM:00'. */
export function minutesOf(time: string): number {
  const m = HHMM.exec(time);
  if (!m) throw new RangeError(`time must be HH:MM, got "${time}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** 'HH:MM' of minutes since midnight (any whole number of days is dropped). */
export function timeOf(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The next calendar date 'YYYY-MM-DD'. */
export function nextDay(day: string, days = 1): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A shift's length in minutes; a shift whose end is not after its start runs past midnight (22:00–06:00 is 480). */
export function shiftMinutes(start: string, end: string): number {
  const s = minutesOf(start);
  const e = minutesOf(end);
  if (s === e) throw new RangeError('a shift must not start and end at the same time');
  return e > s ? e - s : e + 1440 - s;
}

/**
 * The instants a shift of business date `day` runs between, in the community's zone: 夜班 22:00–06:00 of 11-22
 * runs from 11-22 22:00 to 11-23 06:00; 00:00–08:00 of 11-22 is the early hours of 11-22.
 */
export function shiftInterval(day: string, start: string, end: string, timeZone: string): { start: Date; end: Date } {
  const crosses = minutesOf(end) <= minutesOf(start);
  return { start: zonedInstant(day, start.slice(0, 5), timeZone), end: zonedInstant(crosses ? nextDay(day) : day, end.slice(0, 5), timeZone) };
}

/**
 * The people the roster puts on a shift of a date (at a post, when given): distinct user ids, in a stable order.
 * Only 'work' entries count; days off and leave are not rows of that shift.
 */
export async function staffOnShift(db: Db, args: { communityId: string; day: string; shiftId: string; postId?: string | null }): Promise<string[]> {
  let q = db
    .selectFrom('roster_entries')
    .select('user_id')
    .distinct()
    .where('community_id', '=', args.communityId)
    .where('day', '=', args.day)
    .where('shift_id', '=', args.shiftId)
    .where('kind', '=', 'work');
  if (args.postId) q = q.where('post_id', '=', args.postId);
  const rows = await q.orderBy('user_id').execute();
  return rows.map((r) => r.user_id);
}

/**
 * The whole roster of a set of communities for one date, for generators that assign many plans at once (one query
 * rather than one a plan): key `${communityId}|${shiftId}|${postId ?? ''}` → user ids, plus `${communityId}|${shiftId}|`
 * for everyone on the shift whatever their post.
 */
export async function rosterOfDay(db: Db, args: { communityIds: readonly string[]; day: string }): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!args.communityIds.length) return out;
  const rows = await db
    .selectFrom('roster_entries')
    .select(['community_id', 'shift_id', 'post_id', 'user_id'])
    .where('community_id', 'in', [...args.communityIds])
    .where('day', '=', args.day)
    .where('kind', '=', 'work')
    .orderBy('user_id')
    .execute();
  const add = (key: string, user: string) => {
    const list = out.get(key) ?? [];
    if (!list.includes(user)) list.push(user);
    out.set(key, list);
  };
  for (const r of rows) {
    add(`${r.community_id}|${r.shift_id}|`, r.user_id);
    if (r.post_id) add(`${r.community_id}|${r.shift_id}|${r.post_id}`, r.user_id);
  }
  return out;
}
