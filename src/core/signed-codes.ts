import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/**
 * Signed codes for printed QR labels (patrol checkpoints, equipment): `<kind>.<id>.<signature>`, the signature an
 * HMAC-SHA256 (first 16 bytes, base64url) under a key of the company kept in `signing_keys`, made on first use. A
 * code forged, altered, or printed by another company (another key) does not verify. Labels survive restarts and
 * moves between servers because the key lives in the database, never in the code or the logs.
 */

const KIND = /^[a-z]{1,12}$/;
const ID = /^[0-9a-f-]{36}$/;

/**
 * Keys read from the database, by company. A company's key is made once (the first insert wins, across processes)
 * and never changes, so a key once committed can be kept for the life of the process: a check-in verifies its label
 * without a round trip. Only keys read outside a transaction are kept — one a transaction just made could still roll
 * back, and another process would then make a different one.
 */
const committedKeys = new Map<string, Buffer>();

async function keyOf(db: Kysely<DB>, companyId: string): Promise<Buffer> {
  const known = committedKeys.get(companyId);
  if (known) return known;
  let row = await db.selectFrom('signing_keys').select('secret').where('company_id', '=', companyId).executeTakeFirst();
  if (!row) {
    await db
      .insertInto('signing_keys')
      .values({ company_id: companyId, secret: randomBytes(32).toString('base64') })
      .onConflict((oc) => oc.column('company_id').doNothing())
      .execute();
    row = await db.selectFrom('signing_keys').select('secret').where('company_id', '=', companyId).executeTakeFirstOrThrow();
  }
  const key = Buffer.from(row.secret, 'base64');
  if (!db.isTransaction) committedKeys.set(companyId, key);
  return key;
}

function mac(key: Buffer, kind: string, id: string): string {
  return createHmac('sha256', key).update(`${kind}.${id}`).digest().subarray(0, 16).toString('base64url');
}

/** The code for a label: `cp.<uuid>.<sig>`. */
export async function signCode(db: Kysely<DB>, companyId: string, kind: string, id: string): Promise<string> {
  if (!KIND.test(kind) || !ID.test(id)) throw new RangeError('bad code kind or id');
  return `${kind}.${id}.${mac(await keyOf(db, companyId), kind, id)}`;
}

/** The id a code names when it is of `kind` and signed by the company's key; null for anything else. */
export async function verifyCode(db: Kysely<DB>, companyId: string, kind: string, code: string): Promise<string | null> {
  const parts = code.trim().split('.');
  if (parts.length !== 3 || parts[0] !== kind || !ID.test(parts[1])) return null;
  const expected = Buffer.from(mac(await keyOf(db, companyId), kind, parts[1]));
  const given = Buffer.from(parts[2]);
  return given.length === expected.length && timingSafeEqual(given, expected) ? parts[1] : null;
}
