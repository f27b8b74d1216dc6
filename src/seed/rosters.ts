import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** Demo data of this module for the demo companies (by code); idempotent. */
export async function seedRosters(_db: Kysely<DB>, _companyCodes: readonly string[], _now = new Date()): Promise<void> {}
