/** Declared types against names and first bytes: what uploads are refused or rejected for. */
import { describe, expect, it } from 'vitest';
import { contentMismatch, nameMismatch } from '#domain/file-types.ts';

const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]);
const HTML = Buffer.from('<html><script>alert(1)</script>');

describe('file types', () => {
  it.each([
    ['licence.pdf', 'application/pdf'],
    ['SCAN.PDF', 'application/pdf'],
    ['card.png', 'image/png'],
    ['photo.jpg', 'image/jpeg'],
    ['photo.jpeg', 'image/jpeg'],
  ])('accepts the name %s for %s', (name, type) => {
    expect(nameMismatch(name, type)).toBeUndefined();
  });

  it.each([
    ['x.html', 'application/pdf'],
    ['x.pdf.html', 'application/pdf'],
    ['pdf', 'application/pdf'],
    ['card.png', 'image/jpeg'],
    ['x.', 'image/png'],
  ])('refuses the name %s for %s', (name, type) => {
    expect(nameMismatch(name, type)).toMatch(/ends in/);
  });

  it('accepts bytes that carry their type signature and rejects those that do not', () => {
    expect(contentMismatch(PDF, 'a.pdf', 'application/pdf')).toBeUndefined();
    expect(contentMismatch(PNG, 'a.png', 'image/png')).toBeUndefined();
    expect(contentMismatch(JPEG, 'a.jpg', 'image/jpeg')).toBeUndefined();
    expect(contentMismatch(HTML, 'a.pdf', 'application/pdf')).toBe(
      'the bytes do not carry the application/pdf signature',
    );
    expect(contentMismatch(PNG, 'a.jpg', 'image/jpeg')).toMatch(/the image\/jpeg signature/);
    expect(contentMismatch(Buffer.alloc(0), 'a.png', 'image/png')).toMatch(/the image\/png signature/);
    expect(contentMismatch(PDF, 'a.png', 'application/pdf')).toMatch(/ends in \.pdf/);
  });
});
