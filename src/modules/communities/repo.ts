import { sql } from 'kysely';
import type { Actor, Db } from '../../core/context.ts';

/** Communities the actor may see: their company's, narrowed to their assignment unless they cover all. */
export function visibleCommunities(db: Db, actor: Actor, companyId: string) {
  let q = db.selectFrom('communities').where('communities.company_id', '=', companyId);
  if (actor.communityIds !== 'all') {
    q = actor.communityIds.length ? q.where('communities.id', 'in', actor.communityIds) : q.where(sql<boolean>`false`);
  }
  return q;
}
