import { sql, type RawBuilder } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type RequestContext, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';

/**
 * 对账: proves the money invariants of migration 0012 over a company's (or one community's) books.
 *
 * (a) For a period of business dates (each row's instant read in its community's time zone):
 *       cash in − cash out = Σ allocations from payments + Σ allocations from balances + Σ balance deltas,
 *     where cash in is the succeeded payments paid in the period, cash out the refunds refunded in it, and the
 *     allocations and balance entries are those created in it. A payment books its allocations, its deposit and its
 *     paid_at at one instant, a settlement its allocation and its (negative) entry at one instant, and a refund its
 *     reversals, its balance entry and its refunded_at at one instant, so the identity holds for any period exactly.
 * (b) every bill line's paid_fen = Σ of its allocations;
 * (c) every prepaid balance = Σ of its entries, and each entry's balance_after_fen = the running sum of its ledger;
 * (d) every succeeded payment: amount = Σ positive allocations + Σ deposit entries (= allocated_fen + to_balance_fen),
 *     refunded_fen = Σ its refunded refunds = −(Σ its negative allocations + Σ its refund entries), and one receipt of
 *     its amount; a payment that did not succeed has no allocation, entry or receipt;
 * (e) every refunded refund: from_lines_fen = −Σ its reversals, from_balance_fen = −Σ its balance entries; a refund
 *     not refunded moved nothing.
 * (b)–(e) are checked over everything in scope, whatever the period. Mismatches are listed (at most MAX_LISTED).
 */

const MAX_LISTED = 100;
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

export interface ReconcileQuery {
  from: string;
  to: string;
  communityId?: string;
}

export type MismatchCheck = 'period' | 'line' | 'balance' | 'balanceEntry' | 'payment' | 'refund' | 'bonus';

export interface Mismatch {
  check: MismatchCheck;
  /** What does not add up, e.g. 'paidFen', 'amountFen', 'refundedFen'. */
  field: string;
  entityType: 'community' | 'billLine' | 'prepaidBalance' | 'balanceEntry' | 'payment' | 'refund' | 'prepayBonus';
  entityId: string;
  communityId: string | null;
  /** What the ledger rows add up to. */
  expectedFen: number;
  /** What the record says. */
  actualFen: number;
}

export interface PeriodFigures {
  paymentsFen: number;
  paymentCount: number;
  refundsFen: number;
  refundCount: number;
  /** paymentsFen − refundsFen. */
  netCashFen: number;
  /** Σ allocations from payments (refund reversals are negative). */
  paymentAllocationsFen: number;
  /** Σ allocations from prepaid balances (settlements). */
  balanceAllocationsFen: number;
  /** Σ balance entries, and by reason. */
  balanceDeltaFen: number;
  depositsFen: number;
  settlementsFen: number;
  balanceRefundsFen: number;
  /** paymentAllocationsFen + balanceAllocationsFen + balanceDeltaFen. */
  ledgerFen: number;
  /** netCashFen − ledgerFen: 0 when the books agree. */
  differenceFen: number;
}

export interface Reconciliation {
  from: string;
  to: string;
  communityId: string | null;
  period: PeriodFigures & { communities: Array<PeriodFigures & { communityId: string; communityName: string }> };
  checked: { lines: number; balances: number; balanceEntries: number; payments: number; refunds: number; bonuses: number };
  /** Field by field, at most MAX_LISTED. */
  mismatches: Mismatch[];
  /** How many records (communities' periods, lines, balances, entries, payments, refunds) do not add up. */
  mismatchCount: number;
  truncated: boolean;
  ok: boolean;
}

interface Scope {
  companyId: string;
  communities: Array<{ id: string; name: string }>;
  wholeCompany: boolean;
}

const n = (v: unknown) => Number(v ?? 0);

/** `column` (a community id) within the scope. */
function inScope(s: Scope, column: string): RawBuilder<boolean> {
  if (s.wholeCompany) return sql<boolean>`true`;
  if (!s.communities.length) return sql<boolean>`false`;
  return sql<boolean>`${sql.ref(column)} IN (${sql.join(s.communities.map((c) => c.id))})`;
}

