import { z } from 'zod';

/** Shared field rules. Messages are keys the error handler turns into zh-CN / English text. */
export const CN_MOBILE = /^1[3-9]\d{9}$/;

export const mobilePhone = z.string().trim().regex(CN_MOBILE, { message: 'phone' });
export const uuid = z.uuid();
export const idParams = z.object({ id: z.uuid() });
export const shortText = (max = 100) => z.string().trim().min(1).max(max);

/** A password rule staff can remember: 8–128 characters with letters and digits. */
export function isAcceptablePassword(password: string): boolean {
  return password.length >= 8 && password.length <= 128 && /[A-Za-z]/.test(password) && /\d/.test(password);
}
export const newPassword = z.string().max(128).refine(isAcceptablePassword, { message: 'password' });
export const username = z.string().trim().min(3).max(32).regex(/^[a-zA-Z][a-zA-Z0-9_.-]*$/);

/** 13812341234 → 138****1234. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  return phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : phone.replace(/.(?=.{2})/g, '*');
}

/** LIKE patterns from user text: %, _ and \ match themselves, not any character. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
// Callers guard with `if (q.q)`; TypeScript cannot always see that inside query-builder callbacks.
export const contains = (text: string | undefined) => `%${escapeLike(text ?? '')}%`;
export const startsWith = (text: string | undefined) => `${escapeLike(text ?? '')}%`;
