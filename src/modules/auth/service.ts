import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { Actor, RequestContext } from '../../core/context.ts';
import { AppError, TooManyRequestsError, UnauthorizedError, ValidationError, NotFoundError } from '../../core/errors.ts';
import { hashPassword, verifyPassword } from '../../core/password.ts';
import { isPermission, type Permission } from '../../core/permissions.ts';
import { writeAudit } from '../../core/audit.ts';
import { maskPhone } from '../../core/validation.ts';
import type { Lang } from '../../core/messages.ts';
import { sendSms } from '../sms/service.ts';
import { visibleCommunities } from '../communities/repo.ts';
import { countFailures, findSessionByToken, hashToken, recordAttempts, touchSession } from './repo.ts';
import type { Me } from './schema.ts';

// Login throttling: per account and per address, over a sliding window.
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 30;
export const OTP_TTL_MS = 5 * 60 * 1000;
export const OTP_COOLDOWN_MS = 60 * 1000;
export const OTP_MAX_PER_HOUR = 5;
export const OTP_MAX_ATTEMPTS = 5;

// Run scrypt even for unknown usernames so response time does not tell which accounts exist.
// Computed on the first login rather than at start-up (a full scrypt costs ~0.3 s).
let dummyHash: Promise<string> | null = null;
const dummyHashOnce = () => (dummyHash ??= hashPassword(randomBytes(12).toString('hex')));

export interface SessionStart {
  token: string;
  expiresAt: Date;
  me: Me;
}

interface Caller {
  ip: string;
  userAgent: string | null;
  requestId: string;
  lang: Lang;
}

async function throttle(deps: Pick<Deps, 'db'>, keys: Array<{ key: string; max: number }>): Promise<void> {
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  for (const { key, max } of keys) {
    const { n, oldest } = await countFailures(deps.db, key, since);
    if (n >= max) {
      const retry = oldest ? Math.max(1, Math.ceil((oldest.getTime() + LOGIN_WINDOW_MS - Date.now()) / 1000)) : 60;
      throw new TooManyRequestsError(retry);
    }
  }
}

/** Resolves a session cookie into an actor, or null when it is unknown, revoked, expired or idle too long. */
export async function resolveSession(
  deps: Pick<Deps, 'db' | 'config'>,
  token: string,
): Promise<{ actor: Actor; csrfToken: string } | null> {
  const row = await findSessionByToken(deps.db, token);
  if (!row || row.revoked_at) return null;
  const now = Date.now();
  if (row.expires_at.getTime() <= now) return null;
  if (row.last_seen_at.getTime() + deps.config.sessionIdleHours * 3600_000 <= now) return null;
  if (row.user_status !== 'active' || row.company_status === 'suspended') return null;
  // Write last-seen at most once a minute: a read-heavy console should not write on every request.
  if (now - row.last_seen_at.getTime() > 60_000) await touchSession(deps.db, row.session_id);
  const permissions = new Set<Permission>(
    row.kind === 'operator' ? ['platform.manage'] : row.permissions.filter(isPermission),
  );
  return {
    csrfToken: row.csrf_token,
    actor: {
      userId: row.user_id,
      sessionId: row.session_id,
      kind: row.kind,
      companyId: row.company_id,
      username: row.username,
      displayName: row.display_name,
      permissions,
      communityIds: row.kind === 'staff' && row.all_communities ? 'all' : row.community_ids,
    },
  };
}

