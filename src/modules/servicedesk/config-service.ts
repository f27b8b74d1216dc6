import type { z } from 'zod';
import { type ExpressionBuilder, type Selectable, sql, type Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB } from '../../db/schema.ts';
import type { ClockSpec, TicketKind } from '../../db/schema-service-desk.ts';
import { type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import type { Permission } from '../../core/permissions.ts';
import type { Lang } from '../../core/messages.ts';
import { writeAudit } from '../../core/audit.ts';
import { assertCommunity } from '../estate/repo.ts';
import { ensureDesk, ensureShippedCalendar, invalidateDeskCache } from './config.ts';
import { RETURN_VISIT_QUESTIONS } from './defaults.ts';
import { describeDuration } from './deadlines.ts';
import { CLOCKS, OPEN_STATUSES, TICKET_KINDS } from './rules.ts';
import { requireWorker } from './repo.ts';
import type * as s from './config-schema.ts';

/**
 * Configuring the service desk: categories, time-limit policies, staff groups, dispatch rules, settings, the
 * working-day calendar and saved queue views. Reading needs `ticket.read`, changing `servicedesk.configure`
 * (views are the caller's own and need only `ticket.read`). Every change is audited in its transaction and drops
 * the company's cached desk configuration after commit, so the next ticket uses it at once.
 */

type D = Pick<Deps, 'db'>;
type Trx = Transaction<DB>;

/** Checks the permission and makes sure the company has its defaults, so a desk never used still shows them. */
async function prepare(deps: D, ctx: RequestContext, permission: Permission): Promise<string> {
  requirePermission(ctx.actor, permission);
  const companyId = companyOf(ctx.actor);
  await ensureShippedCalendar(deps.db);
  await ensureDesk(deps.db, companyId);
  return companyId;
}

/** Runs a change in one transaction, then drops the company's cached configuration. */
async function change<T>(deps: D, companyId: string, work: (trx: Trx) => Promise<T>): Promise<T> {
  const result = await deps.db.transaction().execute(work);
  invalidateDeskCache(companyId);
  return result;
}

/** Kinds in their usual order (repairs first), not alphabetically. */
const kindOrder = (column: string) => sql<number>`array_position(ARRAY[${sql.join(TICKET_KINDS.map((k) => sql.lit(k)))}], ${sql.ref(column)})`;
const localName = (lang: Lang, name: string | null, nameEn: string | null) => (lang === 'en' && nameEn ? nameEn : name);

/** A category of the company, or 400 naming categoryId; of `kind` when one is given. */
async function requireCategory(db: Trx, companyId: string, id: string, kind: TicketKind | null) {
  const cat = await db.selectFrom('ticket_categories').select(['id', 'kind']).where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
  if (!cat) throw new ValidationError('categoryId', 'validation.unknownIds');
  if (kind && cat.kind !== kind) throw new ValidationError('categoryId', 'validation.categoryOfKind', { kind });
}

// ── Categories ──────────────────────────────────────────────────────────────────────────────────────────────

const toCategory = (r: Selectable<DB['ticket_categories']>) => ({ id: r.id, kind: r.kind, code: r.code, name: r.name, nameEn: r.name_en, active: r.active, sort: r.sort });

export async function listCategories(deps: D, ctx: RequestContext, q: z.infer<typeof s.categoryQuery>) {
  // Owners choose a category when they report: they see the active ones.
  const owner = ctx.actor.kind === 'owner';
  const companyId = await prepare(deps, ctx, owner ? 'owner.self' : 'ticket.read');
  const rows = await deps.db
    .selectFrom('ticket_categories')
    .selectAll()
    .where('company_id', '=', companyId)
    .$if(q.kind !== undefined, (qb) => qb.where('kind', '=', q.kind!))
    .$if(owner || q.active !== undefined, (qb) => qb.where('active', '=', owner || q.active === 'true'))
    .orderBy(kindOrder('kind'))
    .orderBy('sort')
    .orderBy('code')
    .execute();
  return { items: rows.map(toCategory) };
}

export async function createCategory(deps: D, ctx: RequestContext, input: z.infer<typeof s.createCategoryBody>) {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  const row = await change(deps, companyId, async (trx) => {
    const clash = await trx.selectFrom('ticket_categories').select('id').where('company_id', '=', companyId).where('kind', '=', input.kind).where('code', '=', input.code).executeTakeFirst();
    if (clash) throw new ConflictError('conflict.categoryCode', { code: input.code }, { field: 'code' });
    const last = await trx.selectFrom('ticket_categories').select((eb) => eb.fn.max('sort').as('sort')).where('company_id', '=', companyId).where('kind', '=', input.kind).executeTakeFirst();
    const created = await trx
      .insertInto('ticket_categories')
      .values({ company_id: companyId, kind: input.kind, code: input.code, name: input.name, name_en: input.nameEn ?? null, sort: input.sort ?? (last?.sort ?? -1) + 1 })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'ticketCategory.create', entityType: 'ticketCategory', entityId: created.id, after: created });
    return created;
  });
  return toCategory(row);
}

