import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { RequestContext } from './context.ts';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  /** Defaults to the actor's company; set it for platform actions on a company. */
  companyId?: string | null;
}

const SECRET_FIELDS = new Set(['password', 'password_hash', 'passwordHash', 'token', 'token_hash', 'csrf_token', 'code_hash']);

function redact(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}

/**
 * Writes one audit row inside the caller's transaction, so the change and its record commit or fail together.
 * `ctx` may be null for system actions (scheduler, CLI); the actor is then recorded as 'system'.
 */
export async function writeAudit(trx: Transaction<DB>, ctx: RequestContext | null, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      company_id: entry.companyId !== undefined ? entry.companyId : (ctx?.actor.companyId ?? null),
      actor_id: ctx?.actor.userId ?? null,
      actor_name: ctx ? (ctx.actor.username ?? ctx.actor.displayName) : 'system',
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId ?? null,
      before: JSON.stringify(redact(entry.before)),
      after: JSON.stringify(redact(entry.after)),
      request_id: ctx?.requestId ?? null,
      ip: ctx?.ip ?? null,
    })
    .execute();
}
