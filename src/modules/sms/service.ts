import type { Deps } from '../../deps.ts';
import type { RequestContext } from '../../core/context.ts';
import { companyOf, requirePermission } from '../../core/context.ts';
import { type Lang, type MessageKey, t } from '../../core/messages.ts';
import { contains, maskPhone } from '../../core/validation.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import type { OutboxMessage } from './schema.ts';

/** Template parameters that are secrets: hidden in the outbox once a real provider delivers the messages. */
const SECRET_PARAMS = ['code', 'password'];

export interface SmsRequest {
  companyId: string | null;
  phone: string;
  template: MessageKey;
  params: Record<string, string>;
  lang?: Lang;
}

/** Records the message in the outbox, then hands it to the provider. Call after the business transaction commits. */
export async function sendSms(deps: Pick<Deps, 'db' | 'sms' | 'log'>, req: SmsRequest): Promise<string> {
  const body = t(req.lang ?? 'zh-CN', req.template, req.params);
  const row = await deps.db
    .insertInto('sms_outbox')
    .values({ company_id: req.companyId, phone: req.phone, template: req.template, params: JSON.stringify(req.params), body, provider: deps.sms.name })
    .returning('id')
    .executeTakeFirstOrThrow();
  try {
    const status = await deps.sms.send({ phone: req.phone, body, template: req.template, params: req.params });
    await deps.db.updateTable('sms_outbox').set({ status, sent_at: new Date() }).where('id', '=', row.id).execute();
  } catch (err) {
    deps.log.warn({ err, smsId: row.id }, 'sms delivery failed');
    await deps.db.updateTable('sms_outbox').set({ status: 'failed', error: String(err) }).where('id', '=', row.id).execute();
  }
  return row.id;
}

export async function listOutbox(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  q: PageQuery & { phone?: string },
): Promise<Page<OutboxMessage>> {
  requirePermission(ctx.actor, 'sms.read');
  const companyId = companyOf(ctx.actor);
  let base = deps.db.selectFrom('sms_outbox').where('company_id', '=', companyId);
  if (q.phone) base = base.where('phone', 'like', contains(q.phone));
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  // The outbox is where demo login codes are read, so the body is shown whole to those allowed to read it;
  // the phone is masked unless the role may see personal data in full.
  const full = ctx.actor.permissions.has('personal.viewFull');
  // With the built-in provider the outbox is the only delivery, so codes must be readable there (demo, trials).
  // Once a real gateway delivers messages, nobody needs to read login codes or passwords in the console.
  const hideSecrets = (r: (typeof rows)[number]) => {
    if (r.provider === 'outbox') return r.body;
    let body = r.body;
    for (const key of SECRET_PARAMS) {
      const value = (r.params as Record<string, string>)[key];
      if (value) body = body.replaceAll(value, '*'.repeat(value.length));
    }
    return body;
  };
  return {
    items: rows.map((r) => ({
      id: r.id,
      phone: full ? r.phone : (maskPhone(r.phone) ?? ''),
      template: r.template,
      body: hideSecrets(r),
      provider: r.provider,
      status: r.status,
      error: r.error,
      createdAt: r.created_at.toISOString(),
      sentAt: r.sent_at?.toISOString() ?? null,
    })),
    total: count.n,
    page: q.page,
    pageSize: q.pageSize,
  };
}
