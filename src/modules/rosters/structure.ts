import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { minutesOf, shiftMinutes } from './onshift.ts';
import { tooLongFor24h } from './rules.ts';
import { loadCommunity, requireCommunityStaff, requireStaff } from './access.ts';
import type { CreateDepartmentInput, CreatePostInput, CreateShiftInput, Department, Post, Shift, UpdateDepartmentInput, UpdatePostInput, UpdateShiftInput } from './schema.ts';

/**
 * The staff structure: departments (company-wide, with a head), posts (岗位) of a community with their members and
 * required certificates, and the community's shift definitions. Posts and shifts are deactivated rather than
 * deleted, since past roster entries point at them.
 */

type Deps_ = Pick<Deps, 'db'>;

// ── Departments ───────────────────────────────────────────────────────────────────────────────────────────────
function selectDepartments(db: Db, companyId: string) {
  return db
    .selectFrom('departments as d')
    .leftJoin('users as h', 'h.id', 'd.head_id')
    .where('d.company_id', '=', companyId)
    .select(['d.id', 'd.name', 'd.kind', 'd.head_id', 'h.display_name as head_name'])
    .select((eb) => eb.selectFrom('posts as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.department_id', '=', 'd.id').where('p.active', '=', true).as('posts'));
}
type DepartmentRow = Awaited<ReturnType<ReturnType<typeof selectDepartments>['executeTakeFirstOrThrow']>>;
const toDepartment = (r: DepartmentRow): Department => ({ id: r.id, name: r.name, kind: r.kind, head: r.head_id ? { id: r.head_id, name: r.head_name ?? '' } : null, posts: Number(r.posts ?? 0) });

export async function listDepartments(deps: Deps_, ctx: RequestContext): Promise<{ items: Department[] }> {
  requirePermission(ctx.actor, 'roster.read');
  const rows = await selectDepartments(deps.db, companyOf(ctx.actor)).orderBy('d.name').execute();
  return { items: rows.map(toDepartment) };
}

async function requireUniqueDepartment(db: Db, companyId: string, name: string, exceptId?: string) {
  const clash = await db.selectFrom('departments').select('id').where('company_id', '=', companyId).where('name', '=', name).$if(Boolean(exceptId), (q) => q.where('id', '<>', exceptId!)).executeTakeFirst();
  if (clash) throw new ConflictError('conflict.zoneName', { name }, { field: 'name' });
}

export async function createDepartment(deps: Deps_, ctx: RequestContext, input: CreateDepartmentInput): Promise<Department> {
  requirePermission(ctx.actor, 'roster.manage');
  const companyId = companyOf(ctx.actor);
  if (input.headId) await requireStaff(deps.db, companyId, input.headId, 'headId');
  await requireUniqueDepartment(deps.db, companyId, input.name);
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('departments').values({ company_id: companyId, name: input.name, kind: input.kind, head_id: input.headId ?? null }).returning('id').executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'department.create', entityType: 'department', entityId: row.id, after: input });
    return row.id;
  });
  return toDepartment(await selectDepartments(deps.db, companyId).where('d.id', '=', id).executeTakeFirstOrThrow());
}

async function loadDepartment(db: Db, companyId: string, id: string) {
  const row = await db.selectFrom('departments').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
  if (!row) throw new NotFoundError('department');
  return row;
}

export async function updateDepartment(deps: Deps_, ctx: RequestContext, id: string, input: UpdateDepartmentInput): Promise<Department> {
  requirePermission(ctx.actor, 'roster.manage');
  const companyId = companyOf(ctx.actor);
  const before = await loadDepartment(deps.db, companyId, id);
  if (input.headId) await requireStaff(deps.db, companyId, input.headId, 'headId');
  if (input.name) await requireUniqueDepartment(deps.db, companyId, input.name, id);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('departments')
      .set({ ...(input.name && { name: input.name }), ...(input.kind && { kind: input.kind }), ...(input.headId !== undefined && { head_id: input.headId }), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, ctx, { action: 'department.update', entityType: 'department', entityId: id, before: { name: before.name, kind: before.kind, headId: before.head_id }, after: input });
  });
  return toDepartment(await selectDepartments(deps.db, companyId).where('d.id', '=', id).executeTakeFirstOrThrow());
}

/** A department that still has posts (active or not) cannot go: 400 naming `posts`. */
export async function deleteDepartment(deps: Deps_, ctx: RequestContext, id: string): Promise<void> {
  requirePermission(ctx.actor, 'roster.manage');
  const companyId = companyOf(ctx.actor);
  const before = await loadDepartment(deps.db, companyId, id);
  const posts = await deps.db.selectFrom('posts').select('id').where('department_id', '=', id).limit(1).executeTakeFirst();
  if (posts) throw new ConflictError('conflict.departmentInUse', {}, { field: 'posts' });
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('departments').where('id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'department.delete', entityType: 'department', entityId: id, before: { name: before.name, kind: before.kind } });
  });
}

