import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page } from '../../core/pagination.ts';
import { roomLabel } from '../estate/repo.ts';
import { ownerRooms } from '../residents/household.ts';
import type { CreateInvoiceInput, InvoiceQuery, InvoiceRequest } from './daily-schema.ts';

/**
 * 发票申请: a staff member at the counter, or the owner on the phone site, asks for an invoice of a succeeded
 * payment; finance issues it outside Anju and enters its number here, or rejects the request with a reason (after
 * which a new one may be made). One live request per payment — a partial unique index backs the check.
 */

type InvoiceStatus = InvoiceRequest['status'];

// ── 统一社会信用代码 (GB 32100-2015) ────────────────────────────────────────────────────────────────────────────
/** The code's 31 characters: digits and capitals without I, O, S, V, Z; a character's value is its index. */
const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weight of position i is 3^i mod 31. */
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeProblem = 'format' | 'check';

/** Spaces dropped, letters upper-cased: what people paste from a business licence. */
export function normalizeTaxNo(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** null when `code` is a well-formed 统一社会信用代码 with the right check character, else what is wrong. */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18 || [...code].some((c) => !CREDIT_CODE_CHARS.includes(c))) return 'format';
  const sum = CREDIT_CODE_WEIGHTS.reduce((s, w, i) => s + w * CREDIT_CODE_CHARS.indexOf(code[i]), 0);
  const check = (31 - (sum % 31)) % 31;
  return code[17] === CREDIT_CODE_CHARS[check] ? null : 'check';
}

/** The tax number to store: required and checked for a company; checked when given for a person. */
function taxNoOf(input: Pick<CreateInvoiceInput, 'kind' | 'taxNo'>): string | null {
  const taxNo = input.taxNo ? normalizeTaxNo(input.taxNo) : '';
  if (!taxNo) {
    if (input.kind === 'company') throw new ValidationError('taxNo', 'validation.taxNoRequired');
    return null;
  }
  const problem = creditCodeProblem(taxNo);
  if (problem === 'format') throw new ValidationError('taxNo', 'validation.taxNoFormat');
  if (problem === 'check') throw new ValidationError('taxNo', 'validation.taxNoCheck');
  return taxNo;
}

// ── Status machine ────────────────────────────────────────────────────────────────────────────────────────────
const TRANSITIONS = { issue: { from: ['requested'], to: 'issued' }, reject: { from: ['requested'], to: 'rejected' } } as const satisfies Record<
  string,
  { from: readonly InvoiceStatus[]; to: InvoiceStatus }
>;
const STATUS_LABELS: Record<InvoiceStatus, { zh: string; en: string }> = {
  requested: { zh: '待开票', en: 'requested' },
  issued: { zh: '已开票', en: 'issued' },
  rejected: { zh: '已驳回', en: 'rejected' },
};
const label = (ctx: RequestContext, s: InvoiceStatus) => STATUS_LABELS[s][ctx.lang === 'en' ? 'en' : 'zh'];

// ── Reading ───────────────────────────────────────────────────────────────────────────────────────────────────
function selectInvoices(db: Db, companyId: string) {
  return db
    .selectFrom('invoice_requests as v')
    .innerJoin('payments as p', 'p.id', 'v.payment_id')
    .innerJoin('communities as c', 'c.id', 'v.community_id')
    .leftJoin('receipts as rc', 'rc.payment_id', 'p.id')
    .leftJoin('rooms as r', 'r.id', 'p.room_id')
    .leftJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .leftJoin('users as q', 'q.id', 'v.requested_by')
    .leftJoin('users as h', 'h.id', 'v.handled_by')
    .where('v.company_id', '=', companyId)
    .select([
      'v.id', 'v.community_id', 'c.name as community_name', 'v.payment_id', 'p.trade_no', 'rc.number as receipt_no', 'p.room_id', 'b.name as building_name', 'u.name as unit_name',
      'r.number as room_number', 'p.paid_at', 'v.kind', 'v.title', 'v.tax_no', 'v.email', 'v.amount_fen', 'v.status', 'v.invoice_no', 'v.note',
      'q.display_name as requested_name', 'h.display_name as handled_name', 'v.handled_at', 'v.created_at',
    ]);
}
type InvoiceRow = Awaited<ReturnType<ReturnType<typeof selectInvoices>['executeTakeFirstOrThrow']>>;

