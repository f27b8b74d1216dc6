import { type Kysely, sql } from 'kysely';

// Arrears (欠费) and the collection rate (收缴率) read bill lines a community at a time (a company-wide figure is
// one query per community, glued with UNION ALL for parallel workers), from covering partial indexes, so every
// figure is an index-only range scan (bench/billing-arrears.ts: 100,000 rooms, 2.4M lines). They replace the two
// indexes of migration 0012 with the same columns in a better order:
// - arrears are added up per building (a room with several lines in arrears counted once) and per room (the debtor
//   list): with room_id in the key (bill_lines_open_idx had due_date there) both are streaming aggregates, with no
//   sort or hash of the open lines;
// - the rate reads the lines billed for a range of months building by building: with community_id and building_id
//   before period_start (they were only included in bill_lines_period_idx) a building's months are one range of
//   the index, added up as they are read, instead of the company's months hashed by building.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX bill_lines_arrears_idx ON bill_lines (company_id, community_id, building_id, room_id, due_date)
      INCLUDE (amount_fen, paid_fen) WHERE status IN ('unpaid', 'partial');
    DROP INDEX bill_lines_open_idx;
    CREATE INDEX bill_lines_rate_idx ON bill_lines (company_id, community_id, building_id, period_start)
      INCLUDE (amount_fen, paid_fen) WHERE status <> 'revoked';
    DROP INDEX bill_lines_period_idx;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX bill_lines_period_idx ON bill_lines (company_id, period_start) INCLUDE (community_id, building_id, amount_fen, paid_fen) WHERE status <> 'revoked';
    DROP INDEX bill_lines_rate_idx;
    CREATE INDEX bill_lines_open_idx ON bill_lines (company_id, community_id, building_id, due_date)
      INCLUDE (room_id, amount_fen, paid_fen) WHERE status IN ('unpaid', 'partial');
    DROP INDEX bill_lines_arrears_idx;
  `.execute(db);
}
