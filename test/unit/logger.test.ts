import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPhiKey, PHI_KEYS, REDACTED, redactPhi } from '#domain/phi.ts';
import { logger } from '#runtime/logger.ts';
import { captureLogs } from './support/lambda.ts';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
});

describe('logger', () => {
  it('prints "[redacted]" for PHI at any depth and keeps ids and counts', () => {
    // Act
    logger.info('profile read', {
      profileId: 'p-1',
      profile: {
        name: 'Nora Nurse',
        dateOfBirth: '1990-02-03',
        contacts: [{ phone: '+15550100', kind: 'mobile' }],
      },
      headers: { Authorization: 'Bearer eyJhbGciOi', 'x-request-id': 'r-1' },
      count: 3,
    });
    // Assess
    const [entry] = logs.entries();
    const line = logs.text();
    expect(entry).toMatchObject({
      level: 'INFO',
      message: 'profile read',
      service: 'shiftline',
      profileId: 'p-1',
      count: 3,
      profile: { name: REDACTED, dateOfBirth: REDACTED, contacts: [{ phone: REDACTED, kind: 'mobile' }] },
      headers: { Authorization: REDACTED, 'x-request-id': 'r-1' },
    });
    for (const secret of ['Nora', '1990-02-03', '+15550100', 'eyJhbGciOi'])
      expect(line).not.toContain(secret);
  });

  it('redacts PHI carried by a logged error', () => {
    // Prepare
    const error = Object.assign(new Error('condition failed'), {
      Item: { body: 'I feel unwell', id: 'm-1' },
    });
    // Act
    logger.error('write failed', error);
    // Assess
    const line = logs.text();
    expect(line).toContain('condition failed');
    expect(line).toContain('m-1');
    expect(line).not.toContain('I feel unwell');
    expect(line).toContain(REDACTED);
  });

  it('redacts persistent keys too', () => {
    logger.appendKeys({ email: 'a@example.com' });
    logger.info('with keys');
    logger.resetKeys();
    expect(logs.text()).not.toContain('a@example.com');
  });
});

describe('PHI keys', () => {
  it('lists the fields DESIGN.md names, once', () => {
    for (const key of [
      'dateOfBirth',
      'phone',
      'email',
      'number',
      'npi',
      'body',
      'subject',
      'name',
      'note',
      'notes',
      'reason',
    ]) {
      expect(PHI_KEYS).toContain(key);
    }
    expect(new Set(PHI_KEYS).size).toBe(PHI_KEYS.length);
  });

  it('matches header names in any case', () => {
    expect(isPhiKey('AUTHORIZATION')).toBe(true);
    expect(isPhiKey('requestId')).toBe(false);
  });

  it('keeps non-PHI values, nulls, class instances and cycles intact', () => {
    const cyclic: Record<string, unknown> = { id: 'x' };
    cyclic.self = cyclic;
    const when = new Date(0);
    expect(redactPhi({ note: null, at: when, list: [1, { reason: 'r' }] })).toEqual({
      note: null,
      at: when,
      list: [1, { reason: REDACTED }],
    });
    expect(redactPhi(cyclic)).toEqual({ id: 'x', self: '[circular]' });
  });
});
