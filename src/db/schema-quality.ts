/** Kysely's view of the quality tables (migration 0018). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface QualityTables {}