async function scopeOf(db: Deps['db'], ctx: RequestContext, communityId: string | undefined): Promise<Scope> {
  const companyId = companyOf(ctx.actor);
  const visible = communityScope(ctx.actor);
  const all = await db.selectFrom('communities').select(['id', 'name']).where('company_id', '=', companyId).orderBy('code').orderBy('name').execute();
  let communities = all.filter((c) => visible === null || visible.includes(c.id));
  if (communityId) {
    communities = communities.filter((c) => c.id === communityId);
    if (!communities.length) throw new NotFoundError('community');
  }
  return { companyId, communities, wholeCompany: communities.length === all.length };
}

function checkRange(from: string, to: string) {
  if (to < from) throw new ValidationError('to', 'validation.dateOrder');
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days > MAX_DAYS) throw new ValidationError('from', 'validation.rangeTooLong', { max: MAX_DAYS });
}

function figures(row: Record<string, unknown>): PeriodFigures {
  const paymentsFen = n(row.payments_fen);
  const refundsFen = n(row.refunds_fen);
  const paymentAllocationsFen = n(row.payment_alloc_fen);
  const balanceAllocationsFen = n(row.balance_alloc_fen);
  const depositsFen = n(row.deposits_fen);
  const settlementsFen = n(row.settlements_fen);
  const balanceRefundsFen = n(row.balance_refunds_fen);
  const balanceDeltaFen = depositsFen + settlementsFen + balanceRefundsFen;
  const netCashFen = paymentsFen - refundsFen;
  const ledgerFen = paymentAllocationsFen + balanceAllocationsFen + balanceDeltaFen;
  return {
    paymentsFen,
    paymentCount: n(row.payment_count),
    refundsFen,
    refundCount: n(row.refund_count),
    netCashFen,
    paymentAllocationsFen,
    balanceAllocationsFen,
    balanceDeltaFen,
    depositsFen,
    settlementsFen,
    balanceRefundsFen,
    ledgerFen,
    differenceFen: netCashFen - ledgerFen,
  };
}

/** (a): the period's cash against its ledger rows, per community. */
async function periodFigures(db: Deps['db'], s: Scope, from: string, to: string) {
  // A coarse instant window first (every zone is within a day of UTC), so the (company_id, created_at) indexes
  // serve; the exact test is the local date of each instant in its community's zone.
  const lo = new Date(Date.parse(`${from}T00:00:00Z`) - DAY_MS);
  const hi = new Date(Date.parse(`${to}T00:00:00Z`) + 2 * DAY_MS);
  const inPeriod = (column: RawBuilder<unknown>) => sql<boolean>`${column} >= ${lo} AND ${column} < ${hi} AND timezone(c.time_zone, ${column})::date BETWEEN ${from}::date AND ${to}::date`;
  const { rows } = await sql<Record<string, unknown>>`
    WITH c AS (
      SELECT c.id, c.name, c.time_zone, c.code FROM communities c WHERE c.company_id = ${s.companyId} AND ${inScope(s, 'c.id')}
    ), pay AS (
      SELECT p.community_id, sum(p.amount_fen)::bigint AS payments_fen, count(*) AS payment_count
        FROM payments p JOIN c ON c.id = p.community_id
       WHERE p.company_id = ${s.companyId} AND p.status = 'succeeded' AND ${inPeriod(sql`p.paid_at`)}
       GROUP BY p.community_id
    ), ref AS (
      SELECT f.community_id, sum(f.amount_fen)::bigint AS refunds_fen, count(*) AS refund_count
        FROM refunds f JOIN c ON c.id = f.community_id
       WHERE f.company_id = ${s.companyId} AND f.status = 'refunded' AND ${inPeriod(sql`f.refunded_at`)}
       GROUP BY f.community_id
    ), alloc AS (
      SELECT a.community_id,
             COALESCE(sum(a.amount_fen) FILTER (WHERE a.source = 'payment'), 0)::bigint AS payment_alloc_fen,
             COALESCE(sum(a.amount_fen) FILTER (WHERE a.source = 'balance'), 0)::bigint AS balance_alloc_fen
        FROM payment_allocations a JOIN c ON c.id = a.community_id
       WHERE a.company_id = ${s.companyId} AND ${inPeriod(sql`a.created_at`)}
       GROUP BY a.community_id
    ), bal AS (
      SELECT e.community_id,
             COALESCE(sum(e.delta_fen) FILTER (WHERE e.reason = 'deposit'), 0)::bigint AS deposits_fen,
             COALESCE(sum(e.delta_fen) FILTER (WHERE e.reason = 'settlement'), 0)::bigint AS settlements_fen,
             COALESCE(sum(e.delta_fen) FILTER (WHERE e.reason = 'refund'), 0)::bigint AS balance_refunds_fen
        FROM balance_entries e JOIN c ON c.id = e.community_id
       WHERE e.company_id = ${s.companyId} AND ${inPeriod(sql`e.created_at`)}
       GROUP BY e.community_id
    )
    SELECT c.id, c.name, pay.payments_fen, pay.payment_count, ref.refunds_fen, ref.refund_count, alloc.payment_alloc_fen, alloc.balance_alloc_fen,
           bal.deposits_fen, bal.settlements_fen, bal.balance_refunds_fen
      FROM c
      LEFT JOIN pay ON pay.community_id = c.id
      LEFT JOIN ref ON ref.community_id = c.id
      LEFT JOIN alloc ON alloc.community_id = c.id
      LEFT JOIN bal ON bal.community_id = c.id
     ORDER BY c.code, c.name`.execute(db);
  const communities = rows.map((r) => ({ communityId: String(r.id), communityName: String(r.name), ...figures(r) }));
  const total: Record<string, number> = {};
  for (const r of rows) {
    for (const key of ['payments_fen', 'payment_count', 'refunds_fen', 'refund_count', 'payment_alloc_fen', 'balance_alloc_fen', 'deposits_fen', 'settlements_fen', 'balance_refunds_fen']) {
      total[key] = (total[key] ?? 0) + n(r[key]);
    }
  }
  return { ...figures(total), communities };
}

