import { describe, expect, it } from 'vitest';
import { CN_MOBILE, maskPhone, mobilePhone } from './validation.ts';

describe('maskPhone', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['19912345678', '199****5678'],
    ['+8613812341234', '+86****1234'],
    ['12345', '***45'],
    ['010', '*10'],
    ['12', '12'],
    ['', ''],
    [null, null],
  ])('%j → %j', (phone, expected) => {
    expect(maskPhone(phone)).toBe(expected);
  });
});

describe('CN_MOBILE', () => {
  it.each([
    ['13812341234', true],
    ['19912345678', true],
    ['15000000000', true],
    ['16612345678', true],
    ['17012345678', true],
    ['18912345678', true],
    ['12345678901', false],
    ['10012345678', false],
    ['23812341234', false],
    ['1381234123', false],
    ['138123412345', false],
    ['138 1234 1234', false],
    ['+8613812341234', false],
    ['1381234123a', false],
    ['', false],
  ])('%j → %s', (phone, expected) => {
    expect(CN_MOBILE.test(phone)).toBe(expected);
  });

  it('the schema trims before checking and names its message key', () => {
    expect(mobilePhone.parse(' 13812341234 ')).toBe('13812341234');
    const bad = mobilePhone.safeParse('12345678901');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toBe('phone');
  });
});