async function startSession(deps: Pick<Deps, 'db' | 'config'>, userId: string, caller: Caller, action: string): Promise<SessionStart> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + deps.config.sessionTtlHours * 3600_000);
  await deps.db.transaction().execute(async (trx) => {
    const s = await trx
      .insertInto('sessions')
      .values({ user_id: userId, token_hash: hashToken(token), csrf_token: csrf, ip: caller.ip, user_agent: caller.userAgent?.slice(0, 300) ?? null, expires_at: expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = await trx.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', userId).returning(['company_id', 'username', 'display_name']).executeTakeFirstOrThrow();
    await trx
      .insertInto('audit_log')
      .values({ company_id: user.company_id, actor_id: userId, actor_name: user.username ?? user.display_name, action, entity_type: 'session', entity_id: s.id, before: JSON.stringify(null), after: JSON.stringify({ ip: caller.ip }), request_id: caller.requestId, ip: caller.ip })
      .execute();
  });
  const resolved = await resolveSession(deps, token);
  if (!resolved) throw new Error('session vanished right after creation');
  return { token, expiresAt, me: await describeMe(deps, resolved.actor, resolved.csrfToken) };
}

export async function login(
  deps: Pick<Deps, 'db' | 'config'>,
  caller: Caller,
  input: { username: string; password: string },
): Promise<SessionStart> {
  const accountKey = `user:${input.username.toLowerCase()}`;
  const ipKey = `ip:${caller.ip}`;
  await throttle(deps, [
    { key: accountKey, max: MAX_FAILURES_PER_ACCOUNT },
    { key: ipKey, max: MAX_FAILURES_PER_IP },
  ]);
  const user = await deps.db
    .selectFrom('users')
    .leftJoin('companies', 'companies.id', 'users.company_id')
    .select(['users.id', 'users.password_hash', 'users.status', 'companies.status as company_status'])
    .where(sql`lower(users.username)`, '=', input.username.toLowerCase())
    .where('users.kind', 'in', ['staff', 'operator'])
    .executeTakeFirst();
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummyHashOnce()));
  if (!user || !ok) {
    await recordAttempts(deps.db, [accountKey, ipKey], false);
    throw new UnauthorizedError('auth.badCredentials', 'BAD_CREDENTIALS');
  }
  if (user.status !== 'active' || user.company_status === 'suspended') {
    throw new AppError(403, 'ACCOUNT_DISABLED', 'auth.disabled');
  }
  await recordAttempts(deps.db, [accountKey], true);
  return startSession(deps, user.id, caller, 'auth.login');
}

function hashCode(challengeId: string, code: string): string {
  return createHash('sha256').update(`${challengeId}:${code}`).digest('hex');
}