// ── Posts ─────────────────────────────────────────────────────────────────────────────────────────────────────
async function postsWhere(db: Db, companyId: string, where: { communityId?: string; id?: string; includeInactive?: boolean }): Promise<Post[]> {
  const rows = await db
    .selectFrom('posts as p')
    .innerJoin('departments as d', 'd.id', 'p.department_id')
    .where('p.company_id', '=', companyId)
    .$if(Boolean(where.communityId), (q) => q.where('p.community_id', '=', where.communityId!))
    .$if(Boolean(where.id), (q) => q.where('p.id', '=', where.id!))
    .$if(!where.includeInactive && !where.id, (q) => q.where('p.active', '=', true))
    .select(['p.id', 'p.community_id', 'p.name', 'p.round_the_clock', 'p.min_staff', 'p.required_certificates', 'p.active', 'd.id as department_id', 'd.name as department_name'])
    .orderBy('d.name')
    .orderBy('p.name')
    .execute();
  const members = rows.length
    ? await db
        .selectFrom('post_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select(['m.post_id', 'u.id', 'u.display_name'])
        .where('m.post_id', 'in', rows.map((r) => r.id))
        .orderBy('u.display_name')
        .execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    communityId: r.community_id,
    department: { id: r.department_id, name: r.department_name },
    name: r.name,
    roundTheClock: r.round_the_clock,
    minStaff: r.min_staff,
    requiredCertificates: r.required_certificates,
    members: members.filter((m) => m.post_id === r.id).map((m) => ({ id: m.id, name: m.display_name })),
    active: r.active,
  }));
}

/** The posts of a community, with members (no permission check: for the other rosters services). */
export function postsOf(db: Db, companyId: string, communityId: string, includeInactive = false): Promise<Post[]> {
  return postsWhere(db, companyId, { communityId, includeInactive });
}

export async function listPosts(deps: Deps_, ctx: RequestContext, q: { communityId: string; includeInactive?: boolean }): Promise<{ items: Post[] }> {
  requirePermission(ctx.actor, 'roster.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  return { items: await postsWhere(deps.db, companyOf(ctx.actor), { communityId: community.id, includeInactive: q.includeInactive }) };
}

/** Posts of communities the caller may see. */
async function loadPost(db: Db, ctx: RequestContext, id: string) {
  const row = await db.selectFrom('posts').selectAll().where('id', '=', id).where('company_id', '=', companyOf(ctx.actor)).executeTakeFirst();
  if (!row) throw new NotFoundError('post');
  await loadCommunity(db, ctx.actor, row.community_id).catch(() => {
    throw new NotFoundError('post');
  });
  return row;
}

async function requirePostName(db: Db, communityId: string, name: string, exceptId?: string) {
  const clash = await db.selectFrom('posts').select('id').where('community_id', '=', communityId).where('name', '=', name).$if(Boolean(exceptId), (q) => q.where('id', '<>', exceptId!)).executeTakeFirst();
  if (clash) throw new ConflictError('conflict.zoneName', { name }, { field: 'name' });
}

export async function createPost(deps: Deps_, ctx: RequestContext, input: CreatePostInput): Promise<Post> {
  requirePermission(ctx.actor, 'roster.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  const dept = await deps.db.selectFrom('departments').select('id').where('id', '=', input.departmentId).where('company_id', '=', companyId).executeTakeFirst();
  if (!dept) throw new ValidationError('departmentId', 'validation.unknownIds');
  await requireCommunityStaff(deps.db, companyId, community.id, input.memberIds, 'memberIds');
  await requirePostName(deps.db, community.id, input.name);
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('posts')
      .values({ company_id: companyId, community_id: community.id, department_id: dept.id, name: input.name, round_the_clock: input.roundTheClock, min_staff: input.minStaff, required_certificates: [...new Set(input.requiredCertificates)] })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (input.memberIds.length) await trx.insertInto('post_members').values(input.memberIds.map((user_id) => ({ post_id: row.id, user_id, company_id: companyId }))).execute();
    await writeAudit(trx, ctx, { action: 'post.create', entityType: 'post', entityId: row.id, after: input });
    return row.id;
  });
  return (await postsWhere(deps.db, companyId, { id }))[0];
}

