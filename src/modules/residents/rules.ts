/**
 * Pure rules for resident records: identity numbers (GB 11643-1999), vehicle plates (GA 36), masking.
 * No I/O; exhaustively table-tested in rules.test.ts.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
// First two digits: province-level codes of GB/T 2260 (incl. 71 Taiwan, 81 Hong Kong, 82 Macao).
const ID_PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
]);

export type IdCheck = { ok: true; normalized: string; birthday: string; gender: 'male' | 'female' } | { ok: false; reason: 'length' | 'chars' | 'region' | 'birthday' | 'checksum' };

/** Validates an 18-character resident identity number: region, real birth date (not in the future), checksum. */
export function checkIdNumber(input: string, today: Date = new Date()): IdCheck {
  const id = input.trim().toUpperCase();
  if (id.length !== 18) return { ok: false, reason: 'length' };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: 'chars' };
  if (!ID_PROVINCES.has(id.slice(0, 2))) return { ok: false, reason: 'region' };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  if (!real || y < 1900 || date.getTime() > today.getTime()) return { ok: false, reason: 'birthday' };
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  if (ID_CHECK[sum % 11] !== id[17]) return { ok: false, reason: 'checksum' };
  return { ok: true, normalized: id, birthday: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, gender: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

/** The check character for 17 digits: used to build valid demo data. */
export function idCheckChar(first17: string): string {
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return ID_CHECK[sum % 11];
}

export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const P = `[${PLATE_PROVINCES}]`;
const L = '[A-HJ-NP-Z]'; // letters except I and O
const LD = '[A-HJ-NP-Z0-9]';
const ORDINARY = new RegExp(`^${P}${L}${LD}{4}[A-HJ-NP-Z0-9挂学警港澳]$`);
// New-energy plates have 8 characters: small cars D/F (and since 2021 other letters) first, large cars D/F last.
const NEW_ENERGY_SMALL = new RegExp(`^${P}${L}[DFA-HJK]${LD}\\d{4}$`);
const NEW_ENERGY_LARGE = new RegExp(`^${P}${L}\\d{5}[DF]$`);

export type PlateCheck = { ok: true; normalized: string; energy: 'fuel' | 'newEnergy' } | { ok: false };

/** Normalises (upper case, no spaces, dots or dashes) and validates a mainland plate, ordinary or new-energy. */
export function checkPlate(input: string): PlateCheck {
  const plate = input.trim().toUpperCase().replace(/[\s·.\-]/g, '');
  if (ORDINARY.test(plate)) return { ok: true, normalized: plate, energy: 'fuel' };
  if (NEW_ENERGY_SMALL.test(plate) || NEW_ENERGY_LARGE.test(plate)) return { ok: true, normalized: plate, energy: 'newEnergy' };
  return { ok: false };
}

/** 320102199001011234 → 3201**********1234; other documents keep their first 2 and last 2 characters. */
export function maskIdNumber(id: string | null, idType = 'idCard'): string | null {
  if (!id) return id;
  if (idType === 'idCard' && id.length === 18) return `${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(-4)}`;
  if (id.length <= 4) return '*'.repeat(id.length);
  return `${id.slice(0, 2)}${'*'.repeat(id.length - 4)}${id.slice(-2)}`;
}

/** Masks a name for lists shown to roles without personal data: 张伟 → 张*, 欧阳娜娜 → 欧阳**. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  const keep = chars.length >= 4 ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}

export const CARE_FLAGS = ['elderlyAlone', 'pregnant', 'child', 'mobilityImpaired'] as const;
export type CareFlag = (typeof CARE_FLAGS)[number];

/** Sum of ownership shares of current owners must not exceed 100 %. Shares are decimals with 2 places. */
export function sharesFit(existing: Array<string | number | null>, adding: number | null): boolean {
  const toCents = (v: string | number | null) => Math.round(Number(v ?? 100) * 100);
  return existing.reduce<number>((a, v) => a + toCents(v), 0) + toCents(adding) <= 10000;
}
