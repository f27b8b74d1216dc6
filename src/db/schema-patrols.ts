/** Kysely's view of the patrols tables (migration 0016). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PatrolTables {}
