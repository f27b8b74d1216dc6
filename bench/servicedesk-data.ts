// Set-based ticket data for the service-desk benchmarks: a company with communities, categories (the defaults),
// technicians, customer service and managers, then tickets written by one INSERT … SELECT over generate_series with
// realistic shares (kinds, urgency, lifecycle by age, clock outcomes, ratings, rework, return visits).
// Deterministic: setseed() fixes random() for the session that writes them.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { provisionCompany } from '../src/modules/platform/service.ts';
import { ensureDesk } from '../src/modules/servicedesk/config.ts';
import { hashPassword } from '../src/core/password.ts';

export interface BenchDesk {
  companyId: string;
  code: string;
  adminUsername: string;
  communityIds: string[];
  technicianIds: string[];
  serviceIds: string[];
  managerIds: string[];
}

/** A company `code` with `communities` communities, `technicians` technicians, 4 customer-service staff and 2 managers. */
export async function benchDesk(db: Kysely<DB>, opts: { code: string; communities: number; technicians: number; password: string }): Promise<BenchDesk> {
  const hash = await hashPassword(opts.password);
  const adminUsername = `${opts.code}-admin`;
  const made = await db.transaction().execute(async (trx) => {
    const { companyId, roleIds } = await provisionCompany(trx, null, { name: `压测物业 ${opts.code}`, code: opts.code, admin: { username: adminUsername, displayName: '压测管理员', password: opts.password } });
    const communities = await trx
      .insertInto('communities')
      .values(Array.from({ length: opts.communities }, (_, i) => ({ company_id: companyId, code: `S${String(i + 1).padStart(2, '0')}`, name: `压测小区 ${i + 1}` })))
      .returning('id')
      .execute();
    const people = async (role: string, prefix: string, count: number) => {
      if (!count) return [];
      const users = await trx
        .insertInto('users')
        .values(Array.from({ length: count }, (_, i) => ({ company_id: companyId, kind: 'staff' as const, username: `${opts.code}-${prefix}${i + 1}`, display_name: `${prefix}${i + 1}`, password_hash: hash, all_communities: true })))
        .returning('id')
        .execute();
      await trx.insertInto('user_roles').values(users.map((u) => ({ user_id: u.id, role_id: roleIds[role] }))).execute();
      return users.map((u) => u.id);
    };
    return {
      companyId,
      communityIds: communities.map((c) => c.id),
      technicianIds: await people('technician', 'tech', opts.technicians),
      serviceIds: await people('service', 'kefu', 4),
      managerIds: await people('manager', 'jingli', 2),
    };
  });
  await ensureDesk(db, made.companyId);
  return { ...made, code: opts.code, adminUsername };
}

/** The category ids of a company by kind, in their sort order. */
async function categoriesByKind(db: Kysely<DB>, companyId: string): Promise<Record<string, string[]>> {
  const rows = await db.selectFrom('ticket_categories').select(['id', 'kind']).where('company_id', '=', companyId).orderBy('sort').execute();
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.kind] ??= []).push(r.id);
  return out;
}

/**
 * Indexes of `tickets` other than those behind constraints: dropped before a bulk load and built again after, which
 * is several times faster than maintaining ~30 indexes row by row. The definitions are read from the catalogue, so
 * the table ends up exactly as the migrations left it.
 */
export async function withoutTicketIndexes<T>(db: Kysely<DB>, load: () => Promise<T>): Promise<T> {
  const defs = await sql<{ name: string; def: string }>`
    SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS def
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relname = 'tickets' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`.execute(db);
  for (const d of defs.rows) await sql`DROP INDEX ${sql.id(d.name)}`.execute(db);
  const out = await load();
  for (const d of defs.rows) await sql.raw(d.def).execute(db);
  return out;
}

export interface TicketLoad {
  count: number;
  /** Tickets are reported over this many days before `now`. */
  days: number;
  now: Date;
  /** 'history': the lifecycle follows the age (old tickets closed); 'open': every ticket open with running clocks. */
  mode: 'history' | 'open';
  /** For 'open': the share of tickets past the warning point and the share past due (stored as still running). */
  warnShare?: number;
  dueShare?: number;
  seed?: number;
}

