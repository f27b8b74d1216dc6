import type { Deps } from '../../deps.ts';
import { type RequestContext, companyOf } from '../../core/context.ts';
import type { Assignees } from './schema.ts';
import { communitiesOfUser, loadCommunity, requireQualityAccess, staffHolding } from './repo.ts';

/** Who a finding can go to (departments, staff who rectify) and who can inspect, for the pickers of the pages. */
export async function listAssignees(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { communityId: string }): Promise<Assignees> {
  requireQualityAccess(ctx.actor);
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  const [departments, rectifiers, inspectors] = await Promise.all([
    deps.db.selectFrom('departments as d').leftJoin('users as u', 'u.id', 'd.head_id').select(['d.id', 'd.name', 'd.kind', 'u.display_name']).where('d.company_id', '=', companyId).orderBy('d.name').execute(),
    staffHolding(deps.db, companyId, 'quality.rectify', community.id),
    staffHolding(deps.db, companyId, 'quality.manage'),
  ]);
  return {
    departments: departments.map((d) => ({ id: d.id, name: d.name, kind: d.kind, headName: d.display_name })),
    rectifiers: rectifiers.map((u) => ({ id: u.id, name: u.display_name })),
    inspectors: await Promise.all(
      inspectors.map(async (u) => {
        const c = await communitiesOfUser(deps.db, u.id);
        return { id: u.id, name: u.display_name, communityIds: c === 'all' ? [] : c, all: c === 'all' };
      }),
    ),
  };
}
