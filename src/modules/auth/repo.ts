import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../core/context.ts';
import type { UserKind } from '../../db/schema.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionRow {
  session_id: string;
  csrf_token: string;
  expires_at: Date;
  last_seen_at: Date;
  revoked_at: Date | null;
  user_id: string;
  kind: UserKind;
  company_id: string | null;
  username: string | null;
  display_name: string;
  user_status: 'active' | 'disabled';
  company_status: 'active' | 'suspended' | null;
  all_communities: boolean;
  permissions: string[];
  community_ids: string[];
}

/** One round trip per request: session, account, company state, permissions and communities together. */
export async function findSessionByToken(db: Db, token: string): Promise<SessionRow | undefined> {
  const result = await sql<SessionRow>`
    SELECT s.id AS session_id, s.csrf_token, s.expires_at, s.last_seen_at, s.revoked_at,
           u.id AS user_id, u.kind, u.company_id, u.username, u.display_name, u.status AS user_status,
           c.status AS company_status, u.all_communities,
           COALESCE((SELECT array_agg(DISTINCT p) FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                     CROSS JOIN LATERAL unnest(r.permissions) AS p WHERE ur.user_id = u.id), '{}')::text[] AS permissions,
           COALESCE((SELECT array_agg(uc.community_id::text) FROM user_communities uc WHERE uc.user_id = u.id), '{}')::text[] AS community_ids
      FROM sessions s
      JOIN users u ON u.id = s.user_id
      LEFT JOIN companies c ON c.id = u.company_id
     WHERE s.token_hash = ${hashToken(token)}`.execute(db);
  return result.rows[0];
}

export async function touchSession(db: Db, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id', '=', sessionId).execute();
}

/** Failures for a key inside the window, counted from the last success (a good login clears the slate). */
export async function countFailures(db: Db, key: string, since: Date): Promise<{ n: number; oldest: Date | null }> {
  const result = await sql<{ n: number; oldest: Date | null }>`
    SELECT count(*)::int AS n, min(at) AS oldest FROM login_attempts
     WHERE key = ${key} AND NOT succeeded
       AND at > GREATEST(${since}::timestamptz,
                         COALESCE((SELECT max(at) FROM login_attempts WHERE key = ${key} AND succeeded), '-infinity'))`.execute(db);
  return result.rows[0];
}

export async function recordAttempts(db: Db, keys: string[], succeeded: boolean): Promise<void> {
  await db.insertInto('login_attempts').values(keys.map((key) => ({ key, succeeded }))).execute();
}
