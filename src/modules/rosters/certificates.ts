import ExcelJS from 'exceljs';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import type { Report } from '../servicedesk/reports.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { EXPIRING_DAYS, certificateStatus, daysBetween, type CertificateStatus } from './rules.ts';
import { loadCommunity, requireStaff, staffVisibleTo, visibleUserIds } from './access.ts';
import { CERTIFICATE_KINDS, TRAINING_TOPICS, type Certificate, type CreateCertificateInput, type CreateTrainingInput, type UpdateCertificateInput } from './schema.ts';
import type { z } from 'zod';
import type { compliance, training, trainingSummary } from './schema.ts';

/**
 * Certificates (持证上岗) and training records. A certificate is revoked, never deleted (its history matters in an
 * inspection); the compliance view lists the members of each post who lack a required certificate — none, or only
 * one that is revoked or expired by the date asked about.
 */

type Deps_ = Pick<Deps, 'db'>;
const TODAY_ZONE = 'Asia/Shanghai';
const today = () => localDate(new Date(), TODAY_ZONE);

function selectCertificates(db: Db, companyId: string) {
  return db
    .selectFrom('staff_certificates as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .where('c.company_id', '=', companyId)
    .select(['c.id', 'c.user_id', 'u.display_name', 'c.kind', 'c.number', 'c.issuer', 'c.issued_on', 'c.expires_on', 'c.file_id', 'c.revoked_at']);
}
type CertificateRow = Awaited<ReturnType<ReturnType<typeof selectCertificates>['executeTakeFirstOrThrow']>>;

function toCertificate(r: CertificateRow, on: string): Certificate {
  return {
    id: r.id,
    user: { id: r.user_id, name: r.display_name },
    kind: r.kind,
    number: r.number,
    issuer: r.issuer,
    issuedOn: r.issued_on,
    expiresOn: r.expires_on,
    fileId: r.file_id,
    status: certificateStatus({ expiresOn: r.expires_on, revoked: r.revoked_at !== null }, on),
    daysLeft: r.expires_on && !r.revoked_at ? daysBetween(on, r.expires_on) : null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}

function withStatus<Q extends ReturnType<typeof selectCertificates>>(q: Q, status: CertificateStatus, on: string): Q {
  const soon = new Date(Date.parse(`${on}T00:00:00Z`) + EXPIRING_DAYS * 86_400_000).toISOString().slice(0, 10);
  if (status === 'revoked') return q.where('c.revoked_at', 'is not', null) as Q;
  const live = q.where('c.revoked_at', 'is', null) as Q;
  if (status === 'expired') return live.where('c.expires_on', '<', on) as Q;
  if (status === 'expiring') return live.where('c.expires_on', '>=', on).where('c.expires_on', '<=', soon) as Q;
  return live.where((eb) => eb.or([eb('c.expires_on', 'is', null), eb('c.expires_on', '>', soon)])) as Q;
}

export async function listCertificates(
  deps: Deps_,
  ctx: RequestContext,
  q: PageQuery & { userId?: string; kind?: string; status?: CertificateStatus; communityId?: string },
): Promise<Page<Certificate>> {
  requirePermission(ctx.actor, 'roster.read');
  const companyId = companyOf(ctx.actor);
  if (q.communityId) await loadCommunity(deps.db, ctx.actor, q.communityId);
  const on = today();
  const visible = visibleUserIds(deps.db, ctx.actor);
  let base = selectCertificates(deps.db, companyId)
    .$if(visible !== null, (qb) => qb.where('c.user_id', 'in', visible!))
    .$if(Boolean(q.userId), (qb) => qb.where('c.user_id', '=', q.userId!))
    .$if(Boolean(q.kind), (qb) => qb.where('c.kind', '=', q.kind!))
    .$if(Boolean(q.communityId), (qb) =>
      qb.where((eb) => eb.or([eb('u.all_communities', '=', true), eb.exists(eb.selectFrom('user_communities as uc').select('uc.user_id').whereRef('uc.user_id', '=', 'c.user_id').where('uc.community_id', '=', q.communityId!))])),
    );
  if (q.status) base = withStatus(base, q.status, on);
  const [rows, count] = await Promise.all([
    base.orderBy((eb) => eb.fn.coalesce('c.expires_on', eb.val('9999-12-31'))).orderBy('u.display_name').orderBy('c.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toCertificate(r, on)), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

async function requireFile(db: Db, companyId: string, fileId: string | null | undefined) {
  if (!fileId) return;
  const f = await db.selectFrom('files').select('id').where('id', '=', fileId).where('company_id', '=', companyId).executeTakeFirst();
  if (!f) throw new ValidationError('fileId', 'validation.unknownIds');
}

function checkDates(issuedOn: string | null | undefined, expiresOn: string | null | undefined) {
  if (issuedOn && expiresOn && expiresOn <= issuedOn) throw new ValidationError('expiresOn', 'validation.dateOrder');
}

async function requireUniqueNumber(db: Db, companyId: string, kind: string, number: string, exceptId?: string) {
  const clash = await db
    .selectFrom('staff_certificates')
    .select('id')
    .where('company_id', '=', companyId)
    .where('kind', '=', kind)
    .where('number', '=', number)
    .where('revoked_at', 'is', null)
    .$if(Boolean(exceptId), (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirst();
  if (clash) throw new ConflictError('conflict.duplicate', { field: 'number' }, { field: 'number' });
}

export async function createCertificate(deps: Deps_, ctx: RequestContext, input: CreateCertificateInput): Promise<Certificate> {
  requirePermission(ctx.actor, 'roster.manage');
  const companyId = companyOf(ctx.actor);
  await requireStaff(deps.db, companyId, input.userId, 'userId');
  if (!(await staffVisibleTo(deps.db, ctx.actor, input.userId))) throw new ValidationError('userId', 'validation.notActiveStaff');
  checkDates(input.issuedOn, input.expiresOn);
  await requireFile(deps.db, companyId, input.fileId);
  await requireUniqueNumber(deps.db, companyId, input.kind, input.number);
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('staff_certificates')
      .values({ company_id: companyId, user_id: input.userId, kind: input.kind, number: input.number, issuer: input.issuer ?? null, issued_on: input.issuedOn ?? null, expires_on: input.expiresOn ?? null, file_id: input.fileId ?? null, created_by: ctx.actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'certificate.create', entityType: 'certificate', entityId: row.id, after: input });
    return row.id;
  });
  return toCertificate(await selectCertificates(deps.db, companyId).where('c.id', '=', id).executeTakeFirstOrThrow(), today());
}

async function loadCertificate(db: Db, ctx: RequestContext, id: string) {
  const row = await db.selectFrom('staff_certificates').selectAll().where('id', '=', id).where('company_id', '=', companyOf(ctx.actor)).executeTakeFirst();
  if (!row || !(await staffVisibleTo(db, ctx.actor, row.user_id))) throw new NotFoundError('certificate');
  return row;
}

/** A changed expiry date (a renewal) starts its alerts afresh. */
export async function updateCertificate(deps: Deps_, ctx: RequestContext, id: string, input: UpdateCertificateInput): Promise<Certificate> {
  requirePermission(ctx.actor, 'roster.manage');
  const companyId = companyOf(ctx.actor);
  const before = await loadCertificate(deps.db, ctx, id);
  if (before.revoked_at) throw new ConflictError('conflict.requestDecided');
  const issuedOn = input.issuedOn !== undefined ? input.issuedOn : before.issued_on;
  const expiresOn = input.expiresOn !== undefined ? input.expiresOn : before.expires_on;
  checkDates(issuedOn, expiresOn);
  await requireFile(deps.db, companyId, input.fileId);
  if (input.number) await requireUniqueNumber(deps.db, companyId, before.kind, input.number, id);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('staff_certificates')
      .set({
        ...(input.number && { number: input.number }),
        ...(input.issuer !== undefined && { issuer: input.issuer }),
        issued_on: issuedOn,
        expires_on: expiresOn,
        ...(input.fileId !== undefined && { file_id: input.fileId }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    if (expiresOn !== before.expires_on) await trx.deleteFrom('certificate_alerts').where('certificate_id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'certificate.update', entityType: 'certificate', entityId: id, before: { number: before.number, issuedOn: before.issued_on, expiresOn: before.expires_on, fileId: before.file_id }, after: input });
  });
  return toCertificate(await selectCertificates(deps.db, companyId).where('c.id', '=', id).executeTakeFirstOrThrow(), today());
}

export async function revokeCertificate(deps: Deps_, ctx: RequestContext, id: string): Promise<Certificate> {
  requirePermission(ctx.actor, 'roster.manage');
  const companyId = companyOf(ctx.actor);
  const before = await loadCertificate(deps.db, ctx, id);
  if (before.revoked_at) throw new ConflictError('conflict.requestDecided');
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('staff_certificates').set({ revoked_at: new Date(), updated_at: new Date() }).where('id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'certificate.revoke', entityType: 'certificate', entityId: id, before: { kind: before.kind, number: before.number } });
  });
  return toCertificate(await selectCertificates(deps.db, companyId).where('c.id', '=', id).executeTakeFirstOrThrow(), today());
}

/**
 * 持证上岗: the members of the community's posts, and whoever the roster puts on a post on `asOf`, who hold no valid
 * certificate of a kind the post requires on that date.
 */
export async function certificateCompliance(deps: Deps_, ctx: RequestContext, q: { communityId: string; asOf?: string }): Promise<z.infer<typeof compliance>> {
  requirePermission(ctx.actor, 'roster.read');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  const asOf = q.asOf ?? localDate(new Date(), community.time_zone);
  const members = await deps.db
    .selectFrom('posts as p')
    .innerJoin('post_members as m', 'm.post_id', 'p.id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['p.id as post_id', 'p.name as post_name', 'p.required_certificates', 'u.id as user_id', 'u.display_name'])
    .where('p.company_id', '=', companyId)
    .where('p.community_id', '=', community.id)
    .where('p.active', '=', true)
    .where('u.status', '=', 'active')
    .orderBy('p.name')
    .orderBy('u.display_name')
    .execute();
  // Whoever the roster puts on a post that day needs its certificates too, member or not.
  const rostered = await deps.db
    .selectFrom('roster_entries as e')
    .innerJoin('posts as p', 'p.id', 'e.post_id')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .select(['p.id as post_id', 'p.name as post_name', 'p.required_certificates', 'u.id as user_id', 'u.display_name'])
    .distinct()
    .where('e.company_id', '=', companyId)
    .where('e.community_id', '=', community.id)
    .where('e.day', '=', asOf)
    .where('e.kind', '=', 'work')
    .where('p.active', '=', true)
    .execute();
  const seen = new Set(members.map((m) => `${m.post_id}|${m.user_id}`));
  const needy = [...members, ...rostered.filter((r) => !seen.has(`${r.post_id}|${r.user_id}`))].filter((m) => m.required_certificates.length);
  const certs = needy.length
    ? await deps.db
        .selectFrom('staff_certificates')
        .select(['user_id', 'kind', 'expires_on'])
        .where('company_id', '=', companyId)
        .where('user_id', 'in', [...new Set(needy.map((m) => m.user_id))])
        .where('revoked_at', 'is', null)
        .execute()
    : [];
  const gaps = needy.flatMap((m) =>
    m.required_certificates.flatMap((kind) => {
      const held = certs.filter((c) => c.user_id === m.user_id && c.kind === kind);
      if (held.some((c) => !c.expires_on || c.expires_on >= asOf)) return [];
      const latest = held.map((c) => c.expires_on!).sort().at(-1) ?? null;
      return [{ user: { id: m.user_id, name: m.display_name }, post: { id: m.post_id, name: m.post_name }, kind, reason: latest ? ('expired' as const) : ('missing' as const), expiredOn: latest }];
    }),
  );
  return { asOf, gaps };
}

// ── Training ──────────────────────────────────────────────────────────────────────────────────────────────────
type Training = z.infer<typeof training>;

function selectTraining(db: Db, companyId: string) {
  return db
    .selectFrom('training_records as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .where('t.company_id', '=', companyId)
    .select(['t.id', 't.user_id', 'u.display_name', 't.community_id', 't.title', 't.topic', 't.day', 't.tenth_hours', 't.trainer', 't.passed']);
}
type TrainingRow = Awaited<ReturnType<ReturnType<typeof selectTraining>['executeTakeFirstOrThrow']>>;
const toTraining = (r: TrainingRow): Training => ({ id: r.id, user: { id: r.user_id, name: r.display_name }, communityId: r.community_id, title: r.title, topic: r.topic, day: r.day, hours: r.tenth_hours / 10, trainer: r.trainer, passed: r.passed });

function trainingScope(deps: Deps_, ctx: RequestContext, q: { userId?: string; communityId?: string; year?: number; topic?: string }) {
  const visible = visibleUserIds(deps.db, ctx.actor);
  return selectTraining(deps.db, companyOf(ctx.actor))
    .$if(visible !== null, (qb) => qb.where('t.user_id', 'in', visible!))
    .$if(Boolean(q.userId), (qb) => qb.where('t.user_id', '=', q.userId!))
    .$if(Boolean(q.communityId), (qb) => qb.where('t.community_id', '=', q.communityId!))
    .$if(q.year !== undefined, (qb) => qb.where('t.day', '>=', `${q.year}-01-01`).where('t.day', '<=', `${q.year}-12-31`))
    .$if(Boolean(q.topic), (qb) => qb.where('t.topic', '=', q.topic as (typeof TRAINING_TOPICS)[number]));
}

export async function listTraining(deps: Deps_, ctx: RequestContext, q: PageQuery & { userId?: string; communityId?: string; year?: number; topic?: string }): Promise<Page<Training>> {
  requirePermission(ctx.actor, 'roster.read');
  if (q.communityId) await loadCommunity(deps.db, ctx.actor, q.communityId);
  const base = trainingScope(deps, ctx, q);
  const [rows, count] = await Promise.all([
    base.orderBy('t.day', 'desc').orderBy('u.display_name').orderBy('t.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toTraining), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

/** One session attended by several people: one record each. */
export async function createTraining(deps: Deps_, ctx: RequestContext, input: CreateTrainingInput): Promise<{ items: Training[] }> {
  requirePermission(ctx.actor, 'roster.manage');
  const companyId = companyOf(ctx.actor);
  if (input.communityId) await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  if (new Set(input.userIds).size !== input.userIds.length) throw new ValidationError('userIds', 'validation.duplicateIds');
  for (const id of input.userIds) {
    await requireStaff(deps.db, companyId, id, 'userIds');
    if (!(await staffVisibleTo(deps.db, ctx.actor, id))) throw new ValidationError('userIds', 'validation.notActiveStaff');
  }
  if (input.day > localDate(new Date(), TODAY_ZONE)) throw new ValidationError('day', 'validation.future');
  const tenth = Math.round(input.hours * 10);
  const ids = await deps.db.transaction().execute(async (trx) => {
    const rows = await trx
      .insertInto('training_records')
      .values(input.userIds.map((user_id) => ({ company_id: companyId, community_id: input.communityId ?? null, user_id, title: input.title, topic: input.topic, day: input.day, tenth_hours: tenth, trainer: input.trainer ?? null, passed: input.passed ?? null, created_by: ctx.actor.userId })))
      .returning('id')
      .execute();
    for (const r of rows) await writeAudit(trx, ctx, { action: 'training.create', entityType: 'training', entityId: r.id, after: { ...input, userIds: undefined } });
    return rows.map((r) => r.id);
  });
  const rows = await selectTraining(deps.db, companyId).where('t.id', 'in', ids).orderBy('u.display_name').execute();
  return { items: rows.map(toTraining) };
}

export async function deleteTraining(deps: Deps_, ctx: RequestContext, id: string): Promise<void> {
  requirePermission(ctx.actor, 'roster.manage');
  const row = await deps.db.selectFrom('training_records').selectAll().where('id', '=', id).where('company_id', '=', companyOf(ctx.actor)).executeTakeFirst();
  if (!row || !(await staffVisibleTo(deps.db, ctx.actor, row.user_id))) throw new NotFoundError('training');
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('training_records').where('id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'training.delete', entityType: 'training', entityId: id, before: { userId: row.user_id, title: row.title, day: row.day, tenthHours: row.tenth_hours } });
  });
}

/** Hours per person in a year, with the split by topic (hours to one decimal). */
export async function trainingSummaryOf(deps: Deps_, ctx: RequestContext, q: { year: number; communityId?: string }): Promise<z.infer<typeof trainingSummary>> {
  requirePermission(ctx.actor, 'roster.read');
  if (q.communityId) await loadCommunity(deps.db, ctx.actor, q.communityId);
  const rows = await trainingScope(deps, ctx, q).execute();
  const people = new Map<string, { user: { id: string; name: string }; sessions: number; tenth: number; byTopic: Record<string, number> }>();
  for (const r of rows) {
    const p = people.get(r.user_id) ?? { user: { id: r.user_id, name: r.display_name }, sessions: 0, tenth: 0, byTopic: {} };
    p.sessions += 1;
    p.tenth += r.tenth_hours;
    p.byTopic[r.topic] = Math.round(((p.byTopic[r.topic] ?? 0) * 10 + r.tenth_hours)) / 10;
    people.set(r.user_id, p);
  }
  return {
    year: q.year,
    people: [...people.values()].sort((a, b) => b.tenth - a.tenth || a.user.name.localeCompare(b.user.name, 'zh-CN')).map((p) => ({ user: p.user, sessions: p.sessions, hours: p.tenth / 10, byTopic: p.byTopic })),
  };
}

const TOPIC_NAMES: Record<string, [string, string]> = { safety: ['安全', 'Safety'], fire: ['消防', 'Fire'], service: ['服务礼仪', 'Service'], skills: ['技能', 'Skills'], law: ['法规', 'Law'], induction: ['入职', 'Induction'], other: ['其他', 'Other'] };

/** 培训台账.xlsx of a year: a summary sheet (hours per person and topic) and every record. */
export async function trainingXlsx(deps: Deps_, ctx: RequestContext, q: { year: number; communityId?: string }): Promise<Report> {
  const summary = await trainingSummaryOf(deps, ctx, q);
  const records = await trainingScope(deps, ctx, q).orderBy('t.day').orderBy('u.display_name').execute();
  const zh = ctx.lang !== 'en';
  const L = (k: string) => TOPIC_NAMES[k][zh ? 0 : 1];
  const wb = new ExcelJS.Workbook();
  const ws1 = wb.addWorksheet(zh ? '学时汇总' : 'Hours', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws1.columns = [
    { header: zh ? '姓名' : 'Name', width: 14 },
    { header: zh ? '次数' : 'Sessions', width: 8 },
    { header: zh ? '学时' : 'Hours', width: 8, style: { numFmt: '0.0' } },
    ...TRAINING_TOPICS.map((t) => ({ header: L(t), width: 10, style: { numFmt: '0.0' } })),
  ];
  ws1.getRow(1).font = { bold: true };
  for (const p of summary.people) ws1.addRow([p.user.name, p.sessions, p.hours, ...TRAINING_TOPICS.map((t) => p.byTopic[t] ?? 0)]);
  const ws2 = wb.addWorksheet(zh ? '培训记录' : 'Records', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws2.columns = [
    { header: zh ? '日期' : 'Date', width: 12 },
    { header: zh ? '姓名' : 'Name', width: 14 },
    { header: zh ? '培训内容' : 'Title', width: 30 },
    { header: zh ? '类别' : 'Topic', width: 10 },
    { header: zh ? '学时' : 'Hours', width: 8, style: { numFmt: '0.0' } },
    { header: zh ? '讲师' : 'Trainer', width: 12 },
    { header: zh ? '考核' : 'Passed', width: 8 },
  ];
  ws2.getRow(1).font = { bold: true };
  for (const r of records) ws2.addRow([r.day, r.display_name, r.title, L(r.topic), r.tenth_hours / 10, r.trainer ?? '', r.passed === null ? '' : r.passed ? (zh ? '合格' : 'yes') : zh ? '不合格' : 'no']);
  return { fileName: zh ? `培训台账-${q.year}.xlsx` : `training-${q.year}.xlsx`, asciiName: `training-${q.year}.xlsx`, data: Buffer.from(await wb.xlsx.writeBuffer()) };
}

export const certificateKinds = () => ({ items: CERTIFICATE_KINDS.map((k) => ({ ...k })) });
