import { describe, expect, it } from 'vitest';
import { addDays, dayOf, daysBetween, daysFrom } from '#domain/credentials/days.ts';
import { isPastExpiry, sweepActionFor, tightestThreshold } from '#domain/credentials/expiry.ts';
import {
  CREDENTIAL_LIFECYCLE,
  CREDENTIAL_STATUSES,
  CREDENTIAL_TRANSITIONS,
  type CredentialStatus,
  type CredentialTransition,
} from '#domain/credentials/state-machine.ts';
import { allows } from '#domain/lifecycle.ts';
import {
  CreateCredentialBodySchema,
  CredentialQueueQuerySchema,
  DocumentUploadBodySchema,
} from '#domain/schemas/credentials.ts';
import {
  CreateStaffProfileBodySchema,
  ListStaffQuerySchema,
  UpdateStaffProfileBodySchema,
} from '#domain/schemas/staff.ts';

describe('credential state machine', () => {
  // Each row: the transition, then the states it may leave. Everything else is refused.
  const ALLOWED: Record<CredentialTransition, CredentialStatus[]> = {
    verify: ['pending'],
    reject: ['pending'],
    revoke: ['active'],
    expire: ['active'],
  };
  const cases = (Object.keys(ALLOWED) as CredentialTransition[]).flatMap((transition) =>
    CREDENTIAL_STATUSES.map((from) => ({ transition, from, allowed: ALLOWED[transition].includes(from) })),
  );

  it.each(cases)('$transition from $from → allowed: $allowed', ({ transition, from, allowed }) => {
    expect(allows(CREDENTIAL_LIFECYCLE, transition, from)).toBe(allowed);
  });

  it('leads to the documented states', () => {
    expect(
      Object.fromEntries(Object.entries(CREDENTIAL_TRANSITIONS).map(([name, t]) => [name, t.to])),
    ).toEqual({
      verify: 'active',
      reject: 'rejected',
      revoke: 'revoked',
      expire: 'expired',
    });
  });
});

