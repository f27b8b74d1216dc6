import { describe, expect, it } from 'vitest';
import { codeFromScan } from './scan.ts';

const code = 'ca.0f8e5c1a-6b1e-4d7a-9a57-2e0f7c4f1a11.AbC_d-12xyz';

describe('reading a scanned area code', () => {
  it.each([
    ['the code itself', code, code],
    ['with spaces around', `  ${code}\n`, code],
    ['inside a URL', `https://wy.example.com/m/cleaning?code=${code}`, code],
    ['something else, kept for the server to refuse', 'cp.123', 'cp.123'],
  ])('%s', (_name, text, expected) => {
    expect(codeFromScan(text)).toBe(expected);
  });
});