/**
 * Runs `checks` (a CTE named x whose rows each carry a boolean `bad`) and returns the first MAX_LISTED bad rows, how
 * many rows were checked (those with `counted`) and how many are bad, in one statement.
 */
async function badRows<T>(db: Deps['db'], checks: RawBuilder<unknown>, counted: RawBuilder<boolean> = sql<boolean>`true`) {
  const { rows } = await sql<T & { bad: boolean; total: unknown; bad_count: unknown }>`
    WITH ${checks}
    SELECT x.*, count(*) FILTER (WHERE ${counted}) OVER () AS total, count(*) FILTER (WHERE x.bad) OVER () AS bad_count
      FROM x ORDER BY x.bad DESC LIMIT ${MAX_LISTED}`.execute(db);
  const bad = rows.filter((r) => r.bad);
  return { checked: n(rows[0]?.total), bad: n(rows[0]?.bad_count), cut: n(rows[0]?.bad_count) > bad.length, rows: bad };
}

/** (b): lines whose paid_fen is not the sum of their allocations. */
async function lineChecks(db: Deps['db'], s: Scope) {
  const found = await badRows<{ id: string; community_id: string; paid_fen: unknown; alloc_fen: unknown }>(
    db,
    sql`x AS (
      SELECT l.id, l.community_id, l.paid_fen, COALESCE(a.fen, 0)::bigint AS alloc_fen, l.paid_fen <> COALESCE(a.fen, 0) AS bad
        FROM bill_lines l
        LEFT JOIN (SELECT bill_line_id, sum(amount_fen)::bigint AS fen FROM payment_allocations WHERE company_id = ${s.companyId} GROUP BY bill_line_id) a ON a.bill_line_id = l.id
       WHERE l.company_id = ${s.companyId} AND ${inScope(s, 'l.community_id')} AND (l.paid_fen <> 0 OR a.fen IS NOT NULL)
    )`,
  );
  const mismatches = found.rows.map(
    (r): Mismatch => ({ check: 'line', field: 'paidFen', entityType: 'billLine', entityId: r.id, communityId: r.community_id, expectedFen: n(r.alloc_fen), actualFen: n(r.paid_fen) }),
  );
  return { checked: found.checked, bad: found.bad, cut: found.cut, mismatches };
}