export async function updateCategory(deps: D, ctx: RequestContext, id: string, input: z.infer<typeof s.updateCategoryBody>) {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  const row = await change(deps, companyId, async (trx) => {
    const before = await trx.selectFrom('ticket_categories').selectAll().where('id', '=', id).where('company_id', '=', companyId).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError('ticketCategory');
    const after = await trx
      .updateTable('ticket_categories')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.nameEn !== undefined && { name_en: input.nameEn }),
        ...(input.active !== undefined && { active: input.active }),
        ...(input.sort !== undefined && { sort: input.sort }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'ticketCategory.update', entityType: 'ticketCategory', entityId: id, before, after });
    return after;
  });
  return toCategory(row);
}

// ── Time-limit policies ─────────────────────────────────────────────────────────────────────────────────────

function selectPolicies(deps: D, companyId: string) {
  return deps.db
    .selectFrom('sla_policies as p')
    .leftJoin('communities as c', 'c.id', 'p.community_id')
    .leftJoin('ticket_categories as k', 'k.id', 'p.category_id')
    .selectAll('p')
    .select(['c.name as community_name', 'k.name as category_name', 'k.name_en as category_name_en'])
    .where('p.company_id', '=', companyId);
}
type PolicyRow = Awaited<ReturnType<ReturnType<typeof selectPolicies>['executeTakeFirstOrThrow']>>;

function toPolicy(r: PolicyRow, lang: Lang) {
  const clocks: ClockSpec = r.clocks;
  const descriptions: Partial<Record<(typeof CLOCKS)[number], string>> = {};
  for (const c of CLOCKS) if (clocks[c]) descriptions[c] = describeDuration(clocks[c], lang);
  return {
    id: r.id,
    communityId: r.community_id,
    communityName: r.community_name,
    kind: r.kind,
    categoryId: r.category_id,
    categoryName: localName(lang, r.category_name, r.category_name_en),
    urgency: r.urgency,
    severity: r.severity,
    clocks,
    descriptions,
    pauseStopsClock: r.pause_stops_clock,
    note: r.note,
    updatedAt: r.updated_at.toISOString(),
  };
}

async function getPolicy(deps: D, ctx: RequestContext, companyId: string, id: string) {
  return toPolicy(await selectPolicies(deps, companyId).where('p.id', '=', id).executeTakeFirstOrThrow(), ctx.lang);
}

export async function listPolicies(deps: D, ctx: RequestContext, q: z.infer<typeof s.policyQuery>) {
  const companyId = await prepare(deps, ctx, 'ticket.read');
  const scope = communityScope(ctx.actor);
  // Company-wide policies plus those of the communities the caller may see.
  const rows = await selectPolicies(deps, companyId)
    .$if(scope !== null, (qb) => qb.where((eb) => eb.or([eb('p.community_id', 'is', null), eb('p.community_id', 'in', scope!)])))
    .$if(Boolean(q.communityId), (qb) => qb.where((eb) => eb.or([eb('p.community_id', 'is', null), eb('p.community_id', '=', q.communityId!)])))
    .$if(q.kind !== undefined, (qb) => qb.where('p.kind', '=', q.kind!))
    .orderBy(kindOrder('p.kind'))
    .orderBy(sql`p.community_id IS NOT NULL`)
    .orderBy('c.name')
    .orderBy(sql`p.category_id IS NOT NULL`)
    .orderBy('k.sort')
    .orderBy(sql`p.urgency IS NOT NULL`)
    .orderBy(sql`p.severity IS NOT NULL`)
    .orderBy('p.id')
    .execute();
  return { items: rows.map((r) => toPolicy(r, ctx.lang)) };
}

async function loadPolicy(trx: Trx, ctx: RequestContext, companyId: string, id: string) {
  const row = await trx.selectFrom('sla_policies').selectAll().where('id', '=', id).where('company_id', '=', companyId).forUpdate().executeTakeFirst();
  if (!row || (row.community_id && !canSeeCommunity(ctx.actor, row.community_id))) throw new NotFoundError('slaPolicy');
  return row;
}

interface PolicyScope {
  communityId: string | null;
  kind: TicketKind;
  categoryId: string | null;
  urgency: 'normal' | 'urgent' | null;
  severity: 'ordinary' | 'major' | null;
}

/** The scope's references are the company's, and no other policy has the same scope (sla_policies_scope_key). */
async function checkPolicyScope(trx: Trx, ctx: RequestContext, companyId: string, p: PolicyScope, exceptId?: string) {
  if (p.communityId) await assertCommunity(trx, ctx.actor, companyId, p.communityId);
  if (p.categoryId) await requireCategory(trx, companyId, p.categoryId, p.kind);
  const clash = await trx
    .selectFrom('sla_policies')
    .select('id')
    .where('company_id', '=', companyId)
    .where('kind', '=', p.kind)
    .where((eb) =>
      eb.and([
        p.communityId ? eb('community_id', '=', p.communityId) : eb('community_id', 'is', null),
        p.categoryId ? eb('category_id', '=', p.categoryId) : eb('category_id', 'is', null),
        p.urgency ? eb('urgency', '=', p.urgency) : eb('urgency', 'is', null),
        p.severity ? eb('severity', '=', p.severity) : eb('severity', 'is', null),
      ]),
    )
    .$if(Boolean(exceptId), (qb) => qb.where('id', '<>', exceptId!))
    .executeTakeFirst();
  if (clash) throw new ConflictError('conflict.policyScope', {}, { policyId: clash.id });
}

