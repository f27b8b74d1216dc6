import { describe, expect, it } from 'vitest';
import { isImage, sniffType } from './rules.ts';

const bytes = (...b: number[]) => Buffer.from(b);

describe('sniffType', () => {
  it.each([
    ['JPEG (JFIF)', bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46), 'image/jpeg'],
    ['JPEG (Exif)', bytes(0xff, 0xd8, 0xff, 0xe1), 'image/jpeg'],
    ['PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d), 'image/png'],
    ['WebP', Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'), 'image/webp'],
    ['GIF87a', Buffer.from('GIF87a\x01\x00', 'latin1'), 'image/gif'],
    ['GIF89a', Buffer.from('GIF89a\x01\x00', 'latin1'), 'image/gif'],
    ['PDF', Buffer.from('%PDF-1.7\n', 'latin1'), 'application/pdf'],
    ['plain text', Buffer.from('hello, this is not a photo'), null],
    ['HTML pretending to be an image', Buffer.from('<html><script>alert(1)</script>'), null],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), null],
    ['empty', Buffer.alloc(0), null],
    ['two JPEG bytes only', bytes(0xff, 0xd8), null],
    ['PNG signature cut short', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a), null],
    ['PNG with one wrong byte', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b), null],
    ['RIFF that is not WebP (WAV)', Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), null],
    ['GIF with an unknown version', Buffer.from('GIF90a', 'latin1'), null],
    ['PDF without the dash', Buffer.from('%PDF1.7', 'latin1'), null],
  ] as const)('%s → %s', (_name, head, expected) => {
    expect(sniffType(head)).toBe(expected);
  });
});

describe('isImage', () => {
  it.each([
    ['image/jpeg', true],
    ['image/png', true],
    ['image/webp', true],
    ['image/gif', true],
    ['application/pdf', false],
  ] as const)('%s → %s', (type, expected) => {
    expect(isImage(type)).toBe(expected);
  });
});
