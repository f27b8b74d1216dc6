import { type Actor, type Db, communityScope } from '../../core/context.ts';

/** Communities the actor may see: their company's, narrowed to their assignment unless they cover all. */
export function visibleCommunities(db: Db, actor: Actor, companyId: string) {
  const scope = communityScope(actor);
  return db
    .selectFrom('communities')
    .where('communities.company_id', '=', companyId)
    .$if(scope !== null, (qb) => qb.where('communities.id', 'in', scope!));
}