export async function createPolicy(deps: D, ctx: RequestContext, input: z.infer<typeof s.createPolicyBody>) {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  const scope: PolicyScope = { communityId: input.communityId ?? null, kind: input.kind, categoryId: input.categoryId ?? null, urgency: input.urgency ?? null, severity: input.severity ?? null };
  const id = await change(deps, companyId, async (trx) => {
    await checkPolicyScope(trx, ctx, companyId, scope);
    const row = await trx
      .insertInto('sla_policies')
      .values({
        company_id: companyId,
        community_id: scope.communityId,
        kind: scope.kind,
        category_id: scope.categoryId,
        urgency: scope.urgency,
        severity: scope.severity,
        clocks: JSON.stringify(input.clocks),
        pause_stops_clock: input.pauseStopsClock,
        note: input.note ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'slaPolicy.create', entityType: 'slaPolicy', entityId: row.id, after: row });
    return row.id;
  });
  return getPolicy(deps, ctx, companyId, id);
}

export async function updatePolicy(deps: D, ctx: RequestContext, id: string, input: z.infer<typeof s.updatePolicyBody>) {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  await change(deps, companyId, async (trx) => {
    const before = await loadPolicy(trx, ctx, companyId, id);
    const scope: PolicyScope = {
      communityId: input.communityId !== undefined ? input.communityId : before.community_id,
      kind: input.kind ?? before.kind,
      categoryId: input.categoryId !== undefined ? input.categoryId : before.category_id,
      urgency: input.urgency !== undefined ? input.urgency : before.urgency,
      severity: input.severity !== undefined ? input.severity : before.severity,
    };
    await checkPolicyScope(trx, ctx, companyId, scope, id);
    const after = await trx
      .updateTable('sla_policies')
      .set({
        community_id: scope.communityId,
        kind: scope.kind,
        category_id: scope.categoryId,
        urgency: scope.urgency,
        severity: scope.severity,
        ...(input.clocks !== undefined && { clocks: JSON.stringify(input.clocks) }),
        ...(input.pauseStopsClock !== undefined && { pause_stops_clock: input.pauseStopsClock }),
        ...(input.note !== undefined && { note: input.note }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'slaPolicy.update', entityType: 'slaPolicy', entityId: id, before, after });
  });
  return getPolicy(deps, ctx, companyId, id);
}

/** Tickets that used the policy keep the deadlines computed from it; they only lose the link. */
export async function deletePolicy(deps: D, ctx: RequestContext, id: string): Promise<void> {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  await change(deps, companyId, async (trx) => {
    const before = await loadPolicy(trx, ctx, companyId, id);
    const detached = await trx.updateTable('tickets').set({ policy_id: null }).where('policy_id', '=', id).executeTakeFirst();
    await trx.deleteFrom('sla_policies').where('id', '=', id).where('company_id', '=', companyId).execute();
    await writeAudit(trx, ctx, { action: 'slaPolicy.delete', entityType: 'slaPolicy', entityId: id, before, after: { detachedTickets: Number(detached.numUpdatedRows) } });
  });
}

// ── Staff groups ────────────────────────────────────────────────────────────────────────────────────────────

function selectGroups(deps: D, companyId: string) {
  return deps.db
    .selectFrom('staff_groups as g')
    .leftJoin('communities as c', 'c.id', 'g.community_id')
    .leftJoin('users as l', 'l.id', 'g.leader_id')
    .select(['g.id', 'g.name', 'g.community_id', 'c.name as community_name', 'g.leader_id', 'l.display_name as leader_name', 'g.updated_at'])
    .where('g.company_id', '=', companyId);
}

async function withMembers(deps: D, rows: Awaited<ReturnType<ReturnType<typeof selectGroups>['execute']>>) {
  const members = rows.length
    ? await deps.db
        .selectFrom('staff_group_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select(['m.group_id', 'm.user_id', 'm.position', 'u.display_name'])
        .where('m.group_id', 'in', rows.map((r) => r.id))
        .orderBy('m.position')
        .orderBy('m.user_id')
        .execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    communityId: r.community_id,
    communityName: r.community_name,
    leaderId: r.leader_id,
    leaderName: r.leader_name,
    members: members.filter((m) => m.group_id === r.id).map((m) => ({ userId: m.user_id, name: m.display_name, position: m.position })),
    updatedAt: r.updated_at.toISOString(),
  }));
}

async function getGroup(deps: D, companyId: string, id: string) {
  const [group] = await withMembers(deps, await selectGroups(deps, companyId).where('g.id', '=', id).execute());
  return group!;
}