describe('days', () => {
  it('counts UTC days, across months and leap days', () => {
    expect(dayOf(new Date('2028-02-28T23:59:59.999Z'))).toBe('2028-02-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-12-25', '2027-01-04')).toBe(10);
    expect(daysBetween('2027-01-04', '2026-12-25')).toBe(-10);
    expect(daysFrom('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(daysFrom('2027-01-02', '2027-01-01')).toEqual([]);
  });
});

describe('expiry rules', () => {
  it('treats the expiry day as still valid', () => {
    expect(isPastExpiry('2026-03-02', '2026-03-02')).toBe(false);
    expect(isPastExpiry('2026-03-01', '2026-03-02')).toBe(true);
    expect(isPastExpiry(undefined, '2026-03-02')).toBe(false);
  });

  it.each([
    [91, undefined],
    [90, 90],
    [61, 90],
    [60, 60],
    [31, 60],
    [30, 30],
    [20, 30],
    [15, 30],
    [14, 14],
    [8, 14],
    [7, 7],
    [1, 7],
    [0, 0],
  ])('%i days left → threshold %s', (daysLeft, threshold) => {
    expect(tightestThreshold(daysLeft)).toBe(threshold);
  });

  const today = '2026-03-02';
  const active = (expiryDate: string, expiryWarning: 90 | 60 | 30 | 14 | 7 | 0 | null = null) =>
    ({ status: 'active', expiryDate, expiryWarning }) as const;

  it('warns first seen inside a threshold with the tightest one only', () => {
    expect(sweepActionFor(active(addDays(today, 20)), today)).toEqual({ kind: 'warn', threshold: 30 });
  });

  it('fires each threshold once as the expiry nears', () => {
    expect(sweepActionFor(active(addDays(today, 50), 90), today)).toEqual({ kind: 'warn', threshold: 60 });
    expect(sweepActionFor(active(addDays(today, 50), 60), today)).toEqual({ kind: 'none' });
    expect(sweepActionFor(active(addDays(today, 5), 30), today)).toEqual({ kind: 'warn', threshold: 7 });
    expect(sweepActionFor(active(addDays(today, 5), 7), today)).toEqual({ kind: 'none' });
    expect(sweepActionFor(active(addDays(today, 10), 30), today)).toEqual({ kind: 'warn', threshold: 14 });
    expect(sweepActionFor(active(today, 7), today)).toEqual({ kind: 'warn', threshold: 0 });
    expect(sweepActionFor(active(today, 0), today)).toEqual({ kind: 'none' });
  });

  it('expires an active credential the day after its expiry date', () => {
    expect(sweepActionFor(active(today, 0), today)).toEqual({ kind: 'none' });
    expect(sweepActionFor(active(addDays(today, -1), 0), today)).toEqual({ kind: 'expire' });
  });

  it('leaves pending, finished and undated credentials alone', () => {
    const past = addDays(today, -3);
    for (const status of ['pending', 'expired', 'rejected', 'revoked'] as const) {
      expect(sweepActionFor({ status, expiryDate: past, expiryWarning: null }, today)).toEqual({
        kind: 'none',
      });
    }
    expect(sweepActionFor({ status: 'active', expiryWarning: null }, today)).toEqual({ kind: 'none' });
    expect(sweepActionFor(active(addDays(today, 91)), today)).toEqual({ kind: 'none' });
  });
});

describe('credential and staff schemas', () => {
  it('stores the credential type upper-case and refuses impossible or reversed dates', () => {
    expect(CreateCredentialBodySchema.parse({ type: ' acls ' }).type).toBe('ACLS');
    expect(CreateCredentialBodySchema.safeParse({ type: 'RN', expiryDate: '2026-02-30' }).success).toBe(
      false,
    );
    expect(CreateCredentialBodySchema.safeParse({ type: 'RN', expiryDate: '03/02/2026' }).success).toBe(
      false,
    );
    const reversed = CreateCredentialBodySchema.safeParse({
      type: 'RN',
      issueDate: '2026-03-02',
      expiryDate: '2026-03-01',
    });
    expect(reversed.error?.issues[0]?.path).toEqual(['expiryDate']);
    expect(CreateCredentialBodySchema.safeParse({ type: 'R N' }).success).toBe(false);
    expect(CreateCredentialBodySchema.safeParse({ type: 'RN', status: 'active' }).success).toBe(false);
  });

  it('accepts PDF, PNG and JPEG documents up to 10 MB', () => {
    const document = (contentType: string, size: number) =>
      DocumentUploadBodySchema.safeParse({ name: 'licence.pdf', contentType, size }).success;
    expect(document('application/pdf', 10 * 1024 * 1024)).toBe(true);
    expect(document('image/png', 1)).toBe(true);
    expect(document('image/jpeg', 1)).toBe(true);
    expect(document('application/pdf', 10 * 1024 * 1024 + 1)).toBe(false);
    expect(document('image/gif', 100)).toBe(false);
    expect(document('application/pdf', 0)).toBe(false);
  });

  it('bounds the expiring work queue to the sweep horizon', () => {
    expect(CredentialQueueQuerySchema.parse({ expiringWithinDays: '30' }).expiringWithinDays).toBe(30);
    expect(CredentialQueueQuerySchema.safeParse({ expiringWithinDays: '91' }).success).toBe(false);
    expect(CredentialQueueQuerySchema.safeParse({ status: 'lost' }).success).toBe(false);
  });

  it('takes profile input strictly', () => {
    const userId = '0b6c6a8e-5f0e-4c55-9f0a-3c1f5c2d7e11';
    expect(CreateStaffProfileBodySchema.parse({ userId, name: 'Nia' }).isActive).toBe(true);
    expect(CreateStaffProfileBodySchema.safeParse({ userId, name: 'Nia', role: 'admin' }).success).toBe(
      false,
    );
    expect(CreateStaffProfileBodySchema.safeParse({ userId, name: 'Nia', npi: '123' }).success).toBe(false);
    expect(
      CreateStaffProfileBodySchema.safeParse({ userId, name: 'Nia', dateOfBirth: '1990-13-01' }).success,
    ).toBe(false);
    expect(UpdateStaffProfileBodySchema.safeParse({}).success).toBe(false);
    expect(UpdateStaffProfileBodySchema.parse({ specialty: null })).toEqual({ specialty: null });
    expect(ListStaffQuerySchema.parse({ active: 'false' }).active).toBe(false);
    expect(ListStaffQuerySchema.safeParse({ active: 'yes' }).success).toBe(false);
  });
});
