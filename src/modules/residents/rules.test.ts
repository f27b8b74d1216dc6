import { describe, expect, it } from 'vitest';
import { checkIdNumber, checkPlate, maskIdNumber, maskName, sharesFit } from './rules.ts';

const TODAY = new Date('2026-11-22T00:00:00Z');

describe('checkIdNumber (GB 11643-1999)', () => {
  it.each([
    ['11010519491231002X', { ok: true, birthday: '1949-12-31', gender: 'female' }],
    ['11010519491231002x', { ok: true, normalized: '11010519491231002X' }],
    ['320102199001011232', { ok: true, birthday: '1990-01-01', gender: 'male' }],
    ['440304200002290022', { ok: true, birthday: '2000-02-29' }],
    ['650102201010100081', { ok: true, gender: 'female' }],
    ['320102199001011233', { ok: false, reason: 'checksum' }],
    ['110105194912310021', { ok: false, reason: 'checksum' }],
    ['440304199902290022', { ok: false, reason: 'birthday' }], // 1999 is not a leap year
    ['320102203001011232', { ok: false, reason: 'birthday' }], // born in the future
    ['320102189901011232', { ok: false, reason: 'birthday' }],
    ['990102199001011232', { ok: false, reason: 'region' }],
    ['32010219900101123', { ok: false, reason: 'length' }],
    ['320102900101123', { ok: false, reason: 'length' }], // old 15-digit numbers are no longer valid
    ['3201021990010112A2', { ok: false, reason: 'chars' }],
  ])('%s', (id, expected) => {
    expect(checkIdNumber(id, TODAY)).toMatchObject(expected);
  });
});

describe('checkPlate', () => {
  it.each([
    ['苏A12345', 'fuel', '苏A12345'],
    ['苏a 12345', 'fuel', '苏A12345'],
    ['苏A·1234B', 'fuel', '苏A1234B'],
    ['京A1234学', 'fuel', '京A1234学'],
    ['粤B1234港', 'fuel', '粤B1234港'],
    ['苏AD12345', 'newEnergy', '苏AD12345'],
    ['沪AF12345', 'newEnergy', '沪AF12345'],
    ['浙AA12345', 'newEnergy', '浙AA12345'], // 2021 rule: A–E pure electric
    ['粤B12345D', 'newEnergy', '粤B12345D'], // large new-energy vehicle
    ['粤B12345F', 'newEnergy', '粤B12345F'],
  ])('%s is a %s plate', (input, energy, normalized) => {
    expect(checkPlate(input)).toEqual({ ok: true, energy, normalized });
  });

  it.each(['苏A1234', '苏I12345', '苏O12345', 'A12345', '美A12345', '粤BD1234A', '苏A123456789', '', '苏1A2345'])('%s is refused', (input) => {
    expect(checkPlate(input)).toEqual({ ok: false });
  });
});

describe('masking', () => {
  it.each([
    ['320102199001011232', 'idCard', '3201**********1232'],
    ['E12345678', 'passport', 'E1*****78'],
    ['123', 'other', '***'],
  ])('maskIdNumber(%s)', (id, type, masked) => {
    expect(maskIdNumber(id, type)).toBe(masked);
  });
  it('keeps null', () => expect(maskIdNumber(null)).toBeNull());
  it.each([
    ['张伟', '张*'],
    ['王小明', '王**'],
    ['欧阳娜娜', '欧阳**'],
    ['李', '李'],
  ])('maskName(%s)', (name, masked) => expect(maskName(name)).toBe(masked));
});

describe('sharesFit', () => {
  it.each([
    [[], 100, true],
    [[], null, true],
    [['100.00'], 100, false],
    [[null], 50, false],
    [['50.00'], 50, true],
    [['33.33', '33.33'], 33.34, true],
    [['33.33', '33.34'], 33.34, false],
  ] as const)('existing %j + %s', (existing, adding, fits) => {
    expect(sharesFit([...existing], adding)).toBe(fits);
  });
});