export async function listGroups(deps: D, ctx: RequestContext, q: z.infer<typeof s.communityFilter>) {
  const companyId = await prepare(deps, ctx, 'ticket.read');
  const scope = communityScope(ctx.actor);
  const rows = await selectGroups(deps, companyId)
    .$if(scope !== null, (qb) => qb.where((eb) => eb.or([eb('g.community_id', 'is', null), eb('g.community_id', 'in', scope!)])))
    .$if(Boolean(q.communityId), (qb) => qb.where((eb) => eb.or([eb('g.community_id', 'is', null), eb('g.community_id', '=', q.communityId!)])))
    .orderBy('g.name')
    .execute();
  return { items: await withMembers(deps, rows) };
}

/** Every id is an active staff account of the company, each named once; otherwise 400 naming `field`. */
async function requireActiveStaff(trx: Trx, companyId: string, ids: readonly string[], field: string) {
  if (!ids.length) return;
  if (new Set(ids).size !== ids.length) throw new ValidationError(field, 'validation.duplicateIds');
  const found = await trx.selectFrom('users').select('id').where('id', 'in', [...ids]).where('company_id', '=', companyId).where('kind', '=', 'staff').where('status', '=', 'active').execute();
  if (found.length !== ids.length) throw new ValidationError(field, 'validation.notActiveStaff');
}

async function loadGroup(trx: Trx, ctx: RequestContext, companyId: string, id: string) {
  const row = await trx.selectFrom('staff_groups').selectAll().where('id', '=', id).where('company_id', '=', companyId).forUpdate().executeTakeFirst();
  if (!row || (row.community_id && !canSeeCommunity(ctx.actor, row.community_id))) throw new NotFoundError('staffGroup');
  return row;
}

async function assertGroupNameFree(trx: Trx, companyId: string, name: string, exceptId?: string) {
  const clash = await trx.selectFrom('staff_groups').select('id').where('company_id', '=', companyId).where('name', '=', name).$if(Boolean(exceptId), (qb) => qb.where('id', '<>', exceptId!)).executeTakeFirst();
  if (clash) throw new ConflictError('conflict.groupName', { name }, { field: 'name' });
}

async function replaceMembers(trx: Trx, companyId: string, groupId: string, memberIds: readonly string[]) {
  await trx.deleteFrom('staff_group_members').where('group_id', '=', groupId).execute();
  if (memberIds.length) await trx.insertInto('staff_group_members').values(memberIds.map((user_id, position) => ({ group_id: groupId, user_id, company_id: companyId, position }))).execute();
}