/** (c): balances against their ledger, and each entry's balance after against the running sum of its ledger. */
async function balanceChecks(db: Deps['db'], s: Scope) {
  const balances = await badRows<{ room_id: string; kind: string; community_id: string; balance_fen: unknown; entries_fen: unknown }>(
    db,
    sql`x AS (
      SELECT COALESCE(b.room_id, e.room_id) AS room_id, COALESCE(b.kind, e.kind) AS kind, COALESCE(b.community_id, e.community_id) AS community_id,
             COALESCE(b.balance_fen, 0)::bigint AS balance_fen, COALESCE(e.fen, 0)::bigint AS entries_fen,
             COALESCE(b.balance_fen, 0) <> COALESCE(e.fen, 0) AS bad
        FROM (SELECT b.* FROM prepaid_balances b WHERE b.company_id = ${s.companyId} AND ${inScope(s, 'b.community_id')}) b
        FULL JOIN (
          SELECT e.room_id, e.kind, (array_agg(e.community_id))[1] AS community_id, sum(e.delta_fen)::bigint AS fen
            FROM balance_entries e WHERE e.company_id = ${s.companyId} AND ${inScope(s, 'e.community_id')} GROUP BY e.room_id, e.kind
        ) e ON e.room_id = b.room_id AND e.kind = b.kind
    )`,
  );
  const entries = await badRows<{ id: unknown; community_id: string; balance_after_fen: unknown; running: unknown }>(
    db,
    sql`w AS (
      SELECT e.id, e.community_id, e.balance_after_fen, sum(e.delta_fen) OVER (PARTITION BY e.room_id, e.kind ORDER BY e.id)::bigint AS running
        FROM balance_entries e WHERE e.company_id = ${s.companyId} AND ${inScope(s, 'e.community_id')}
    ), x AS (SELECT w.*, w.running <> w.balance_after_fen AS bad FROM w)`,
  );
  const mismatches: Mismatch[] = [
    ...balances.rows.map(
      (r): Mismatch => ({ check: 'balance', field: `balanceFen.${r.kind}`, entityType: 'prepaidBalance', entityId: r.room_id, communityId: r.community_id, expectedFen: n(r.entries_fen), actualFen: n(r.balance_fen) }),
    ),
    ...entries.rows.map(
      (r): Mismatch => ({ check: 'balanceEntry', field: 'balanceAfterFen', entityType: 'balanceEntry', entityId: String(r.id), communityId: r.community_id, expectedFen: n(r.running), actualFen: n(r.balance_after_fen) }),
    ),
  ];
  return { balances: balances.checked, entries: entries.checked, bad: balances.bad + entries.bad, cut: balances.cut || entries.cut, mismatches };
}

interface PaymentRow {
  id: string;
  community_id: string;
  status: string;
  amount_fen: unknown;
  allocated_fen: unknown;
  to_balance_fen: unknown;
  refunded_fen: unknown;
  pos: unknown;
  neg: unknown;
  dep: unknown;
  ref: unknown;
  refunded: unknown;
  receipts: unknown;
  receipt_fen: unknown;
}

