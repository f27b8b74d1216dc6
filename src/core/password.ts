import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

// scrypt with N=2^15, r=8, p=1 (OWASP's recommended floor); parameters are stored with each hash
// so they can be raised later without invalidating old passwords.
const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 128 * N * R * 2 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const nn = Number(n);
  const rr = Number(r);
  const key = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: nn,
    r: rr,
    p: Number(p),
    maxmem: 128 * nn * rr * 2,
  });
  return timingSafeEqual(key, expected);
}


/** A temporary password for resets: readable (no 0/O, 1/l), with letters and digits. */
export function temporaryPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyz';
  const digits = '23456789';
  const bytes = randomBytes(10);
  let out = '';
  for (let i = 0; i < 10; i++) out += (i % 3 === 2 ? digits : letters)[bytes[i] % (i % 3 === 2 ? digits.length : letters.length)];
  return out;
}