/**
 * Writes `count` tickets for the company. Clock durations follow the default policies (respond 30 min or 5 min when
 * urgent, arrive 10 min urgent or 8 h for complaints, resolve 7 days / 3 days / 4 h / 24 h, reply 8 h / 30 min / 24 h).
 */
export async function loadTickets(db: Kysely<DB>, desk: BenchDesk, load: TicketLoad): Promise<void> {
  const cats = await categoriesByKind(db, desk.companyId);
  const pick = (arr: string[], u: string) => sql`(${sql.val(arr)}::uuid[])[1 + floor(${sql.raw(u)} * ${arr.length})::int]`;
  const open = load.mode === 'open';
  // A stopped clock is met or met late by its stop time; an unfinished one is running, at risk or overdue at now.
  const state = (c: string) =>
    sql.raw(`CASE WHEN ${c}_iv IS NULL OR status = 'cancelled' THEN NULL WHEN ${c}_done IS NOT NULL THEN (CASE WHEN ${c}_done <= reported_at + ${c}_iv THEN 'met' ELSE 'metLate' END) ELSE live_${c} END`);
  await db.transaction().execute(async (trx) => {
    await sql`SELECT setseed(${load.seed ?? 0.42})`.execute(trx);
    // Foreign keys are checked by the generator's construction; skipping their per-row triggers saves a minute.
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await sql`
      INSERT INTO tickets (company_id, community_id, no, kind, category_id, urgency, severity, title, channel, reporter_name, reported_at,
        status, assignee_id, acknowledged_at, dispatched_at, arrived_at, completed_at, closed_at, rating, rated_at, rework_count, cancel_reason,
        respond_due_at, respond_warn_at, respond_done_at, respond_state, arrive_due_at, arrive_warn_at, arrive_done_at, arrive_state,
        resolve_due_at, resolve_warn_at, resolve_done_at, resolve_state, reply_due_at, reply_warn_at, reply_done_at, reply_state, created_at, updated_at)
      SELECT ${desk.companyId}, (${sql.val(desk.communityIds)}::uuid[])[1 + floor(power(u_comm, 1.3) * ${desk.communityIds.length})::int],
        (CASE kind WHEN 'homeRepair' THEN 'WX' WHEN 'publicRepair' THEN 'GW' WHEN 'complaint' THEN 'TS' WHEN 'inquiry' THEN 'ZX' ELSE 'TY' END)
          || to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(g::text, 7, '0'),
        kind, category_id, CASE WHEN urgent THEN 'urgent' ELSE 'normal' END, CASE WHEN major THEN 'major' ELSE 'ordinary' END,
        CASE kind WHEN 'homeRepair' THEN '卫生间漏水' WHEN 'publicRepair' THEN '楼道灯不亮' WHEN 'complaint' THEN '装修噪音扰民' WHEN 'inquiry' THEN '物业费缴费咨询' ELSE '家电清洗' END,
        (ARRAY['ownerApp', 'frontDesk', 'hotline', 'hotline', 'ownerApp', 'patrol'])[1 + floor(u_chan * 6)::int], '业主', reported_at,
        status, assignee, CASE WHEN assignee IS NOT NULL THEN reported_at + respond_iv * 0.5 END, CASE WHEN assignee IS NOT NULL THEN reported_at + respond_iv * 0.5 END,
        CASE WHEN status IN ('arrived', 'inProgress', 'paused') OR done THEN reported_at + coalesce(arrive_iv, interval '1 hour') * 0.6 END,
        CASE WHEN done THEN finished END, CASE WHEN status = 'closed' THEN least(finished + interval '2 days', ${load.now}::timestamptz) END,
        rating, CASE WHEN rating IS NOT NULL THEN least(finished + interval '1 day', ${load.now}::timestamptz) END, rework, CASE WHEN status = 'cancelled' THEN '业主撤回' END,
        reported_at + respond_iv, reported_at + respond_iv * 0.8, respond_done, ${state('respond')},
        reported_at + arrive_iv, reported_at + arrive_iv * 0.8, arrive_done, ${state('arrive')},
        reported_at + resolve_iv, reported_at + resolve_iv * 0.8, resolve_done, ${state('resolve')},
        reported_at + reply_iv, reported_at + reply_iv * 0.8, reply_done, ${state('reply')},
        reported_at, reported_at
      FROM (
        SELECT *,
          status IN ('completed', 'confirmed', 'visited', 'closed') AS done,
          CASE WHEN status IN ('submitted', 'accepted', 'cancelled') THEN NULL
               WHEN kind IN ('complaint', 'inquiry') THEN (${sql.val(desk.serviceIds)}::uuid[])[1 + floor(u_tech * ${desk.serviceIds.length})::int]
               ELSE (${sql.val(desk.technicianIds)}::uuid[])[1 + floor(power(u_tech, 1.2) * ${desk.technicianIds.length})::int] END AS assignee,
          CASE WHEN status IN ('completed', 'confirmed', 'visited', 'closed') AND kind <> 'inquiry' AND u_rate < 0.65
               THEN CASE WHEN u_score < 0.60 THEN 5 WHEN u_score < 0.85 THEN 4 WHEN u_score < 0.94 THEN 3 WHEN u_score < 0.98 THEN 2 ELSE 1 END END AS rating,
          CASE WHEN status IN ('completed', 'confirmed', 'visited', 'closed') AND kind IN ('homeRepair', 'publicRepair', 'paidService') AND u_rework < 0.03 + 0.002 * floor(u_tech * 20) THEN 1 ELSE 0 END AS rework,
          least(reported_at + coalesce(resolve_iv, reply_iv, interval '1 hour') * f_resolve, cap) AS finished,
          CASE WHEN status NOT IN ('submitted', 'accepted', 'cancelled') THEN least(reported_at + respond_iv * f_respond, cap) END AS respond_done,
          CASE WHEN status IN ('arrived', 'inProgress', 'paused', 'completed', 'confirmed', 'visited', 'closed') THEN least(reported_at + arrive_iv * f_arrive, cap) END AS arrive_done,
          CASE WHEN status IN ('completed', 'confirmed', 'visited', 'closed') THEN least(reported_at + resolve_iv * f_resolve, cap) END AS resolve_done,
          CASE WHEN status IN ('completed', 'confirmed', 'visited', 'closed') THEN least(reported_at + reply_iv * f_reply, cap) END AS reply_done,
          CASE WHEN ${load.now}::timestamptz > reported_at + respond_iv THEN 'overdue' WHEN ${load.now}::timestamptz >= reported_at + respond_iv * 0.8 THEN 'atRisk' ELSE 'running' END AS live_respond,
          CASE WHEN ${load.now}::timestamptz > reported_at + arrive_iv THEN 'overdue' WHEN ${load.now}::timestamptz >= reported_at + arrive_iv * 0.8 THEN 'atRisk' ELSE 'running' END AS live_arrive,
          CASE WHEN ${load.now}::timestamptz > reported_at + resolve_iv THEN 'overdue' WHEN ${load.now}::timestamptz >= reported_at + resolve_iv * 0.8 THEN 'atRisk' ELSE 'running' END AS live_resolve,
          CASE WHEN ${load.now}::timestamptz > reported_at + reply_iv THEN 'overdue' WHEN ${load.now}::timestamptz >= reported_at + reply_iv * 0.8 THEN 'atRisk' ELSE 'running' END AS live_reply
        FROM (
          SELECT *,
            CASE WHEN NOT ${open} AND u_cancel < 0.03 THEN 'cancelled'
                 WHEN ${open} OR u_done > 0.997 * (1 - exp(-extract(epoch FROM ${load.now}::timestamptz - reported_at) / typical)) THEN
                   (ARRAY['submitted', 'accepted', 'dispatched', 'dispatched', 'arrived', 'inProgress', 'inProgress', 'paused'])[1 + floor(u_stage * 8)::int]
                 WHEN ${load.now}::timestamptz - reported_at > interval '6 days' THEN
                   (CASE WHEN u_stage < 0.96 THEN 'closed' WHEN u_stage < 0.985 THEN 'confirmed' ELSE 'completed' END)
                 ELSE (ARRAY['completed', 'completed', 'confirmed', 'visited', 'closed', 'closed'])[1 + floor(u_stage * 6)::int] END AS status,
            -- How late a clock stopped, as a share of its allowance: most within it, some late; technicians differ.
            CASE WHEN random() < 0.90 THEN 0.05 + random() * 0.9 ELSE 1.02 + random() * 1.5 END AS f_respond,
            CASE WHEN random() < 0.86 THEN 0.05 + random() * 0.9 ELSE 1.02 + random() * 1.5 END AS f_arrive,
            CASE WHEN random() < 0.92 - 0.004 * floor(u_tech * 20) THEN 0.05 + random() * 0.9 ELSE 1.02 + random() * 1.5 END AS f_resolve,
            CASE WHEN random() < 0.88 THEN 0.05 + random() * 0.9 ELSE 1.02 + random() * 1.5 END AS f_reply,
            CASE WHEN kind IN ('homeRepair', 'publicRepair', 'complaint') THEN (CASE WHEN urgent THEN interval '5 minutes' ELSE interval '30 minutes' END) END AS respond_iv,
            CASE WHEN urgent AND kind IN ('homeRepair', 'publicRepair') THEN interval '10 minutes' WHEN kind = 'complaint' THEN interval '8 hours' END AS arrive_iv,
            CASE kind WHEN 'homeRepair' THEN (CASE WHEN urgent THEN interval '4 hours' ELSE interval '7 days' END)
                      WHEN 'publicRepair' THEN (CASE WHEN urgent THEN interval '24 hours' ELSE interval '3 days' END) END AS resolve_iv,
            CASE kind WHEN 'complaint' THEN interval '8 hours' WHEN 'inquiry' THEN interval '30 minutes' WHEN 'paidService' THEN interval '24 hours' END AS reply_iv,
            ${load.now}::timestamptz - (${load.now}::timestamptz - reported_at) * 0.05 AS cap
          FROM (
            SELECT *,
              CASE kind WHEN 'homeRepair' THEN ${pick(cats.homeRepair, 'u_cat')} WHEN 'publicRepair' THEN ${pick(cats.publicRepair, 'u_cat')}
                        WHEN 'complaint' THEN ${pick(cats.complaint, 'u_cat')} WHEN 'inquiry' THEN ${pick(cats.inquiry, 'u_cat')} ELSE ${pick(cats.paidService, 'u_cat')} END AS category_id,
              kind IN ('homeRepair', 'publicRepair') AND u_urgent < 0.10 AS urgent,
              kind = 'complaint' AND u_urgent < 0.06 AS major,
              CASE kind WHEN 'homeRepair' THEN 86400 * 2.5 WHEN 'publicRepair' THEN 86400 * 1.5 WHEN 'complaint' THEN 3600 * 6 WHEN 'inquiry' THEN 1200 ELSE 86400 END AS typical
            FROM (
              SELECT g, u_comm, u_cat, u_urgent, u_chan, u_tech, u_cancel, u_done, u_stage, u_rate, u_score, u_rework,
                CASE WHEN u_kind < 0.40 THEN 'homeRepair' WHEN u_kind < 0.60 THEN 'publicRepair' WHEN u_kind < 0.72 THEN 'complaint' WHEN u_kind < 0.92 THEN 'inquiry' ELSE 'paidService' END AS kind,
                ${open ? sql`${load.now}::timestamptz - make_interval(secs => u_age * 86400 * ${load.days})` : sql`${load.now}::timestamptz - make_interval(secs => power(u_age, 1.15) * 86400 * ${load.days})`} AS reported_at
              FROM (
                SELECT g, random() AS u_kind, random() AS u_comm, random() AS u_cat, random() AS u_urgent, random() AS u_chan, random() AS u_tech,
                  random() AS u_cancel, random() AS u_done, random() AS u_stage, random() AS u_rate, random() AS u_score, random() AS u_rework, random() AS u_age
                FROM generate_series(1, ${load.count}) g
              ) r0
            ) r1
          ) r2
        ) r3
      ) r4`.execute(trx);
    if (open) await openClocks(trx, desk.companyId, load);
    // Return visits (回访) of completed work: every complaint and about half of the repairs; most done.
    await sql`
      INSERT INTO return_visits (company_id, community_id, ticket_id, reason, mandatory, status, attempts, next_attempt_at, satisfaction, resolved, channel, visited_at, created_at, updated_at)
      SELECT v.company_id, v.community_id, v.id,
        CASE WHEN kind = 'complaint' AND severity = 'major' THEN 'majorComplaint' WHEN kind = 'complaint' THEN 'complaint' ELSE 'sample' END,
        kind = 'complaint' AND severity = 'major', visit_status, CASE WHEN visit_status = 'pending' THEN 0 ELSE 1 END, completed_at + interval '1 day',
        CASE WHEN visit_status = 'done' THEN (CASE WHEN u < 0.55 THEN 5 WHEN u < 0.85 THEN 4 WHEN u < 0.95 THEN 3 ELSE 2 END) END,
        CASE WHEN visit_status = 'done' THEN true END, CASE WHEN visit_status = 'done' THEN 'phone' END,
        CASE WHEN visit_status = 'done' THEN completed_at + interval '1 day' END, completed_at, completed_at
      FROM (
        SELECT t.company_id, t.community_id, t.id, t.kind, t.severity, t.completed_at, random() AS u,
          CASE WHEN t.status IN ('visited', 'closed') AND random() < 0.92 THEN 'done' WHEN t.status = 'closed' THEN 'failed' ELSE 'pending' END AS visit_status
        FROM tickets t
        WHERE t.company_id = ${desk.companyId} AND t.completed_at IS NOT NULL
          AND (t.kind = 'complaint' OR (t.kind IN ('homeRepair', 'publicRepair', 'paidService') AND ('x' || substr(md5(t.id::text), 1, 4))::bit(16)::int % 100 < 50))
      ) v`.execute(trx);
  });
}