export async function updatePost(deps: Deps_, ctx: RequestContext, id: string, input: UpdatePostInput): Promise<Post> {
  requirePermission(ctx.actor, 'roster.manage');
  const companyId = companyOf(ctx.actor);
  const before = await loadPost(deps.db, ctx, id);
  if (input.departmentId) {
    const dept = await deps.db.selectFrom('departments').select('id').where('id', '=', input.departmentId).where('company_id', '=', companyId).executeTakeFirst();
    if (!dept) throw new ValidationError('departmentId', 'validation.unknownIds');
  }
  if (input.memberIds) await requireCommunityStaff(deps.db, companyId, before.community_id, input.memberIds, 'memberIds');
  if (input.name) await requirePostName(deps.db, before.community_id, input.name, id);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('posts')
      .set({
        ...(input.departmentId && { department_id: input.departmentId }),
        ...(input.name && { name: input.name }),
        ...(input.roundTheClock !== undefined && { round_the_clock: input.roundTheClock }),
        ...(input.minStaff !== undefined && { min_staff: input.minStaff }),
        ...(input.requiredCertificates && { required_certificates: [...new Set(input.requiredCertificates)] }),
        ...(input.active !== undefined && { active: input.active }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    if (input.memberIds) {
      await trx.deleteFrom('post_members').where('post_id', '=', id).execute();
      if (input.memberIds.length) await trx.insertInto('post_members').values(input.memberIds.map((user_id) => ({ post_id: id, user_id, company_id: companyId }))).execute();
    }
    await writeAudit(trx, ctx, {
      action: 'post.update',
      entityType: 'post',
      entityId: id,
      before: { name: before.name, departmentId: before.department_id, roundTheClock: before.round_the_clock, minStaff: before.min_staff, requiredCertificates: before.required_certificates, active: before.active },
      after: input,
    });
  });
  return (await postsWhere(deps.db, companyId, { id }))[0];
}

// ── Shifts ────────────────────────────────────────────────────────────────────────────────────────────────────
interface ShiftRow {
  id: string;
  community_id: string;
  name: string;
  code: string;
  start_time: string;
  end_time: string;
  color: string | null;
  active: boolean;
}

export function toShift(r: ShiftRow): Shift {
  const start = r.start_time.slice(0, 5);
  const end = r.end_time.slice(0, 5);
  return {
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    code: r.code,
    startTime: start,
    endTime: end,
    minutes: shiftMinutes(start, end),
    crossesMidnight: minutesOf(end) <= minutesOf(start) && minutesOf(end) !== 0,
    tooLongFor24h: tooLongFor24h({ start, end }),
    color: r.color,
    active: r.active,
  };
}

export async function shiftsOf(db: Db, companyId: string, communityId: string, includeInactive = false): Promise<Shift[]> {
  const rows = await db
    .selectFrom('shifts')
    .select(['id', 'community_id', 'name', 'code', 'start_time', 'end_time', 'color', 'active'])
    .where('company_id', '=', companyId)
    .where('community_id', '=', communityId)
    .$if(!includeInactive, (q) => q.where('active', '=', true))
    .orderBy('start_time')
    .orderBy('code')
    .execute();
  return rows.map(toShift);
}

export async function listShifts(deps: Deps_, ctx: RequestContext, q: { communityId: string; includeInactive?: boolean }): Promise<{ items: Shift[] }> {
  requirePermission(ctx.actor, 'roster.read');
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId);
  return { items: await shiftsOf(deps.db, companyOf(ctx.actor), community.id, q.includeInactive) };
}

async function loadShift(db: Db, ctx: RequestContext, id: string) {
  const row = await db.selectFrom('shifts').selectAll().where('id', '=', id).where('company_id', '=', companyOf(ctx.actor)).executeTakeFirst();
  if (!row) throw new NotFoundError('shift');
  await loadCommunity(db, ctx.actor, row.community_id).catch(() => {
    throw new NotFoundError('shift');
  });
  return row;
}

function checkTimes(start: string, end: string) {
  if (start === end) throw new ValidationError('endTime', 'validation.invalid');
}

export async function createShift(deps: Deps_, ctx: RequestContext, input: CreateShiftInput): Promise<Shift> {
  requirePermission(ctx.actor, 'roster.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  checkTimes(input.startTime, input.endTime);
  const clash = await deps.db.selectFrom('shifts').select('id').where('community_id', '=', community.id).where('code', '=', input.code).executeTakeFirst();
  if (clash) throw new ConflictError('conflict.zoneName', { name: input.code }, { field: 'code' });
  const row = await deps.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('shifts')
      .values({ company_id: companyId, community_id: community.id, name: input.name, code: input.code, start_time: input.startTime, end_time: input.endTime, color: input.color ?? null })
      .returning(['id', 'community_id', 'name', 'code', 'start_time', 'end_time', 'color', 'active'])
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'shift.create', entityType: 'shift', entityId: r.id, after: input });
    return r;
  });
  return toShift(row);
}

/**
 * Changing a shift's times changes past rosters' meaning too; that is the manager's call (audited). Times of a
 * shift still in use are checked again when the next week is saved.
 */
export async function updateShift(deps: Deps_, ctx: RequestContext, id: string, input: UpdateShiftInput): Promise<Shift> {
  requirePermission(ctx.actor, 'roster.manage');
  const before = await loadShift(deps.db, ctx, id);
  const start = input.startTime ?? before.start_time.slice(0, 5);
  const end = input.endTime ?? before.end_time.slice(0, 5);
  checkTimes(start, end);
  const row = await deps.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('shifts')
      .set({ ...(input.name && { name: input.name }), start_time: start, end_time: end, ...(input.color !== undefined && { color: input.color }), ...(input.active !== undefined && { active: input.active }), updated_at: new Date() })
      .where('id', '=', id)
      .returning(['id', 'community_id', 'name', 'code', 'start_time', 'end_time', 'color', 'active'])
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'shift.update', entityType: 'shift', entityId: id, before: { name: before.name, startTime: before.start_time, endTime: before.end_time, active: before.active }, after: input });
    return r;
  });
  return toShift(row);
}