export async function createGroup(deps: D, ctx: RequestContext, input: z.infer<typeof s.createGroupBody>) {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  const id = await change(deps, companyId, async (trx) => {
    if (input.communityId) await assertCommunity(trx, ctx.actor, companyId, input.communityId);
    if (input.leaderId) await requireActiveStaff(trx, companyId, [input.leaderId], 'leaderId');
    await requireActiveStaff(trx, companyId, input.memberIds, 'memberIds');
    await assertGroupNameFree(trx, companyId, input.name);
    const row = await trx
      .insertInto('staff_groups')
      .values({ company_id: companyId, community_id: input.communityId ?? null, name: input.name, leader_id: input.leaderId ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await replaceMembers(trx, companyId, row.id, input.memberIds);
    await writeAudit(trx, ctx, { action: 'staffGroup.create', entityType: 'staffGroup', entityId: row.id, after: { ...row, memberIds: input.memberIds } });
    return row.id;
  });
  return getGroup(deps, companyId, id);
}

export async function updateGroup(deps: D, ctx: RequestContext, id: string, input: z.infer<typeof s.updateGroupBody>) {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  await change(deps, companyId, async (trx) => {
    const before = await loadGroup(trx, ctx, companyId, id);
    const beforeMembers = (await trx.selectFrom('staff_group_members').select('user_id').where('group_id', '=', id).orderBy('position').execute()).map((m) => m.user_id);
    if (input.communityId) {
      await assertCommunity(trx, ctx.actor, companyId, input.communityId);
      // A dispatch rule may only use a group of its own community or a company-wide one.
      const elsewhere = await trx.selectFrom('dispatch_rules').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', id).where('community_id', '<>', input.communityId).executeTakeFirstOrThrow();
      if (elsewhere.n > 0) throw new ConflictError('conflict.groupInUse', { count: elsewhere.n }, { field: 'communityId' });
    }
    if (input.leaderId) await requireActiveStaff(trx, companyId, [input.leaderId], 'leaderId');
    if (input.memberIds) await requireActiveStaff(trx, companyId, input.memberIds, 'memberIds');
    if (input.name && input.name !== before.name) await assertGroupNameFree(trx, companyId, input.name, id);
    const after = await trx
      .updateTable('staff_groups')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.communityId !== undefined && { community_id: input.communityId }),
        ...(input.leaderId !== undefined && { leader_id: input.leaderId }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.memberIds) await replaceMembers(trx, companyId, id, input.memberIds);
    await writeAudit(trx, ctx, {
      action: 'staffGroup.update',
      entityType: 'staffGroup',
      entityId: id,
      before: { ...before, memberIds: beforeMembers },
      after: { ...after, memberIds: input.memberIds ?? beforeMembers },
    });
  });
  return getGroup(deps, companyId, id);
}

/** Refused while a dispatch rule or an open ticket uses the group; finished tickets just lose the link. */
export async function deleteGroup(deps: D, ctx: RequestContext, id: string): Promise<void> {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  await change(deps, companyId, async (trx) => {
    const before = await loadGroup(trx, ctx, companyId, id);
    const rules = await trx.selectFrom('dispatch_rules').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', id).executeTakeFirstOrThrow();
    if (rules.n > 0) throw new ConflictError('conflict.groupInUse', { count: rules.n });
    const open = await trx.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', id).where('status', 'in', [...OPEN_STATUSES]).executeTakeFirstOrThrow();
    if (open.n > 0) throw new ConflictError('conflict.groupHasTickets', { count: open.n });
    const members = (await trx.selectFrom('staff_group_members').select('user_id').where('group_id', '=', id).orderBy('position').execute()).map((m) => m.user_id);
    await trx.updateTable('tickets').set({ group_id: null }).where('group_id', '=', id).execute();
    await trx.deleteFrom('staff_groups').where('id', '=', id).where('company_id', '=', companyId).execute();
    await writeAudit(trx, ctx, { action: 'staffGroup.delete', entityType: 'staffGroup', entityId: id, before: { ...before, memberIds: members } });
  });
}

// ── Dispatch rules ──────────────────────────────────────────────────────────────────────────────────────────

function selectRules(deps: D, companyId: string) {
  return deps.db
    .selectFrom('dispatch_rules as r')
    .innerJoin('communities as c', 'c.id', 'r.community_id')
    .leftJoin('ticket_categories as k', 'k.id', 'r.category_id')
    .leftJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('zones as z', 'z.id', 'r.zone_id')
    .leftJoin('users as u', 'u.id', 'r.assignee_id')
    .leftJoin('staff_groups as g', 'g.id', 'r.group_id')
    .selectAll('r')
    .select(['c.name as community_name', 'k.name as category_name', 'k.name_en as category_name_en', 'b.name as building_name', 'z.name as zone_name', 'u.display_name as assignee_name', 'g.name as group_name'])
    .where('r.company_id', '=', companyId);
}
type RuleRow = Awaited<ReturnType<ReturnType<typeof selectRules>['executeTakeFirstOrThrow']>>;

const toRule = (r: RuleRow, lang: Lang) => ({
  id: r.id,
  communityId: r.community_id,
  communityName: r.community_name,
  kind: r.kind,
  categoryId: r.category_id,
  categoryName: localName(lang, r.category_name, r.category_name_en),
  buildingId: r.building_id,
  buildingName: r.building_name,
  zoneId: r.zone_id,
  zoneName: r.zone_name,
  mode: r.mode,
  assigneeId: r.assignee_id,
  assigneeName: r.assignee_name,
  groupId: r.group_id,
  groupName: r.group_name,
  priority: r.priority,
  active: r.active,
  updatedAt: r.updated_at.toISOString(),
});

export async function listRules(deps: D, ctx: RequestContext, q: z.infer<typeof s.communityFilter>) {
  const companyId = await prepare(deps, ctx, 'ticket.read');
  const scope = communityScope(ctx.actor);
  const rows = await selectRules(deps, companyId)
    .$if(scope !== null, (qb) => qb.where('r.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('r.community_id', '=', q.communityId!))
    .orderBy('c.name')
    .orderBy('r.priority')
    .orderBy('r.id')
    .execute();
  return { items: rows.map((r) => toRule(r, ctx.lang)) };
}

async function loadRule(trx: Trx, ctx: RequestContext, companyId: string, id: string) {
  const row = await trx.selectFrom('dispatch_rules').selectAll().where('id', '=', id).where('company_id', '=', companyId).forUpdate().executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('dispatchRule');
  return row;
}

interface RuleState {
  communityId: string;
  kind: TicketKind | null;
  categoryId: string | null;
  buildingId: string | null;
  zoneId: string | null;
  mode: 'person' | 'roundRobin' | 'pool';
  assigneeId: string | null;
  groupId: string | null;
}

/**
 * Checks what the request changed (a rule merely re-prioritised or switched off is not re-judged) and returns the
 * target to store: a person for mode 'person', a group otherwise — the other one is cleared.
 */
async function checkRule(trx: Trx, ctx: RequestContext, companyId: string, r: RuleState, sent: z.infer<typeof s.updateRuleBody>) {
  const touched = (...keys: Array<keyof RuleState>) => keys.some((k) => sent[k] !== undefined);
  if (touched('communityId')) await assertCommunity(trx, ctx.actor, companyId, r.communityId);
  if (r.categoryId && touched('categoryId', 'kind')) await requireCategory(trx, companyId, r.categoryId, r.kind);
  for (const [table, field, id] of [['buildings', 'buildingId', r.buildingId], ['zones', 'zoneId', r.zoneId]] as const) {
    if (!id || !touched(field, 'communityId')) continue;
    const row = await trx.selectFrom(table).select('community_id').where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
    if (!row) throw new ValidationError(field, 'validation.unknownIds');
    if (row.community_id !== r.communityId) throw new ValidationError(field, 'validation.otherCommunity');
  }
  const targetChanged = touched('mode', 'assigneeId', 'groupId', 'communityId');
  if (r.mode === 'person') {
    if (sent.groupId) throw new ValidationError('groupId', 'validation.modeField', { mode: r.mode });
    if (!r.assigneeId) throw new ValidationError('assigneeId', 'validation.required');
    if (targetChanged) await requireWorker(trx, companyId, r.communityId, r.assigneeId, 'assigneeId');
    return { assignee_id: r.assigneeId, group_id: null };
  }
  if (sent.assigneeId) throw new ValidationError('assigneeId', 'validation.modeField', { mode: r.mode });
  if (!r.groupId) throw new ValidationError('groupId', 'validation.required');
  if (targetChanged) {
    const group = await trx.selectFrom('staff_groups').select('community_id').where('id', '=', r.groupId).where('company_id', '=', companyId).executeTakeFirst();
    if (!group) throw new ValidationError('groupId', 'validation.unknownIds');
    if (group.community_id && group.community_id !== r.communityId) throw new ValidationError('groupId', 'validation.otherCommunity');
  }
  return { assignee_id: null, group_id: r.groupId };
}

export async function createRule(deps: D, ctx: RequestContext, input: z.infer<typeof s.createRuleBody>) {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  const state: RuleState = {
    communityId: input.communityId,
    kind: input.kind ?? null,
    categoryId: input.categoryId ?? null,
    buildingId: input.buildingId ?? null,
    zoneId: input.zoneId ?? null,
    mode: input.mode,
    assigneeId: input.assigneeId ?? null,
    groupId: input.groupId ?? null,
  };
  const id = await change(deps, companyId, async (trx) => {
    const target = await checkRule(trx, ctx, companyId, state, input);
    const row = await trx
      .insertInto('dispatch_rules')
      .values({
        company_id: companyId,
        community_id: state.communityId,
        kind: state.kind,
        category_id: state.categoryId,
        building_id: state.buildingId,
        zone_id: state.zoneId,
        mode: state.mode,
        ...target,
        priority: input.priority,
        active: input.active,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'dispatchRule.create', entityType: 'dispatchRule', entityId: row.id, after: row });
    return row.id;
  });
  return toRule(await selectRules(deps, companyId).where('r.id', '=', id).executeTakeFirstOrThrow(), ctx.lang);
}

export async function updateRule(deps: D, ctx: RequestContext, id: string, input: z.infer<typeof s.updateRuleBody>) {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  await change(deps, companyId, async (trx) => {
    const before = await loadRule(trx, ctx, companyId, id);
    const pick = <T>(sent: T | undefined, stored: T) => (sent !== undefined ? sent : stored);
    const state: RuleState = {
      communityId: pick(input.communityId, before.community_id),
      kind: pick(input.kind, before.kind),
      categoryId: pick(input.categoryId, before.category_id),
      buildingId: pick(input.buildingId, before.building_id),
      zoneId: pick(input.zoneId, before.zone_id),
      mode: pick(input.mode, before.mode),
      assigneeId: pick(input.assigneeId, before.assignee_id),
      groupId: pick(input.groupId, before.group_id),
    };
    const target = await checkRule(trx, ctx, companyId, state, input);
    const after = await trx
      .updateTable('dispatch_rules')
      .set({
        community_id: state.communityId,
        kind: state.kind,
        category_id: state.categoryId,
        building_id: state.buildingId,
        zone_id: state.zoneId,
        mode: state.mode,
        ...target,
        ...(input.priority !== undefined && { priority: input.priority }),
        ...(input.active !== undefined && { active: input.active }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'dispatchRule.update', entityType: 'dispatchRule', entityId: id, before, after });
  });
  return toRule(await selectRules(deps, companyId).where('r.id', '=', id).executeTakeFirstOrThrow(), ctx.lang);
}

export async function deleteRule(deps: D, ctx: RequestContext, id: string): Promise<void> {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  await change(deps, companyId, async (trx) => {
    const before = await loadRule(trx, ctx, companyId, id);
    await trx.deleteFrom('dispatch_rules').where('id', '=', id).where('company_id', '=', companyId).execute();
    await writeAudit(trx, ctx, { action: 'dispatchRule.delete', entityType: 'dispatchRule', entityId: id, before });
  });
}

// ── Settings ────────────────────────────────────────────────────────────────────────────────────────────────

type SettingsRow = Awaited<ReturnType<typeof selectSettingsRow>>;
function selectSettingsRow(db: D['db'] | Trx, companyId: string) {
  return db.selectFrom('service_desk_settings').selectAll().where('company_id', '=', companyId).executeTakeFirstOrThrow();
}

function toSettingsResponse(r: SettingsRow) {
  return {
    businessStart: r.business_start,
    businessEnd: r.business_end,
    lunchStart: r.lunch_start,
    lunchEnd: r.lunch_end,
    halfDayHours: r.half_day_hours,
    halfDayOn: r.half_day_on,
    atRiskPercent: r.at_risk_percent,
    returnVisitSamplePercent: r.return_visit_sample_percent,
    returnVisitMaxAttempts: r.return_visit_max_attempts,
    autoConfirmDays: r.auto_confirm_days,
    committeeQuorum: r.committee_quorum,
    satisfactionTarget: r.satisfaction_target,
    returnVisitTarget: r.return_visit_target,
    timelinessTarget: r.timeliness_target,
    notifyOwnerSms: r.notify_owner_sms,
    updatedAt: r.updated_at.toISOString(),
    returnVisitQuestions: RETURN_VISIT_QUESTIONS.map((q) => ({ ...q })),
  };
}

export async function getSettings(deps: D, ctx: RequestContext) {
  const companyId = await prepare(deps, ctx, 'ticket.read');
  return toSettingsResponse(await selectSettingsRow(deps.db, companyId));
}

/** Business hours as the deadline code needs them ('HH:MM' compares correctly as text). */
function checkBusinessHours(h: s.SettingsInput) {
  if (h.businessEnd <= h.businessStart) throw new ValidationError('businessEnd', 'validation.timeOrder', { after: 'businessStart' });
  if ((h.lunchStart === null) !== (h.lunchEnd === null)) throw new ValidationError(h.lunchStart === null ? 'lunchStart' : 'lunchEnd', 'validation.lunchPair');
  if (h.lunchStart === null || h.lunchEnd === null) return;
  if (h.lunchStart <= h.businessStart || h.lunchStart >= h.businessEnd) throw new ValidationError('lunchStart', 'validation.lunchInside');
  if (h.lunchEnd <= h.lunchStart) throw new ValidationError('lunchEnd', 'validation.timeOrder', { after: 'lunchStart' });
  if (h.lunchEnd >= h.businessEnd) throw new ValidationError('lunchEnd', 'validation.lunchInside');
}

export async function updateSettings(deps: D, ctx: RequestContext, input: s.SettingsInput) {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  checkBusinessHours(input);
  const row = await change(deps, companyId, async (trx) => {
    const before = await trx.selectFrom('service_desk_settings').selectAll().where('company_id', '=', companyId).forUpdate().executeTakeFirstOrThrow();
    const after = await trx
      .updateTable('service_desk_settings')
      .set({
        business_start: input.businessStart,
        business_end: input.businessEnd,
        lunch_start: input.lunchStart,
        lunch_end: input.lunchEnd,
        half_day_hours: input.halfDayHours,
        half_day_on: input.halfDayOn,
        at_risk_percent: input.atRiskPercent,
        return_visit_sample_percent: input.returnVisitSamplePercent,
        return_visit_max_attempts: input.returnVisitMaxAttempts,
        auto_confirm_days: input.autoConfirmDays,
        committee_quorum: input.committeeQuorum,
        satisfaction_target: input.satisfactionTarget,
        return_visit_target: input.returnVisitTarget,
        timeliness_target: input.timelinessTarget,
        notify_owner_sms: input.notifyOwnerSms,
        updated_at: new Date(),
      })
      .where('company_id', '=', companyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'serviceDesk.settings', entityType: 'serviceDeskSettings', entityId: companyId, before, after });
    return after;
  });
  return toSettingsResponse(row);
}

// ── Working-day calendar ────────────────────────────────────────────────────────────────────────────────────

const ownOrShipped = (companyId: string) => (eb: ExpressionBuilder<DB, 'calendar_days' | 'calendar_years'>) =>
  eb.or([eb('company_id', 'is', null), eb('company_id', '=', companyId)]);

async function isKnownYear(db: D['db'] | Trx, companyId: string, year: number): Promise<boolean> {
  return Boolean(await db.selectFrom('calendar_years').select('id').where('year', '=', year).where(ownOrShipped(companyId)).executeTakeFirst());
}

function thisYear(): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
}

/**
 * A year's holidays (法定节假日) and make-up working days (调休上班) as the desk counts them: the shipped calendar with
 * the company's own days laid over it.
 *
 * `known` says the year's official notice has been entered — it ships with the install (the `chinese-days` data) or
 * the company's administrators added it after the State Council published it. Deadlines counted in working days
 * (and half-days on working days) that reach into an unknown year are computed with the plain Mon–Fri rule and the
 * ticket is flagged `beyondCalendar`, so the deadline shows as provisional rather than silently wrong.
 */
export async function workCalendar(deps: D, ctx: RequestContext, year = thisYear()) {
  const companyId = await prepare(deps, ctx, 'ticket.read');
  return calendarOf(deps.db, companyId, year);
}

async function calendarOf(db: D['db'], companyId: string, year: number): Promise<z.infer<typeof s.calendar>> {
  const [rows, known] = await Promise.all([
    db
      .selectFrom('calendar_days')
      .select(['company_id', 'day', 'kind', 'name'])
      .where('day', '>=', `${year}-01-01`)
      .where('day', '<=', `${year}-12-31`)
      .where(ownOrShipped(companyId))
      .execute(),
    isKnownYear(db, companyId, year),
  ]);
  const byDay = new Map<string, z.infer<typeof s.calendar>['days'][number]>();
  // The company's row for a day replaces the shipped one.
  for (const r of [...rows].sort((x, y) => Number(x.company_id !== null) - Number(y.company_id !== null))) {
    byDay.set(r.day, { day: r.day, kind: r.kind, name: r.name, source: r.company_id ? 'company' : 'shipped' });
  }
  return { year, known, days: [...byDay.values()].sort((x, y) => (x.day < y.day ? -1 : 1)) };
}

/** A company's own holiday or working day. Its year must be known first: an unknown year follows Mon–Fri as a whole. */
export async function setCalendarDay(deps: D, ctx: RequestContext, day: string, input: z.infer<typeof s.calendarDayBody>) {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  const year = Number(day.slice(0, 4));
  await change(deps, companyId, async (trx) => {
    if (!(await isKnownYear(trx, companyId, year))) throw new ValidationError('day', 'validation.calendarYear', { year });
    const before = await trx.selectFrom('calendar_days').selectAll().where('company_id', '=', companyId).where('day', '=', day).forUpdate().executeTakeFirst();
    const after = await trx
      .insertInto('calendar_days')
      .values({ company_id: companyId, day, kind: input.kind, name: input.name })
      .onConflict((oc) => oc.columns(['company_id', 'day']).where('company_id', 'is not', null).doUpdateSet({ kind: input.kind, name: input.name }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'workCalendar.setDay', entityType: 'calendarDay', entityId: after.id, before: before ?? null, after });
  });
  return calendarOf(deps.db, companyId, year);
}

/** Removes the company's own entry for a day; the shipped calendar (or the weekday rule) applies again. */
export async function removeCalendarDay(deps: D, ctx: RequestContext, day: string): Promise<void> {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  await change(deps, companyId, async (trx) => {
    const before = await trx.deleteFrom('calendar_days').where('company_id', '=', companyId).where('day', '=', day).returningAll().executeTakeFirst();
    if (!before) throw new NotFoundError('calendarDay');
    await writeAudit(trx, ctx, { action: 'workCalendar.removeDay', entityType: 'calendarDay', entityId: before.id, before });
  });
}

/** Marks a year as known for the company, e.g. once its holidays from the State Council's notice are entered. */
export async function addCalendarYear(deps: D, ctx: RequestContext, year: number) {
  const companyId = await prepare(deps, ctx, 'servicedesk.configure');
  await change(deps, companyId, async (trx) => {
    if (await isKnownYear(trx, companyId, year)) throw new ConflictError('conflict.calendarYear', { year }, { field: 'year' });
    const row = await trx.insertInto('calendar_years').values({ company_id: companyId, year }).returningAll().executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'workCalendar.addYear', entityType: 'calendarYear', entityId: row.id, after: row });
  });
  return calendarOf(deps.db, companyId, year);
}