/** Sends a one-time code to an owner's phone. Answers the same whether or not the number is known. */
export async function requestOtp(
  deps: Pick<Deps, 'db' | 'config' | 'sms' | 'log'>,
  caller: Caller,
  phone: string,
): Promise<{ sent: true; expiresInSeconds: number; cooldownSeconds: number }> {
  await throttle(deps, [{ key: `otp-ip:${caller.ip}`, max: MAX_FAILURES_PER_IP }]);
  const recent = await deps.db
    .selectFrom('otp_challenges')
    .select(['created_at'])
    .where('phone', '=', phone)
    .where('created_at', '>', new Date(Date.now() - 3600_000))
    .orderBy('created_at', 'desc')
    .execute();
  const last = recent[0]?.created_at.getTime();
  if (last && Date.now() - last < OTP_COOLDOWN_MS) throw new TooManyRequestsError(Math.ceil((last + OTP_COOLDOWN_MS - Date.now()) / 1000));
  if (recent.length >= OTP_MAX_PER_HOUR) throw new TooManyRequestsError(Math.ceil((recent[recent.length - 1].created_at.getTime() + 3600_000 - Date.now()) / 1000));

  const owners = await deps.db
    .selectFrom('users')
    .innerJoin('companies', 'companies.id', 'users.company_id')
    .select(['users.company_id'])
    .where('users.kind', '=', 'owner')
    .where('users.phone', '=', phone)
    .where('users.status', '=', 'active')
    .where('companies.status', '=', 'active')
    .execute();
  // Every request counts against the address, known number or not: each one may cost an SMS.
  await recordAttempts(deps.db, [`otp-ip:${caller.ip}`], false);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const challenge = await deps.db
    .insertInto('otp_challenges')
    .values({ phone, code_hash: 'pending', expires_at: new Date(Date.now() + OTP_TTL_MS) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await deps.db.updateTable('otp_challenges').set({ code_hash: hashCode(challenge.id, code) }).where('id', '=', challenge.id).execute();
  // One message per company that knows this owner, so each company's outbox shows what it sent.
  for (const owner of owners) {
    await sendSms(deps, { companyId: owner.company_id, phone, template: 'sms.otp', params: { code, minutes: String(OTP_TTL_MS / 60_000) }, lang: caller.lang });
  }
  return { sent: true, expiresInSeconds: OTP_TTL_MS / 1000, cooldownSeconds: OTP_COOLDOWN_MS / 1000 };
}

export async function verifyOtp(
  deps: Pick<Deps, 'db' | 'config'>,
  caller: Caller,
  input: { phone: string; code: string; companyId?: string },
): Promise<SessionStart> {
  const challenge = await deps.db
    .selectFrom('otp_challenges')
    .selectAll()
    .where('phone', '=', input.phone)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!challenge || challenge.attempts >= OTP_MAX_ATTEMPTS) throw new UnauthorizedError('auth.badCode', 'BAD_CODE');
  const expected = Buffer.from(challenge.code_hash, 'hex');
  const given = Buffer.from(hashCode(challenge.id, input.code), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    await deps.db.updateTable('otp_challenges').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', challenge.id).execute();
    throw new UnauthorizedError('auth.badCode', 'BAD_CODE');
  }
  const owners = await deps.db
    .selectFrom('users')
    .innerJoin('companies', 'companies.id', 'users.company_id')
    .select(['users.id', 'users.company_id', 'companies.name as company_name'])
    .where('users.kind', '=', 'owner')
    .where('users.phone', '=', input.phone)
    .where('users.status', '=', 'active')
    .where('companies.status', '=', 'active')
    .execute();
  const chosen = input.companyId ? owners.filter((o) => o.company_id === input.companyId) : owners;
  if (chosen.length === 0) throw new UnauthorizedError('auth.badCode', 'BAD_CODE');
  if (chosen.length > 1) {
    throw new AppError(400, 'VALIDATION_FAILED', 'validation.companyRequired', { field: 'companyId' }, {
      field: 'companyId',
      companies: chosen.map((o) => ({ id: o.company_id, name: o.company_name })),
    });
  }
  // Consume atomically: of two concurrent verifications with the right code, one wins.
  const consumed = await deps.db
    .updateTable('otp_challenges')
    .set({ consumed_at: new Date() })
    .where('id', '=', challenge.id)
    .where('consumed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!consumed) throw new UnauthorizedError('auth.badCode', 'BAD_CODE');
  return startSession(deps, chosen[0].id, caller, 'auth.otpLogin');
}

export async function logout(deps: Pick<Deps, 'db'>, ctx: RequestContext): Promise<void> {
  await deps.db.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', ctx.actor.sessionId).execute();
}

export async function describeMe(deps: Pick<Deps, 'db'>, actor: Actor, csrfToken: string): Promise<Me> {
  const user = await deps.db
    .selectFrom('users')
    .leftJoin('companies', 'companies.id', 'users.company_id')
    .select(['users.id', 'users.kind', 'users.username', 'users.display_name', 'users.phone', 'users.company_id', 'users.must_change_password', 'companies.name as company_name'])
    .where('users.id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  const roles = await deps.db
    .selectFrom('user_roles')
    .innerJoin('roles', 'roles.id', 'user_roles.role_id')
    .select(['roles.id', 'roles.name', 'roles.builtin_key as builtinKey'])
    .where('user_roles.user_id', '=', actor.userId)
    .orderBy('roles.name')
    .execute();
  let communities: Me['communities'] = [];
  if (actor.companyId && actor.kind === 'staff') {
    communities = await visibleCommunities(deps.db, actor, actor.companyId).select(['communities.id', 'communities.name', 'communities.code']).orderBy('communities.code').execute();
  }
  return {
    user: {
      id: user.id,
      kind: user.kind,
      username: user.username,
      displayName: user.display_name,
      phone: maskPhone(user.phone),
      companyId: user.company_id,
      companyName: user.company_name,
      mustChangePassword: user.must_change_password,
      roles,
    },
    abilities: [...actor.permissions].sort(),
    communities,
    csrfToken,
  };
}

export async function changePassword(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await deps.db.selectFrom('users').select(['password_hash']).where('id', '=', ctx.actor.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) throw new ValidationError('currentPassword', 'auth.wrongPassword');
  if (input.currentPassword === input.newPassword) throw new ValidationError('newPassword', 'validation.samePassword');
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: false, updated_at: new Date() }).where('id', '=', ctx.actor.userId).execute();
    // Every other session of this account ends: a changed password must lock out whoever had the old one.
    await trx.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', ctx.actor.userId).where('id', '<>', ctx.actor.sessionId).where('revoked_at', 'is', null).execute();
    await writeAudit(trx, ctx, { action: 'user.changePassword', entityType: 'user', entityId: ctx.actor.userId });
  });
}

export async function listMySessions(deps: Pick<Deps, 'db'>, ctx: RequestContext) {
  const rows = await deps.db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', ctx.actor.userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((s) => ({
    id: s.id,
    current: s.id === ctx.actor.sessionId,
    ip: s.ip,
    userAgent: s.user_agent,
    createdAt: s.created_at.toISOString(),
    lastSeenAt: s.last_seen_at.toISOString(),
    expiresAt: s.expires_at.toISOString(),
  }));
}

export async function revokeMySession(deps: Pick<Deps, 'db'>, ctx: RequestContext, sessionId: string): Promise<void> {
  const row = await deps.db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('id', '=', sessionId)
    .where('user_id', '=', ctx.actor.userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw new NotFoundError('session');
}
