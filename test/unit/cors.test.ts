/**
 * CORS origins as API Gateway matches them (exact, `*`, scheme wildcards), the setting as CDK
 * context gives it, and the twin's localhost convenience on top of it.
 */
import { describe, expect, it } from 'vitest';
import { originAllowed, originsOf } from '#shared/cors.ts';
import { twinOriginPolicy } from '../../local/cors.ts';

describe('allowed origins', () => {
  it('match exactly, by `*`, or by a scheme with a wildcard host', () => {
    expect(originAllowed('http://localhost:5173', ['http://localhost:5173'])).toBe(true);
    expect(originAllowed('http://localhost:5174', ['http://localhost:5173'])).toBe(false);
    expect(originAllowed('https://anything.test', ['*'])).toBe(true);
    expect(originAllowed('https://app.example.org', ['https://*.example.org'])).toBe(true);
    expect(originAllowed('http://app.example.org', ['https://*.example.org'])).toBe(false);
    expect(originAllowed('https://evil.test/x.example.org', ['https://*.example.org'])).toBe(false);
  });

  it('read the context setting as a JSON list or a comma-separated string, defaulting to the dev server', () => {
    expect(originsOf(['https://a.test'])).toEqual(['https://a.test']);
    expect(originsOf('https://a.test, https://b.test')).toEqual(['https://a.test', 'https://b.test']);
    expect(originsOf(undefined)).toEqual(['http://localhost:5173']);
  });

  it('in the twin, add any localhost or 127.0.0.1 port unless turned off', () => {
    const twin = twinOriginPolicy({ SHIFTLINE_ALLOWED_ORIGINS: 'https://app.example.org' });
    expect(twin('https://app.example.org')).toBe(true);
    expect(twin('http://localhost:3000')).toBe(true);
    expect(twin('http://127.0.0.1:41234')).toBe(true);
    expect(twin('http://localhost.evil.test')).toBe(false);
    const strict = twinOriginPolicy({ SHIFTLINE_CORS_ANY_LOCALHOST: '0' });
    expect(strict('http://localhost:5173')).toBe(true);
    expect(strict('http://localhost:3000')).toBe(false);
  });
});