/** (d): each payment against its allocations, balance entries, refunds and receipt. */
async function paymentChecks(db: Deps['db'], s: Scope) {
  const found = await badRows<PaymentRow>(
    db,
    sql`a AS (
      SELECT payment_id,
             COALESCE(sum(amount_fen) FILTER (WHERE refund_id IS NULL), 0)::bigint AS pos,
             COALESCE(sum(amount_fen) FILTER (WHERE refund_id IS NOT NULL), 0)::bigint AS neg
        FROM payment_allocations WHERE company_id = ${s.companyId} AND payment_id IS NOT NULL GROUP BY payment_id
    ), e AS (
      SELECT payment_id,
             COALESCE(sum(delta_fen) FILTER (WHERE reason = 'deposit'), 0)::bigint AS dep,
             COALESCE(sum(delta_fen) FILTER (WHERE reason = 'refund'), 0)::bigint AS ref
        FROM balance_entries WHERE company_id = ${s.companyId} AND payment_id IS NOT NULL GROUP BY payment_id
    ), f AS (
      SELECT payment_id, COALESCE(sum(amount_fen) FILTER (WHERE status = 'refunded'), 0)::bigint AS refunded
        FROM refunds WHERE company_id = ${s.companyId} GROUP BY payment_id
    ), r AS (
      SELECT payment_id, count(*) AS receipts, sum(amount_fen)::bigint AS receipt_fen FROM receipts WHERE company_id = ${s.companyId} GROUP BY payment_id
    ), w AS (
      SELECT p.id, p.community_id, p.status, p.amount_fen, p.allocated_fen, p.to_balance_fen, p.refunded_fen,
             COALESCE(a.pos, 0) AS pos, COALESCE(a.neg, 0) AS neg, COALESCE(e.dep, 0) AS dep, COALESCE(e.ref, 0) AS ref,
             COALESCE(f.refunded, 0) AS refunded, COALESCE(r.receipts, 0) AS receipts, COALESCE(r.receipt_fen, 0) AS receipt_fen
        FROM payments p
        LEFT JOIN a ON a.payment_id = p.id
        LEFT JOIN e ON e.payment_id = p.id
        LEFT JOIN f ON f.payment_id = p.id
        LEFT JOIN r ON r.payment_id = p.id
       WHERE p.company_id = ${s.companyId} AND ${inScope(s, 'p.community_id')}
    ), x AS (
      SELECT w.*, CASE WHEN w.status = 'succeeded'
                       THEN w.amount_fen <> w.pos + w.dep OR w.allocated_fen <> w.pos OR w.to_balance_fen <> w.dep
                         OR w.refunded_fen <> w.refunded OR w.refunded_fen <> -(w.neg + w.ref) OR w.receipts <> 1 OR w.receipt_fen <> w.amount_fen
                       ELSE w.pos <> 0 OR w.neg <> 0 OR w.dep <> 0 OR w.ref <> 0 OR w.refunded <> 0 OR w.refunded_fen <> 0 OR w.receipts <> 0 END AS bad
        FROM w
    )`,
    sql<boolean>`x.status = 'succeeded'`,
  );
  const mismatches: Mismatch[] = [];
  for (const r of found.rows) {
    const add = (field: string, expectedFen: number, actualFen: number) => {
      if (expectedFen !== actualFen) mismatches.push({ check: 'payment', field, entityType: 'payment', entityId: r.id, communityId: r.community_id, expectedFen, actualFen });
    };
    if (r.status === 'succeeded') {
      add('amountFen', n(r.pos) + n(r.dep), n(r.amount_fen));
      add('allocatedFen', n(r.pos), n(r.allocated_fen));
      add('toBalanceFen', n(r.dep), n(r.to_balance_fen));
      add('refundedFen', n(r.refunded), n(r.refunded_fen));
      add('refundedFen.ledger', -(n(r.neg) + n(r.ref)), n(r.refunded_fen));
      add('receipts', 1, n(r.receipts));
      add('receipt.amountFen', n(r.amount_fen), n(r.receipt_fen));
    } else {
      // A payment that did not succeed moved nothing and has no receipt.
      add('ledgerFen', 0, Math.abs(n(r.pos)) + Math.abs(n(r.neg)) + Math.abs(n(r.dep)) + Math.abs(n(r.ref)));
      add('refundedFen', 0, n(r.refunded) + n(r.refunded_fen));
      add('receipts', 0, n(r.receipts));
    }
  }
  return { checked: found.checked, bad: found.bad, cut: found.cut, mismatches };
}

/** (e): each refund against the reversals and balance entries it wrote. */
async function refundChecks(db: Deps['db'], s: Scope) {
  const found = await badRows<{ id: string; community_id: string; status: string; amount_fen: unknown; from_lines_fen: unknown; from_balance_fen: unknown; lines: unknown; balance: unknown }>(
    db,
    sql`w AS (
      SELECT f.id, f.community_id, f.status, f.amount_fen, f.from_lines_fen, f.from_balance_fen,
             COALESCE((SELECT -sum(a.amount_fen) FROM payment_allocations a WHERE a.refund_id = f.id), 0)::bigint AS lines,
             COALESCE((SELECT -sum(e.delta_fen) FROM balance_entries e WHERE e.refund_id = f.id), 0)::bigint AS balance
        FROM refunds f
       WHERE f.company_id = ${s.companyId} AND ${inScope(s, 'f.community_id')}
    ), x AS (
      SELECT w.*, CASE WHEN w.status = 'refunded' THEN w.lines <> w.from_lines_fen OR w.balance <> w.from_balance_fen OR w.amount_fen <> w.lines + w.balance
                       ELSE w.lines <> 0 OR w.balance <> 0 END AS bad
        FROM w
    )`,
  );
  const mismatches: Mismatch[] = [];
  for (const r of found.rows) {
    const add = (field: string, expectedFen: number, actualFen: number) => {
      if (expectedFen !== actualFen) mismatches.push({ check: 'refund', field, entityType: 'refund', entityId: r.id, communityId: r.community_id, expectedFen, actualFen });
    };
    if (r.status === 'refunded') {
      add('fromLinesFen', n(r.lines), n(r.from_lines_fen));
      add('fromBalanceFen', n(r.balance), n(r.from_balance_fen));
      add('amountFen', n(r.lines) + n(r.balance), n(r.amount_fen));
    } else {
      add('ledgerFen', 0, Math.abs(n(r.lines)) + Math.abs(n(r.balance)));
    }
  }
  return { checked: found.checked, bad: found.bad, cut: found.cut, mismatches };
}

