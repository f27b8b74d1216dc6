import type { Kysely, Transaction } from 'kysely';
import type { DB, UserKind } from '../db/schema.ts';
import type { Permission } from './permissions.ts';
import type { Lang } from './messages.ts';
import { ForbiddenError } from './errors.ts';

/** Who is calling: resolved once per request from the session, then passed explicitly to services. */
export interface Actor {
  userId: string;
  sessionId: string;
  kind: UserKind;
  companyId: string | null;
  username: string | null;
  displayName: string;
  permissions: ReadonlySet<Permission>;
  /** 'all' for company-wide staff (administrators); otherwise the communities the account is assigned to. */
  communityIds: 'all' | readonly string[];
}

export interface RequestContext {
  actor: Actor;
  requestId: string;
  ip: string;
  lang: Lang;
}

export type Db = Kysely<DB> | Transaction<DB>;

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new ForbiddenError(permission);
}

/** The caller's company; staff and owners always have one, the platform operator has none. */
export function companyOf(actor: Actor): string {
  if (!actor.companyId) throw new ForbiddenError('company');
  return actor.companyId;
}

export function canSeeCommunity(actor: Actor, communityId: string): boolean {
  return actor.communityIds === 'all' || actor.communityIds.includes(communityId);
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The communities an actor is limited to, for `.$if(scope !== null, qb => qb.where(col, 'in', scope))`:
 * null when they cover all of their company's communities; never an empty list (that would be invalid SQL).
 */
export function communityScope(actor: Actor): string[] | null {
  if (actor.communityIds === 'all') return null;
  return actor.communityIds.length ? [...actor.communityIds] : [NIL_UUID];
}
