import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type RequestContext, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { CATEGORIES, type Category } from './catalogue.ts';
import { intactRate } from './rules.ts';
import { loadCommunity, overdueSql, todayIn } from './repo.ts';
import type { Figures } from './schema.ts';

/** The equipment figures: 完好率 by category and community, open and overdue maintenance, inspections coming up, faults by month. */
export async function equipmentFigures(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { communityId?: string }): Promise<Figures> {
  requirePermission(ctx.actor, 'equipment.read');
  const companyId = companyOf(ctx.actor);
  const community = q.communityId ? await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound') : null;
  const scope = community ? [community.id] : communityScope(ctx.actor);
  const db = deps.db;
  const [byStatus, tasks, inspections, faults] = await Promise.all([
    db
      .selectFrom('equipment as e')
      .innerJoin('communities as c', 'c.id', 'e.community_id')
      .select(['e.community_id', 'c.name as community_name', 'e.category', 'e.status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('e.company_id', '=', companyId)
      .$if(scope !== null, (qb) => qb.where('e.community_id', 'in', scope!))
      .groupBy(['e.community_id', 'c.name', 'e.category', 'e.status'])
      .execute(),
    db
      .selectFrom('maintenance_tasks as t')
      .innerJoin('communities as c', 'c.id', 't.community_id')
      .select([
        sql<number>`count(*) FILTER (WHERE t.status = 'open')`.as('open'),
        sql<number>`count(*) FILTER (WHERE t.status = 'open' AND ${overdueSql('t.due_on', 'c.time_zone')})`.as('overdue'),
        sql<number>`count(*) FILTER (WHERE t.status = 'done' AND date_trunc('month', t.done_at AT TIME ZONE c.time_zone) = date_trunc('month', now() AT TIME ZONE c.time_zone))`.as('done_month'),
      ])
      .where('t.company_id', '=', companyId)
      .$if(scope !== null, (qb) => qb.where('t.community_id', 'in', scope!))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('equipment_inspections as i')
      .innerJoin('communities as c', 'c.id', 'i.community_id')
      .select([
        sql<number>`count(*) FILTER (WHERE i.next_due_on < (now() AT TIME ZONE c.time_zone)::date)`.as('overdue'),
        sql<number>`count(*) FILTER (WHERE i.next_due_on >= (now() AT TIME ZONE c.time_zone)::date AND i.next_due_on <= (now() AT TIME ZONE c.time_zone)::date + 30)`.as('within30'),
        sql<number>`count(*) FILTER (WHERE i.next_due_on >= (now() AT TIME ZONE c.time_zone)::date AND i.next_due_on <= (now() AT TIME ZONE c.time_zone)::date + 60)`.as('within60'),
      ])
      .where('i.company_id', '=', companyId)
      .where('i.active', '=', true)
      .$if(scope !== null, (qb) => qb.where('i.community_id', 'in', scope!))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('equipment_status_history as h')
      .innerJoin('equipment as e', 'e.id', 'h.equipment_id')
      .innerJoin('communities as c', 'c.id', 'e.community_id')
      .select([sql<string>`to_char(h.changed_at AT TIME ZONE c.time_zone, 'YYYY-MM')`.as('month'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('h.company_id', '=', companyId)
      .where('h.to_status', '=', 'fault')
      .where('h.changed_at', '>=', sql<Date>`now() - interval '13 months'`)
      .$if(scope !== null, (qb) => qb.where('e.community_id', 'in', scope!))
      .groupBy(sql`1`)
      .execute(),
  ]);

  const blank = () => ({ normal: 0, fault: 0, stopped: 0 });
  const withRate = <T extends { normal: number; fault: number; stopped: number }>(c: T) => ({ ...c, intactRate: intactRate(c) });
  const total = blank();
  const cats = new Map<string, ReturnType<typeof blank>>();
  const comms = new Map<string, ReturnType<typeof blank> & { communityName: string }>();
  for (const r of byStatus) {
    const n = Number(r.n);
    total[r.status] += n;
    if (!cats.has(r.category)) cats.set(r.category, blank());
    cats.get(r.category)![r.status] += n;
    if (!comms.has(r.community_id)) comms.set(r.community_id, { ...blank(), communityName: r.community_name });
    comms.get(r.community_id)![r.status] += n;
  }
  const today = community ? todayIn(community.time_zone) : todayIn('Asia/Shanghai');
  const months: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  const faultsByMonth = new Map(faults.map((f) => [f.month, Number(f.n)]));
  return {
    asOf: today,
    total: withRate(total),
    byCategory: CATEGORIES.filter((c) => cats.has(c)).map((c) => withRate({ category: c as Category, ...cats.get(c)! })),
    byCommunity: [...comms.entries()].map(([communityId, c]) => withRate({ communityId, ...c })).sort((a, b) => a.communityName.localeCompare(b.communityName)),
    tasks: { open: Number(tasks.open), overdue: Number(tasks.overdue), doneThisMonth: Number(tasks.done_month) },
    inspections: { overdue: Number(inspections.overdue), within30: Number(inspections.within30), within60: Number(inspections.within60) },
    faultsByMonth: months.map((month) => ({ month, count: faultsByMonth.get(month) ?? 0 })),
  };
}