/**
 * (f): each prepayment bonus (预交优惠, not cash: outside (a)) against the allocations it paid — used = Σ of them —
 * and a bonus exists only for a succeeded prepayment.
 */
async function bonusChecks(db: Deps['db'], s: Scope) {
  const found = await badRows<{ id: string; community_id: string; used_fen: unknown; alloc: unknown; paid: boolean }>(
    db,
    sql`w AS (
      SELECT b.id, b.community_id, b.used_fen,
             COALESCE((SELECT sum(a.amount_fen) FROM payment_allocations a WHERE a.bonus_id = b.id), 0)::bigint AS alloc,
             (SELECT p.status = 'succeeded' AND p.prepay_item_id = b.item_id FROM payments p WHERE p.id = b.payment_id) AS paid
        FROM prepay_bonuses b
       WHERE b.company_id = ${s.companyId} AND ${inScope(s, 'b.community_id')}
    ), x AS (SELECT w.*, w.used_fen <> w.alloc OR NOT w.paid AS bad FROM w)`,
  );
  const mismatches = found.rows.map(
    (r): Mismatch => ({ check: 'bonus', field: r.paid ? 'usedFen' : 'payment', entityType: 'prepayBonus', entityId: r.id, communityId: r.community_id, expectedFen: n(r.alloc), actualFen: n(r.used_fen) }),
  );
  return { checked: found.checked, bad: found.bad, cut: found.cut, mismatches };
}

export async function reconcile(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: ReconcileQuery): Promise<Reconciliation> {
  requirePermission(ctx.actor, 'billing.manage');
  checkRange(q.from, q.to);
  const s = await scopeOf(deps.db, ctx, q.communityId);
  const period = await periodFigures(deps.db, s, q.from, q.to);
  const lines = await lineChecks(deps.db, s);
  const balances = await balanceChecks(deps.db, s);
  const payments = await paymentChecks(deps.db, s);
  const refunds = await refundChecks(deps.db, s);
  const bonuses = await bonusChecks(deps.db, s);

  const periodBad = period.communities.filter((c) => c.differenceFen !== 0);
  const mismatches: Mismatch[] = [
    ...periodBad.map((c): Mismatch => ({ check: 'period', field: 'netCashFen', entityType: 'community', entityId: c.communityId, communityId: c.communityId, expectedFen: c.ledgerFen, actualFen: c.netCashFen })),
    ...lines.mismatches,
    ...balances.mismatches,
    ...payments.mismatches,
    ...refunds.mismatches,
    ...bonuses.mismatches,
  ];
  const mismatchCount = periodBad.length + lines.bad + balances.bad + payments.bad + refunds.bad + bonuses.bad;
  return {
    from: q.from,
    to: q.to,
    communityId: q.communityId ?? null,
    period,
    checked: { lines: lines.checked, balances: balances.balances, balanceEntries: balances.entries, payments: payments.checked, refunds: refunds.checked, bonuses: bonuses.checked },
    mismatches: mismatches.slice(0, MAX_LISTED),
    mismatchCount,
    truncated: mismatches.length > MAX_LISTED || lines.cut || balances.cut || payments.cut || refunds.cut || bonuses.cut,
    ok: mismatchCount === 0,
  };
}