function toView(r: InvoiceRow): InvoiceRequest {
  return {
    id: r.id,
    communityId: r.community_id,
    communityName: r.community_name,
    paymentId: r.payment_id,
    tradeNo: r.trade_no,
    receiptNo: r.receipt_no,
    roomId: r.room_id,
    roomLabel: r.room_number ? roomLabel(r.building_name!, r.unit_name, r.room_number) : null,
    paidAt: r.paid_at?.toISOString() ?? null,
    kind: r.kind,
    title: r.title,
    taxNo: r.tax_no,
    email: r.email,
    amountFen: r.amount_fen,
    status: r.status,
    invoiceNo: r.invoice_no,
    note: r.note,
    requestedBy: r.requested_name,
    handledBy: r.handled_name,
    handledAt: r.handled_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}

async function loadInvoice(db: Db, ctx: RequestContext, id: string): Promise<InvoiceRow> {
  const row = await selectInvoices(db, companyOf(ctx.actor)).where('v.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('invoiceRequest');
  return row;
}

export async function getInvoiceRequest(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<InvoiceRequest> {
  requirePermission(ctx.actor, 'billing.read');
  return toView(await loadInvoice(deps.db, ctx, id));
}

export async function listInvoiceRequests(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: InvoiceQuery): Promise<Page<InvoiceRequest>> {
  requirePermission(ctx.actor, 'billing.read');
  const scope = communityScope(ctx.actor);
  const base = selectInvoices(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('v.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('v.community_id', '=', q.communityId!))
    .$if(Boolean(q.status), (qb) => qb.where('v.status', '=', q.status!))
    .$if(Boolean(q.paymentId), (qb) => qb.where('v.payment_id', '=', q.paymentId!));
  const [rows, count] = await Promise.all([
    base.orderBy('v.created_at', 'desc').orderBy('v.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toView), total: count.n, page: q.page, pageSize: q.pageSize };
}

/** The owner's requests: those of payments they made or that are for one of their current rooms. */
export async function listOwnerInvoiceRequests(deps: Pick<Deps, 'db'>, ctx: RequestContext): Promise<{ items: InvoiceRequest[] }> {
  requirePermission(ctx.actor, 'owner.self');
  const roomIds = (await ownerRooms(deps, ctx)).map((r) => r.id);
  const rows = await selectInvoices(deps.db, companyOf(ctx.actor))
    .where((eb) => eb.or([eb('p.payer_user_id', '=', ctx.actor.userId), eb('v.requested_by', '=', ctx.actor.userId), ...(roomIds.length ? [eb('p.room_id', 'in', roomIds)] : [])]))
    .orderBy('v.created_at', 'desc')
    .orderBy('v.id')
    .limit(200)
    .execute();
  return { items: rows.map(toView) };
}

// ── Requesting ────────────────────────────────────────────────────────────────────────────────────────────────
/**
 * Writes the request under a lock on the payment, so two requests for one payment are decided one after the other:
 * the second finds the first and gets 409 (the unique index would refuse it anyway).
 */
async function insertRequest(deps: Pick<Deps, 'db'>, ctx: RequestContext, paymentId: string, input: CreateInvoiceInput, taxNo: string | null): Promise<string> {
  return deps.db.transaction().execute(async (trx) => {
    const p = await trx
      .selectFrom('payments')
      .select(['id', 'company_id', 'community_id', 'status', 'amount_fen', 'refunded_fen'])
      .where('id', '=', paymentId)
      .where('company_id', '=', companyOf(ctx.actor))
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (p.status !== 'succeeded') throw new ValidationError('paymentId', 'validation.paymentNotSucceeded');
    const amount = p.amount_fen - p.refunded_fen;
    if (amount <= 0) throw new ValidationError('paymentId', 'validation.invoiceNothingLeft');
    const live = await trx.selectFrom('invoice_requests').select(['id', 'status']).where('payment_id', '=', p.id).where('status', '<>', 'rejected').executeTakeFirst();
    if (live) throw new ConflictError('conflict.invoiceExists', { status: label(ctx, live.status) }, { invoiceRequestId: live.id, status: live.status });
    const row = await trx
      .insertInto('invoice_requests')
      .values({
        company_id: p.company_id,
        community_id: p.community_id,
        payment_id: p.id,
        kind: input.kind,
        title: input.title,
        tax_no: taxNo,
        email: input.email ?? null,
        amount_fen: amount,
        requested_by: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'invoiceRequest.create',
      entityType: 'invoiceRequest',
      entityId: row.id,
      after: { paymentId: p.id, kind: input.kind, title: input.title, taxNo, email: input.email ?? null, amountFen: amount, by: ctx.actor.kind },
    });
    return row.id;
  });
}

/** Staff at the counter ask for an invoice of a payment of one of their communities. */
export async function createInvoiceRequest(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateInvoiceInput): Promise<InvoiceRequest> {
  requirePermission(ctx.actor, 'billing.collect');
  const taxNo = taxNoOf(input);
  const p = await deps.db.selectFrom('payments').select(['id', 'community_id']).where('id', '=', input.paymentId).where('company_id', '=', companyOf(ctx.actor)).executeTakeFirst();
  if (!p || !canSeeCommunity(ctx.actor, p.community_id)) throw new NotFoundError('payment');
  const id = await insertRequest(deps, ctx, p.id, input, taxNo);
  return toView(await loadInvoice(deps.db, ctx, id));
}

/** An owner asks for an invoice of a payment they made, or one for a room they currently own or live in. */
export async function ownerCreateInvoiceRequest(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateInvoiceInput): Promise<InvoiceRequest> {
  requirePermission(ctx.actor, 'owner.self');
  const taxNo = taxNoOf(input);
  const companyId = companyOf(ctx.actor);
  const p = await deps.db.selectFrom('payments').select(['id', 'room_id', 'payer_user_id']).where('id', '=', input.paymentId).where('company_id', '=', companyId).executeTakeFirst();
  const mine = p && (p.payer_user_id === ctx.actor.userId || (p.room_id !== null && (await ownerRooms(deps, ctx)).some((r) => r.id === p.room_id)));
  if (!p || !mine) throw new NotFoundError('payment');
  const id = await insertRequest(deps, ctx, p.id, input, taxNo);
  const row = await selectInvoices(deps.db, companyId).where('v.id', '=', id).executeTakeFirstOrThrow();
  return toView(row);
}

// ── Handling ──────────────────────────────────────────────────────────────────────────────────────────────────
async function handle(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, action: keyof typeof TRANSITIONS, change: { invoiceNo?: string; note?: string }): Promise<InvoiceRequest> {
  requirePermission(ctx.actor, 'billing.manage');
  const step = TRANSITIONS[action];
  await deps.db.transaction().execute(async (trx) => {
    await loadInvoice(trx, ctx, id);
    const locked = await trx.selectFrom('invoice_requests').select('status').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (!(step.from as readonly InvoiceStatus[]).includes(locked.status)) {
      throw new ConflictError('conflict.invoiceState', { status: label(ctx, locked.status) }, { status: locked.status });
    }
    await trx
      .updateTable('invoice_requests')
      .set({ status: step.to, invoice_no: change.invoiceNo ?? null, note: change.note ?? null, handled_by: ctx.actor.userId, handled_at: new Date() })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, ctx, { action: `invoiceRequest.${action}`, entityType: 'invoiceRequest', entityId: id, before: { status: locked.status }, after: { status: step.to, ...change } });
  });
  return toView(await loadInvoice(deps.db, ctx, id));
}

/** Finance issued the invoice: its number is recorded. */
export function issueInvoice(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: { invoiceNo: string }): Promise<InvoiceRequest> {
  return handle(deps, ctx, id, 'issue', { invoiceNo: input.invoiceNo.toUpperCase() });
}

/** Finance refused (wrong title, …): the reason is kept and a new request for the payment becomes possible. */
export function rejectInvoice(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: { note: string }): Promise<InvoiceRequest> {
  return handle(deps, ctx, id, 'reject', { note: input.note });
}