/**
 * For the sweep benchmark: every open ticket's unfinished clocks stored as running, with the shares asked for placed
 * past their warning point or past due, so one sweep has that many state changes to make.
 */
async function openClocks(trx: Kysely<DB>, companyId: string, load: TicketLoad) {
  const warn = load.warnShare ?? 0.1;
  const due = load.dueShare ?? 0.05;
  await sql`
    UPDATE tickets t SET
      resolve_due_at = CASE WHEN t.resolve_due_at IS NULL THEN NULL WHEN x.u < ${due} THEN ${load.now}::timestamptz - interval '10 minutes' WHEN x.u < ${due + warn} THEN ${load.now}::timestamptz + interval '30 minutes' ELSE ${load.now}::timestamptz + interval '3 days' END,
      resolve_warn_at = CASE WHEN t.resolve_due_at IS NULL THEN NULL WHEN x.u < ${due} THEN ${load.now}::timestamptz - interval '2 hours' WHEN x.u < ${due + warn} THEN ${load.now}::timestamptz - interval '5 minutes' ELSE ${load.now}::timestamptz + interval '2 days' END,
      resolve_state = CASE WHEN t.resolve_due_at IS NULL OR t.status = 'cancelled' THEN NULL ELSE 'running' END,
      reply_due_at = CASE WHEN t.reply_due_at IS NULL THEN NULL WHEN x.u < ${due} THEN ${load.now}::timestamptz - interval '10 minutes' WHEN x.u < ${due + warn} THEN ${load.now}::timestamptz + interval '30 minutes' ELSE ${load.now}::timestamptz + interval '1 day' END,
      reply_warn_at = CASE WHEN t.reply_due_at IS NULL THEN NULL WHEN x.u < ${due} THEN ${load.now}::timestamptz - interval '2 hours' WHEN x.u < ${due + warn} THEN ${load.now}::timestamptz - interval '5 minutes' ELSE ${load.now}::timestamptz + interval '20 hours' END,
      reply_state = CASE WHEN t.reply_due_at IS NULL OR t.status = 'cancelled' THEN NULL ELSE 'running' END,
      respond_state = CASE WHEN t.respond_state IS NULL THEN NULL ELSE 'met' END, respond_done_at = coalesce(t.respond_done_at, t.respond_due_at - interval '1 minute'),
      arrive_state = CASE WHEN t.arrive_state IS NULL THEN NULL ELSE 'met' END, arrive_done_at = CASE WHEN t.arrive_due_at IS NULL THEN NULL ELSE coalesce(t.arrive_done_at, t.arrive_due_at - interval '1 minute') END,
      status = CASE WHEN t.status = 'paused' THEN 'inProgress' ELSE t.status END
    FROM (SELECT id, random() AS u FROM tickets WHERE company_id = ${companyId}) x
    WHERE t.id = x.id`.execute(trx);
}
