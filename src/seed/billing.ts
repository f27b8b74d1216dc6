import { sql, type Kysely } from 'kysely';
import pino from 'pino';
import type { DB } from '../db/schema.ts';
import { localDate } from '../modules/servicedesk/deadlines.ts';
import { driveRun, openRun } from '../modules/billing/runs.ts';

/**
 * Billing of a demo company: 物业费 (¥1.80/㎡·月 on the built area, monthly, prepaid, settled automatically from the
 * 物业费 balance) for every room and 车位管理费 (¥80/个·月) for every held parking space, billed for the current month
 * and the three before; about 85 % of rooms paid every month on time, the rest stopped paying at some month (the
 * arrears the 欠费 pages show, aged up to about four months). 张伟's home (锦华苑 1栋-1单元-1201) owes the last two months, so the owner
 * site has something to pay. Payments are written set-based (one per room or space, counter and online mixed) with their
 * allocations and receipts; the maintenance fund has its initial deposit and quarterly interest; 公共收支 has a few
 * entries; each community has a 95 % collection-rate target for the year.
 */

const silent = pino({ level: 'silent' });

export interface BillingCounts {
  lines: number;
  payments: number;
}

export async function seedBilling(db: Kysely<DB>, companyCodes: readonly string[], now = new Date()): Promise<BillingCounts> {
  const counts: BillingCounts = { lines: 0, payments: 0 };
  for (const code of companyCodes) {
    const company = await db.selectFrom('companies').select('id').where('code', '=', code).executeTakeFirst();
    if (!company) continue;
    if (await db.selectFrom('fee_items').select('id').where('company_id', '=', company.id).executeTakeFirst()) continue;
    const companyId = company.id;
    const communities = await db.selectFrom('communities').select(['id', 'time_zone']).where('company_id', '=', companyId).orderBy('code').execute();
    if (!communities.length) continue;
    const today = localDate(now, communities[0].time_zone);
    const year = Number(today.slice(0, 4));
    const month = Number(today.slice(5, 7));

    const [property, parking] = await db
      .insertInto('fee_items')
      .values([
        // 滞纳金 0.3‰ a day after 60 days' grace: the oldest arrears accrue some, this and last month's none.
        { company_id: companyId, name: '物业费', kind: 'property', unit_price: '1.8000', cycle: 'monthly', billing_mode: 'prepaid', due_days: 15, balance_kind: 'property', auto_deduct: true, late_fee: JSON.stringify({ graceDays: 60, perDayPermille: '0.3' }) },
        { company_id: companyId, name: '车位管理费', kind: 'parking', unit_price: '80.0000', cycle: 'monthly', billing_mode: 'prepaid', due_days: 15, balance_kind: 'general' },
      ])
      .returning('id')
      .execute();
    // 预交优惠: pay 12 months of 物业费, get 1 free.
    await db.insertInto('fee_item_discounts').values({ company_id: companyId, item_id: property.id, kind: 'prepay', pay_months: 12, free_months: 1 }).execute();
    await db
      .insertInto('fee_item_communities')
      .values(communities.flatMap((c) => [property, parking].map((i) => ({ item_id: i.id, community_id: c.id, company_id: companyId }))))
      .execute();
    // Four months of bills (this month and the three before), so arrears age into the 91–180-day bucket.
    const first = Math.max(1, month - 3);
    const start = `${year}-${String(first).padStart(2, '0')}-01`;
    await sql`
      INSERT INTO fee_bindings (company_id, community_id, item_id, room_id, start_date)
      SELECT r.company_id, r.community_id, ${property.id}::uuid, r.id, ${start}::date FROM rooms r WHERE r.company_id = ${companyId}`.execute(db);
    await sql`
      INSERT INTO fee_bindings (company_id, community_id, item_id, parking_space_id, start_date)
      SELECT DISTINCT s.company_id, s.community_id, ${parking.id}::uuid, s.id, ${start}::date
        FROM parking_spaces s JOIN parking_holdings h ON h.parking_space_id = s.id AND h.end_date IS NULL
       WHERE s.company_id = ${companyId}`.execute(db);

    for (const c of communities) {
      for (let m = first; m <= month; m++) {
        const periodKey = `${year}-${String(m).padStart(2, '0')}`;
        const { runId, plan } = await openRun(db, null, { companyId, communityId: c.id, periodKey, trigger: 'schedule' });
        await driveRun({ db, log: silent }, null, runId, plan);
      }
    }

    const cashier = await db.selectFrom('users').innerJoin('user_roles', 'user_roles.user_id', 'users.id').innerJoin('roles', 'roles.id', 'user_roles.role_id').select('users.id').where('users.company_id', '=', companyId).where('roles.builtin_key', '=', 'cashier').executeTakeFirst();
    const admin = await db.selectFrom('users').innerJoin('user_roles', 'user_roles.user_id', 'users.id').innerJoin('roles', 'roles.id', 'user_roles.role_id').select('users.id').where('users.company_id', '=', companyId).where('roles.builtin_key', '=', 'admin').executeTakeFirstOrThrow();
    const collector = cashier?.id ?? admin.id;
    const home = await db
      .selectFrom('rooms as r')
      .innerJoin('buildings as b', 'b.id', 'r.building_id')
      .innerJoin('room_residents as l', 'l.room_id', 'r.id')
      .innerJoin('residents as p', 'p.id', 'l.resident_id')
      .select('r.id')
      .where('r.company_id', '=', companyId)
      .where('p.phone', '=', '13800138001')
      .executeTakeFirst();

    // Which lines were paid: a target's "stop month" (hash of its id) — 85 % never stop, the rest stop at one of the
    // billed months. Lines due after today are left open (not yet due). 张伟's home owes the last two months. Each
    // target paid its lines in one payment (counter or online), a few days before its last paid line fell due.
    const paidLines = await db.transaction().execute(async (trx) => {
      await sql`
        CREATE TEMP TABLE seed_paid ON COMMIT DROP AS
        WITH chosen AS (
          SELECT l.id, l.company_id, l.community_id, l.target_id, l.room_id, l.parking_space_id, l.amount_fen, l.due_date, c.time_zone,
                 (abs(hashtextextended(l.target_id::text, 7)) % 100)::int AS bucket,
                 extract(month FROM l.period_start)::int AS m
            FROM bill_lines l JOIN communities c ON c.id = l.community_id
           WHERE l.company_id = ${companyId} AND l.status = 'unpaid' AND l.due_date <= ${today}::date
        )
        SELECT * FROM chosen
         WHERE (bucket < 85 OR m < ${first} + (bucket - 85) % ${month - first + 1})
           AND NOT (room_id IS NOT DISTINCT FROM ${home?.id ?? null}::uuid AND m >= ${month - 1})`.execute(trx);
      await sql`
        INSERT INTO payments (company_id, community_id, room_id, trade_no, method, channel, status, amount_fen, allocated_fen,
                              idempotency_key, request_hash, collector_id, paid_at, business_date, created_at, updated_at)
        SELECT company_id, community_id, room_id,
               'AJ' || to_char(paid_on, 'YYYYMMDD') || upper(substr(md5(target_id::text), 1, 12)),
               (ARRAY['cash', 'pos', 'transfer', 'wechatpay', 'alipay', 'wechatpay', 'wechatpay', 'alipay'])[1 + roll % 8],
               CASE WHEN roll % 8 >= 3 THEN 'owner' ELSE 'counter' END, 'succeeded', amount_fen, amount_fen,
               'seed:' || target_id::text, 'seed',
               CASE WHEN roll % 8 >= 3 THEN NULL ELSE ${collector}::uuid END,
               at, paid_on, at, at
          FROM (
            SELECT g.*, (g.paid_on::timestamp + make_interval(hours => 9 + g.roll % 9, mins => g.roll % 60)) AT TIME ZONE g.time_zone AS at
              FROM (
                SELECT target_id, company_id, community_id, min(room_id::text)::uuid AS room_id, time_zone, sum(amount_fen)::bigint AS amount_fen,
                       max(due_date) - (abs(hashtextextended(target_id::text, 3)) % 12)::int AS paid_on,
                       (abs(hashtextextended(target_id::text, 5)) % 100)::int AS roll
                  FROM seed_paid GROUP BY target_id, company_id, community_id, time_zone) g) x`.execute(trx);
      await sql`
        INSERT INTO payment_allocations (company_id, community_id, bill_line_id, source, payment_id, amount_fen, created_at)
        SELECT y.company_id, y.community_id, y.id, 'payment', p.id, y.amount_fen, p.paid_at
          FROM seed_paid y JOIN payments p ON p.company_id = y.company_id AND p.idempotency_key = 'seed:' || y.target_id::text`.execute(trx);
      await sql`
        INSERT INTO receipts (company_id, community_id, payment_id, number, amount_fen, issued_at)
        SELECT company_id, community_id, id,
               'SJ' || extract(year FROM business_date)::int || '-' || lpad((row_number() OVER (PARTITION BY extract(year FROM business_date) ORDER BY paid_at, id))::text, 6, '0'),
               amount_fen, paid_at
          FROM payments WHERE company_id = ${companyId} AND request_hash = 'seed'`.execute(trx);
      const updated = await sql`UPDATE bill_lines l SET paid_fen = l.amount_fen, status = 'paid', updated_at = now() FROM seed_paid y WHERE l.id = y.id`.execute(trx);
      return Number(updated.numAffectedRows ?? 0);
    });
    counts.payments += paidLines;
    await sql`
      INSERT INTO receipt_counters (company_id, year, last)
      SELECT ${companyId}::uuid, substr(number, 3, 4)::int, max(substr(number, 8)::int) FROM receipts WHERE company_id = ${companyId} GROUP BY 2
      ON CONFLICT (company_id, year) DO UPDATE SET last = EXCLUDED.last`.execute(db);
    const lines = await db.selectFrom('bill_lines').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', companyId).executeTakeFirstOrThrow();
    counts.lines += lines.n;

    // Maintenance fund: the initial deposit (首期维修资金) at hand-over and interest each quarter; 公共收支; quotas.
    for (const c of communities) {
      let balance = 0;
      const entries: Array<{ kind: 'deposit' | 'interest'; amount: number; on: string; text: string }> = [
        { kind: 'deposit', amount: 386_400_000, on: `${year - 1}-12-20`, text: '首期专项维修资金归集' },
      ];
      for (let q = 1; q <= Math.floor((month - 1) / 3); q++) entries.push({ kind: 'interest', amount: 2_898_000 + q * 1_300, on: `${year}-${String(q * 3).padStart(2, '0')}-21`, text: `第${q}季度利息` });
      for (const e of entries) {
        balance += e.amount;
        await db.insertInto('fund_entries').values({ company_id: companyId, community_id: c.id, kind: e.kind, amount_fen: e.amount, balance_after_fen: balance, occurred_on: e.on, description: e.text, created_by: admin.id }).execute();
      }
      const publicEntries = [
        { month: `${year}-${String(Math.max(1, month - 2)).padStart(2, '0')}`, direction: 'income' as const, category: '电梯广告位收入', amount: 1_860_000 },
        { month: `${year}-${String(Math.max(1, month - 1)).padStart(2, '0')}`, direction: 'income' as const, category: '地面临时停车收益', amount: 924_000 },
        { month: `${year}-${String(Math.max(1, month - 1)).padStart(2, '0')}`, direction: 'expense' as const, category: '公共区域绿化补植', amount: 415_000 },
      ];
      await db.insertInto('disclosure_entries').values(publicEntries.map((e) => ({ company_id: companyId, community_id: c.id, month: e.month, direction: e.direction, category: e.category, amount_fen: e.amount, created_by: admin.id }))).execute();
      await db.insertInto('collection_quotas').values({ company_id: companyId, community_id: c.id, year, target_percent: '95.00' }).execute();
    }
  }
  return counts;
}
