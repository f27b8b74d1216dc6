import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import type { CreateTemplateInput, Template, UpdateTemplateInput } from './schema.ts';
import { requireReader } from './repo.ts';

/**
 * Checklist templates (检查表) with scored items. Changing the items bumps the version: an inspection copies the
 * items it was made from, so a later edit changes no past score.
 */

async function loadTemplates(db: Db, companyId: string, ids?: string[]): Promise<Template[]> {
  const rows = await db
    .selectFrom('quality_templates')
    .selectAll()
    .where('company_id', '=', companyId)
    .$if(ids !== undefined, (qb) => qb.where('id', 'in', ids!.length ? ids! : ['00000000-0000-0000-0000-000000000000']))
    .orderBy('name')
    .execute();
  const items = rows.length
    ? await db.selectFrom('quality_template_items').selectAll().where('template_id', 'in', rows.map((r) => r.id)).orderBy('sort_order').execute()
    : [];
  return rows.map((r) => {
    const own = items.filter((i) => i.template_id === r.id);
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      version: r.version,
      active: r.active,
      maxScore: own.reduce((s, i) => s + i.max_points, 0),
      items: own.map((i) => ({ id: i.id, label: i.label, maxPoints: i.max_points, departmentKind: i.department_kind, guidance: i.guidance })),
      updatedAt: r.updated_at.toISOString(),
    };
  });
}

export async function listTemplates(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { active?: 'true' | 'false' }): Promise<Template[]> {
  requireReader(ctx.actor);
  const all = await loadTemplates(deps.db, companyOf(ctx.actor));
  return q.active ? all.filter((t) => t.active === (q.active === 'true')) : all;
}

export async function getTemplate(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Template> {
  requireReader(ctx.actor);
  const [t] = await loadTemplates(deps.db, companyOf(ctx.actor), [id]);
  if (!t) throw new NotFoundError('template');
  return t;
}

const itemRows = (companyId: string, templateId: string, items: CreateTemplateInput['items']) =>
  items.map((i, n) => ({ company_id: companyId, template_id: templateId, sort_order: n + 1, label: i.label, max_points: i.maxPoints, department_kind: i.departmentKind, guidance: i.guidance || null }));

async function nameTaken(db: Db, companyId: string, name: string, except?: string) {
  const row = await db.selectFrom('quality_templates').select('id').where('company_id', '=', companyId).where('name', '=', name).$if(Boolean(except), (qb) => qb.where('id', '<>', except!)).executeTakeFirst();
  if (row) throw new ConflictError('conflict.zoneName', { name });
}

export async function createTemplate(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateTemplateInput): Promise<Template> {
  requirePermission(ctx.actor, 'quality.manage');
  const companyId = companyOf(ctx.actor);
  await nameTaken(deps.db, companyId, input.name);
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('quality_templates').values({ company_id: companyId, name: input.name, description: input.description || null, created_by: ctx.actor.userId }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('quality_template_items').values(itemRows(companyId, row.id, input.items)).execute();
    await writeAudit(trx, ctx, { action: 'qualityTemplate.create', entityType: 'qualityTemplate', entityId: row.id, after: { name: input.name, items: input.items.length } });
    return row.id;
  });
  return getTemplate(deps, ctx, id);
}

export async function updateTemplate(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: UpdateTemplateInput): Promise<Template> {
  requirePermission(ctx.actor, 'quality.manage');
  const companyId = companyOf(ctx.actor);
  const before = await getTemplate(deps, ctx, id);
  if (input.name) await nameTaken(deps.db, companyId, input.name, id);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('quality_templates')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description || null }),
        ...(input.active !== undefined && { active: input.active }),
        ...(input.items && { version: before.version + 1 }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .execute();
    if (input.items) {
      await trx.deleteFrom('quality_template_items').where('template_id', '=', id).execute();
      await trx.insertInto('quality_template_items').values(itemRows(companyId, id, input.items)).execute();
    }
    await writeAudit(trx, ctx, { action: 'qualityTemplate.update', entityType: 'qualityTemplate', entityId: id, before: { name: before.name, version: before.version, active: before.active }, after: { ...input, items: input.items?.length } });
  });
  return getTemplate(deps, ctx, id);
}
