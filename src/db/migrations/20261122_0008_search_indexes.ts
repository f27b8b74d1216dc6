import { type Kysely, sql } from 'kysely';

// Front desks type a room number ("1203") into the same search box as a phone's last four digits: both lookups
// need an index. Plates are searched by exact normalised value within a company (the unique key covers it).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX rooms_company_number_idx ON rooms (company_id, number)`.execute(db);
  await sql`CREATE INDEX room_residents_room_current_idx ON room_residents (room_id) WHERE end_date IS NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX room_residents_room_current_idx; DROP INDEX rooms_company_number_idx`.execute(db);
}
