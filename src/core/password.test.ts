import { describe, expect, it } from 'vitest';
import { hashPassword, temporaryPassword, verifyPassword } from './password.ts';
import { isAcceptablePassword } from './validation.ts';

describe('hashPassword / verifyPassword', () => {
  it('round-trips, salts each hash, and refuses a wrong password', async () => {
    const a = await hashPassword('correct-horse-9');
    const b = await hashPassword('correct-horse-9');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct-horse-9');
    expect(await verifyPassword('correct-horse-9', a)).toBe(true);
    expect(await verifyPassword('correct-horse-9', b)).toBe(true);
    expect(await verifyPassword('correct-horse-8', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('verifies a hash made with other stored parameters', async () => {
    // Lower N, as an older release might have stored: parameters travel with the hash.
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from('0123456789abcdef');
    const key = scryptSync('legacy-pass-1', salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('legacy-pass-1', stored)).toBe(true);
    expect(await verifyPassword('legacy-pass-2', stored)).toBe(false);
  });

  it.each([
    ['null', null],
    ['empty', ''],
    ['another scheme', 'bcrypt$2b$10$abcdefghijklmnopqrstuv'],
    ['missing key', 'scrypt$32768$8$1$c2FsdA=='],
    ['plain text', 'test-pass-123'],
  ])('a malformed stored hash (%s) is false, not an error', async (_name, stored) => {
    await expect(verifyPassword('test-pass-123', stored)).resolves.toBe(false);
  });
});

describe('isAcceptablePassword', () => {
  it.each([
    ['abcdefg1', true],
    ['1234567a', true],
    ['Pass word 2026', true],
    ['密码密码密码abc1', true],
    ['a'.repeat(127) + '1', true],
    ['abcdef1', false],
    ['abcdefgh', false],
    ['12345678', false],
    ['', false],
    ['a'.repeat(128) + '1', false],
    ['密码密码密码密码1', false],
  ])('%j → %s', (password, expected) => {
    expect(isAcceptablePassword(password)).toBe(expected);
  });
});

describe('temporaryPassword', () => {
  it('is acceptable, readable (no 0, O, 1, l, I) and different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const p = temporaryPassword();
      expect(p).toMatch(/^[a-z2-9]{10}$/);
      expect(p).not.toMatch(/[01olI]/);
      expect(isAcceptablePassword(p)).toBe(true);
      seen.add(p);
    }
    expect(seen.size).toBe(500);
  });
});
