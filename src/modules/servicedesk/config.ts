import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Db } from '../../core/context.ts';
import type { PolicyCandidate } from './rules.ts';
import { DEFAULT_CATEGORIES, DEFAULT_POLICIES } from './defaults.ts';
import { buildCalendar, type BusinessHours, type WorkCalendar } from './deadlines.ts';
import { calendarSeed } from './calendar-seed.ts';

/**
 * A company's service-desk configuration as the ticket code needs it: settings, policies and the working-day
 * calendar. A company gets its defaults the first time its desk is used (new and upgraded installations alike).
 * Policies and the calendar are cached per process for a short time and dropped at once when edited here;
 * another process sees an edit within CACHE_MS.
 */
const CACHE_MS = 30_000;

export interface DeskSettings {
  hours: BusinessHours;
  atRiskPercent: number;
  returnVisitSamplePercent: number;
  returnVisitMaxAttempts: number;
  autoConfirmDays: number;
  committeeQuorum: number;
  satisfactionTarget: number;
  returnVisitTarget: number;
  timelinessTarget: number;
  notifyOwnerSms: boolean;
}

export interface PolicyRow extends PolicyCandidate {
  pauseStopsClock: boolean;
}

interface CompanyCache {
  at: number;
  settings: DeskSettings;
  policies: PolicyRow[];
  calendar: WorkCalendar;
}

const cache = new Map<string, CompanyCache>();
/** Per database: a process may open more than one (benchmarks, tests, restore). */
const shippedCalendarReady = new WeakMap<Kysely<DB>, Promise<void>>();

export function invalidateDeskCache(companyId: string) {
  cache.delete(companyId);
}

/** Writes the calendar shipped with the install (the `chinese-days` data) once; later years arrive with upgrades. */
export async function ensureShippedCalendar(db: Kysely<DB>): Promise<void> {
  let ready = shippedCalendarReady.get(db);
  if (!ready) {
    ready = writeShippedCalendar(db).catch((err) => {
      shippedCalendarReady.delete(db);
      throw err;
    });
    shippedCalendarReady.set(db, ready);
  }
  return ready;
}

async function writeShippedCalendar(db: Kysely<DB>): Promise<void> {
  const seed = calendarSeed();
  const have = await db.selectFrom('calendar_years').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', 'is', null).executeTakeFirstOrThrow();
  if (have.n >= seed.years.length) return;
  for (let i = 0; i < seed.days.length; i += 500) {
    await db
      .insertInto('calendar_days')
      .values(seed.days.slice(i, i + 500).map((d) => ({ company_id: null, day: d.day, kind: d.kind, name: d.name })))
      .onConflict((oc) => oc.column('day').where('company_id', 'is', null).doNothing())
      .execute();
  }
  await db
    .insertInto('calendar_years')
    .values(seed.years.map((year) => ({ company_id: null, year })))
    .onConflict((oc) => oc.column('year').where('company_id', 'is', null).doNothing())
    .execute();
}

/** Gives a company its default categories, time limits and settings, once (the settings row is the latch). */
export async function ensureDesk(db: Kysely<DB>, companyId: string): Promise<void> {
  const exists = await db.selectFrom('service_desk_settings').select('company_id').where('company_id', '=', companyId).executeTakeFirst();
  if (exists) return;
  await db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('service_desk_settings').values({ company_id: companyId }).onConflict((oc) => oc.column('company_id').doNothing()).returning('company_id').executeTakeFirst();
    if (!inserted) return;
    const cats = await trx
      .insertInto('ticket_categories')
      .values(DEFAULT_CATEGORIES.map((c, i) => ({ company_id: companyId, kind: c.kind, code: c.code, name: c.name, name_en: c.nameEn, sort: i })))
      .onConflict((oc) => oc.columns(['company_id', 'kind', 'code']).doNothing())
      .returning(['id', 'kind', 'code'])
      .execute();
    const byCode = new Map(cats.map((c) => [`${c.kind}:${c.code}`, c.id]));
    await trx
      .insertInto('sla_policies')
      .values(
        DEFAULT_POLICIES.map((p) => ({
          company_id: companyId,
          kind: p.kind,
          category_id: p.categoryCode ? (byCode.get(`${p.kind}:${p.categoryCode}`) ?? null) : null,
          urgency: p.urgency,
          severity: p.severity,
          clocks: JSON.stringify(p.clocks),
          note: p.note,
        })),
      )
      .execute();
  });
}

export function toSettings(r: Awaited<ReturnType<typeof selectSettings>>): DeskSettings {
  return {
    hours: {
      start: r.business_start,
      end: r.business_end,
      lunchStart: r.lunch_start,
      lunchEnd: r.lunch_end,
      halfDayHours: r.half_day_hours,
      halfDayOn: r.half_day_on,
    },
    atRiskPercent: r.at_risk_percent,
    returnVisitSamplePercent: r.return_visit_sample_percent,
    returnVisitMaxAttempts: r.return_visit_max_attempts,
    autoConfirmDays: r.auto_confirm_days,
    committeeQuorum: r.committee_quorum,
    satisfactionTarget: r.satisfaction_target,
    returnVisitTarget: r.return_visit_target,
    timelinessTarget: r.timeliness_target,
    notifyOwnerSms: r.notify_owner_sms,
  };
}

function selectSettings(db: Db, companyId: string) {
  return db.selectFrom('service_desk_settings').selectAll().where('company_id', '=', companyId).executeTakeFirstOrThrow();
}

export async function loadCalendar(db: Db, companyId: string): Promise<WorkCalendar> {
  const [days, years] = await Promise.all([
    db
      .selectFrom('calendar_days')
      .select(['company_id', 'day', 'kind'])
      .where((eb) => eb.or([eb('company_id', 'is', null), eb('company_id', '=', companyId)]))
      .execute(),
    db
      .selectFrom('calendar_years')
      .select('year')
      .where((eb) => eb.or([eb('company_id', 'is', null), eb('company_id', '=', companyId)]))
      .execute(),
  ]);
  // A company's own row for a day replaces the shipped one.
  const byDay = new Map<string, 'holiday' | 'workday'>();
  for (const d of days) if (d.company_id === null) byDay.set(d.day, d.kind);
  for (const d of days) if (d.company_id !== null) byDay.set(d.day, d.kind);
  return buildCalendar(
    [...byDay].map(([day, kind]) => ({ day, kind })),
    years.map((y) => y.year),
  );
}

/** Settings, policies and calendar of a company, from the cache when fresh. */
export async function deskConfig(db: Kysely<DB>, companyId: string): Promise<CompanyCache> {
  const hit = cache.get(companyId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit;
  await ensureShippedCalendar(db);
  await ensureDesk(db, companyId);
  const [settingsRow, policyRows, calendar] = await Promise.all([
    selectSettings(db, companyId),
    db.selectFrom('sla_policies').selectAll().where('company_id', '=', companyId).execute(),
    loadCalendar(db, companyId),
  ]);
  const entry: CompanyCache = {
    at: Date.now(),
    settings: toSettings(settingsRow),
    policies: policyRows.map((p) => ({
      id: p.id,
      communityId: p.community_id,
      kind: p.kind,
      categoryId: p.category_id,
      urgency: p.urgency,
      severity: p.severity,
      clocks: p.clocks,
      pauseStopsClock: p.pause_stops_clock,
    })),
    calendar,
  };
  cache.set(companyId, entry);
  return entry;
}
