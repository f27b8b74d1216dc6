import { EventEmitter } from 'node:events';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, companyOf } from '../../core/context.ts';
import type { MessageKey } from '../../core/messages.ts';
import { sendSms } from '../sms/service.ts';

/**
 * In-app notifications: rows in `notifications`, read by the console's event stream and the phone pages. The
 * in-process bus only wakes the streams of this process early; every stream also polls, so a notification
 * written by another process arrives within the poll interval.
 */
const bus = new EventEmitter();
bus.setMaxListeners(0);

export interface NewNotification {
  userIds: readonly (string | null | undefined)[];
  ticketId: string | null;
  kind: string;
  title: string;
  body?: string;
}

/** Writes notifications in the caller's transaction; returns the users to wake once it commits. */
export async function notify(trx: Db, companyId: string, n: NewNotification): Promise<string[]> {
  const users = [...new Set(n.userIds.filter((u): u is string => Boolean(u)))];
  if (!users.length) return [];
  await trx
    .insertInto('notifications')
    .values(users.map((user_id) => ({ company_id: companyId, user_id, ticket_id: n.ticketId, kind: n.kind, title: n.title.slice(0, 200), body: (n.body ?? '').slice(0, 1000) })))
    .execute();
  return users;
}

/** Call after commit. */
export function wake(userIds: readonly string[]) {
  for (const u of userIds) bus.emit(u);
}

export function onWake(userId: string, fn: () => void): () => void {
  bus.on(userId, fn);
  return () => bus.off(userId, fn);
}

export async function listNotifications(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { afterId?: number; unread?: boolean; limit?: number }) {
  const rows = await deps.db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', ctx.actor.userId)
    .where('company_id', '=', companyOf(ctx.actor))
    .$if(q.afterId !== undefined, (qb) => qb.where('id', '>', q.afterId!))
    .$if(Boolean(q.unread), (qb) => qb.where('read_at', 'is', null))
    .orderBy('id', 'desc')
    .limit(q.limit ?? 50)
    .execute();
  const unread = await deps.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', ctx.actor.userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    unread: unread.n,
    items: rows.map((r) => ({ id: r.id, ticketId: r.ticket_id, kind: r.kind, title: r.title, body: r.body, readAt: r.read_at?.toISOString() ?? null, createdAt: r.created_at.toISOString() })),
  };
}

export async function markRead(deps: Pick<Deps, 'db'>, ctx: RequestContext, ids: number[] | 'all') {
  let q = deps.db.updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', ctx.actor.userId).where('read_at', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', ids.length ? ids : [-1]);
  const r = await q.executeTakeFirst();
  return { marked: Number(r.numUpdatedRows) };
}

/** An SMS to the person who reported the ticket, in the language they used; after commit, never inside a transaction. */
export async function smsReporter(
  deps: Pick<Deps, 'db' | 'sms' | 'log'>,
  t: { company_id: string; reporter_phone: string | null; reporter_lang: 'zh-CN' | 'en' },
  template: MessageKey,
  params: Record<string, string>,
  enabled: boolean,
) {
  if (!enabled || !t.reporter_phone) return;
  try {
    await sendSms(deps, { companyId: t.company_id, phone: t.reporter_phone, template, params, lang: t.reporter_lang });
  } catch (err) {
    deps.log.warn({ err }, 'ticket sms failed');
  }
}
