import type { Deps } from '../../deps.ts';
import { type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { offsetOf } from '../../core/pagination.ts';
import type { AuditQuery } from './schema.ts';
import { startsWith } from '../../core/validation.ts';

/** The company's audit trail, newest first. There is no write API: rows come only from `writeAudit`. */
export async function listAudit(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: AuditQuery) {
  requirePermission(ctx.actor, 'audit.read');
  let base = deps.db.selectFrom('audit_log').where('company_id', '=', companyOf(ctx.actor));
  if (q.entityType) base = base.where('entity_type', '=', q.entityType);
  if (q.entityId) base = base.where('entity_id', '=', q.entityId);
  if (q.actorId) base = base.where('actor_id', '=', q.actorId);
  if (q.action) base = base.where('action', 'like', startsWith(q.action));
  if (q.from) base = base.where('at', '>=', new Date(q.from));
  if (q.to) base = base.where('at', '<', new Date(q.to));
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: r.before,
      after: r.after,
      requestId: r.request_id,
      ip: r.ip,
    })),
    total: count.n,
    page: q.page,
    pageSize: q.pageSize,
  };
}
