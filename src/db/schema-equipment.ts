/** Kysely's view of the equipment tables (migration 0017). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EquipmentTables {}