// ── Saved queue views ───────────────────────────────────────────────────────────────────────────────────────

const toView = (r: { id: string; name: string; filters: Record<string, unknown>; created_at: Date }) => ({ id: r.id, name: r.name, filters: r.filters, createdAt: r.created_at.toISOString() });

export async function listViews(deps: D, ctx: RequestContext) {
  requirePermission(ctx.actor, 'ticket.read');
  const rows = await deps.db.selectFrom('ticket_views').selectAll().where('company_id', '=', companyOf(ctx.actor)).where('user_id', '=', ctx.actor.userId).orderBy('name').execute();
  return { items: rows.map(toView) };
}

export async function createView(deps: D, ctx: RequestContext, input: z.infer<typeof s.createViewBody>) {
  requirePermission(ctx.actor, 'ticket.read');
  const companyId = companyOf(ctx.actor);
  const row = await deps.db.transaction().execute(async (trx) => {
    const clash = await trx.selectFrom('ticket_views').select('id').where('user_id', '=', ctx.actor.userId).where('name', '=', input.name).executeTakeFirst();
    if (clash) throw new ConflictError('conflict.viewName', { name: input.name }, { field: 'name' });
    const created = await trx
      .insertInto('ticket_views')
      .values({ company_id: companyId, user_id: ctx.actor.userId, name: input.name, filters: JSON.stringify(input.filters) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'ticketView.create', entityType: 'ticketView', entityId: created.id, after: created });
    return created;
  });
  return toView(row);
}

/** Only the caller's own views; anyone else's is a 404. */
export async function deleteView(deps: D, ctx: RequestContext, id: string): Promise<void> {
  requirePermission(ctx.actor, 'ticket.read');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const before = await trx.deleteFrom('ticket_views').where('id', '=', id).where('company_id', '=', companyId).where('user_id', '=', ctx.actor.userId).returningAll().executeTakeFirst();
    if (!before) throw new NotFoundError('ticketView');
    await writeAudit(trx, ctx, { action: 'ticketView.delete', entityType: 'ticketView', entityId: id, before });
  });
}
