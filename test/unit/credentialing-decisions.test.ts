/**
 * Credentialing decisions with an injected clock: the 120-day window of every check an approval
 * rests on, the 36-month recredentialing cycle, and the status the profile shows over time.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { addMonths, cycleRulesWith, NCQA_CYCLE, statusAt } from '#domain/credentialing/cycle.ts';
import { createDecisionService } from '#domain/credentialing/decisions.ts';
import type { CheckOutcome } from '#domain/credentialing/verifications.ts';
import { recordVerification } from '#domain/credentialing/verifications.ts';
import { Forbidden, RuleViolation } from '#domain/errors.ts';
import { createStaffService } from '#domain/staff/service.ts';
import {
  contextOf,
  createAccessEventLog,
  createInMemoryCredentials,
  createInMemoryStaff,
  idSequence,
} from './support/credential-fakes.ts';
import {
  createInMemoryDecisions,
  createInMemoryFlags,
  createInMemoryVerifications,
} from './support/credentialing-fakes.ts';

const STAFF_ID = '01J00000000000000000STAFF1';
const OWNER = 'owner-sub';
const DECIDED = new Date('2026-03-02T09:00:00.000Z');
const DAY = 86_400_000;
const at = (daysBefore: number) => new Date(DECIDED.getTime() - daysBefore * DAY);
const credentialing = (now = DECIDED) => contextOf('cred-sub', ['credentialing'], now);

let staff: ReturnType<typeof createInMemoryStaff>;
let credentials: ReturnType<typeof createInMemoryCredentials>;
let verifications: ReturnType<typeof createInMemoryVerifications>;
let service: ReturnType<typeof createDecisionService>;
let newId: () => string;
const RN_ID = '01J0000000000000000000RN01';

/** A record checked `daysBefore` the decision. */
const checked = async (
  daysBefore: number,
  outcome: Omit<CheckOutcome, 'subject' | 'sourceRef'>,
  credentialId?: string,
) =>
  (
    await recordVerification(
      verifications.repository,
      credentialing(at(daysBefore)),
      OWNER,
      {
        ...outcome,
        subject: { staffId: STAFF_ID, ...(credentialId ? { credentialId } : {}) },
        sourceRef: 'test',
      },
      newId,
    )
  ).id;

const nppesMatch = (days: number) => checked(days, { source: 'nppes', method: 'api', result: 'match' });
const leieClean = (days: number) => checked(days, { source: 'leie', method: 'file', result: 'no_match' });
const rnMatch = (days: number) =>
  checked(days, { source: 'manual', method: 'manual', result: 'match' }, RN_ID);

beforeEach(async () => {
  staff = createInMemoryStaff();
  await staff.repository.create({
    id: STAFF_ID,
    userId: OWNER,
    name: 'Nina Okafor',
    npi: '1043567894',
    email: 'nina@example.org',
    isActive: true,
    version: 1,
    createdAt: DECIDED.toISOString(),
    updatedAt: DECIDED.toISOString(),
    lastActor: { userId: 'x', roles: [], requestId: 'r', action: 'create' },
  });
  credentials = createInMemoryCredentials();
  await credentials.repository.create({
    id: RN_ID,
    staffId: STAFF_ID,
    ownerUserId: OWNER,
    type: 'RN',
    status: 'active',
    expiryWarning: null,
    version: 2,
    createdAt: DECIDED.toISOString(),
    updatedAt: DECIDED.toISOString(),
    lastActor: { userId: 'x', roles: [], requestId: 'r', action: 'verify' },
  });
  verifications = createInMemoryVerifications();
  newId = idSequence();
  service = createDecisionService({
    decisions: createInMemoryDecisions(staff.repository).repository,
    profiles: staff.repository,
    credentials: credentials.repository,
    verifications: verifications.repository,
    flags: createInMemoryFlags(staff.repository).repository,
    newId,
  });
});

describe('the 120-day rule', () => {
  it('approves on checks exactly 120 days old, and sets recredentialing 36 months out', async () => {
    const verificationIds = [await nppesMatch(120), await leieClean(30), await rnMatch(1)];

    const decision = await service.decide(credentialing(), STAFF_ID, {
      outcome: 'approved',
      verificationIds,
      note: 'file complete',
    });

    expect(decision).toMatchObject({
      outcome: 'approved',
      decidedAt: DECIDED.toISOString(),
      decidedBy: 'cred-sub',
      verificationIds,
      recredentialDueAt: '2029-03-02T09:00:00.000Z',
    });
    expect(await staff.repository.get(STAFF_ID)).toMatchObject({
      credentialingStatus: 'approved',
      recredentialDueAt: '2029-03-02T09:00:00.000Z',
      credentialingDecisionId: decision.id,
      version: 2,
    });
  });

  it('refuses an approval naming each stale (121 days) and each missing check (422)', async () => {
    const verificationIds = [
      await nppesMatch(121),
      await checked(2, { source: 'leie', method: 'file', result: 'suspected' }),
      await rnMatch(200),
    ];

    const refused = await service
      .decide(credentialing(), STAFF_ID, { outcome: 'approved', verificationIds, note: 'x' })
      .catch((e) => e);

    expect(refused).toBeInstanceOf(RuleViolation);
    expect(refused.details).toEqual({
      missing: ['leie no_match'],
      stale: ['nppes match', `credential ${RN_ID} (RN) match`],
    });
    expect((await staff.repository.get(STAFF_ID))?.credentialingStatus).toBeUndefined();
  });

  it('denies on any records, refuses records of someone else, and keeps recruiters and staff out', async () => {
    const stranger = await recordVerification(
      verifications.repository,
      credentialing(),
      'other',
      {
        subject: { staffId: '01J00000000000000000STAFF2' },
        source: 'leie',
        method: 'file',
        result: 'match',
        sourceRef: 'x',
      },
      newId,
    );
    const input = { outcome: 'denied' as const, verificationIds: [] as string[], note: 'x' };
    await expect(
      service.decide(credentialing(), STAFF_ID, { ...input, verificationIds: [stranger.id] }),
    ).rejects.toBeInstanceOf(RuleViolation);
    await expect(service.decide(contextOf('r', ['recruiter']), STAFF_ID, input)).rejects.toBeInstanceOf(
      Forbidden,
    );
    await expect(
      service.listOfStaff(contextOf('r', ['recruiter']), STAFF_ID, { limit: 5 }),
    ).rejects.toBeInstanceOf(Forbidden);
    const denied = await service.decide(credentialing(), STAFF_ID, input);
    expect(denied).toMatchObject({ outcome: 'denied', recredentialDueAt: null });
    const mine = await service.listOfStaff(contextOf(OWNER, ['staff']), STAFF_ID, { limit: 5 });
    expect(mine.items.map((d) => d.id)).toEqual([denied.id]);
  });
});

describe('the 36-month cycle', () => {
  it('adds 36 calendar months', () => {
    expect(addMonths(new Date('2026-01-15T00:00:00Z'), 36).toISOString()).toBe('2029-01-15T00:00:00.000Z');
  });

  it.each([
    ['a day after the decision', '2026-03-03T09:00:00Z', 'approved'],
    ['91 days before recredentialing', '2028-12-01T09:00:00Z', 'approved'],
    ['90 days before recredentialing', '2028-12-02T09:00:00Z', 'due'],
    ['the moment recredentialing is due', '2029-03-02T09:00:00Z', 'overdue'],
  ])('an approval reads as of %s: %s', (_when, now, expected) => {
    expect(statusAt('approved', '2029-03-02T09:00:00.000Z', new Date(now), NCQA_CYCLE)).toBe(expected);
  });

  it('shows on the profile through the clock of the read', async () => {
    await service.decide(credentialing(), STAFF_ID, {
      outcome: 'approved',
      verificationIds: [await nppesMatch(3), await leieClean(3), await rnMatch(3)],
      note: 'x',
    });
    const profiles = createStaffService({
      profiles: staff.repository,
      users: { getUser: async () => undefined },
      accessEvents: createAccessEventLog().repository,
    });
    const read = (now: string) => profiles.get(contextOf(OWNER, ['staff'], new Date(now)), STAFF_ID);
    expect(await read('2027-01-01T00:00:00Z')).toMatchObject({ credentialingStatus: 'approved' });
    expect(await read('2029-01-01T00:00:00Z')).toMatchObject({ credentialingStatus: 'due' });
    expect(await read('2029-06-01T00:00:00Z')).toMatchObject({ credentialingStatus: 'overdue' });
    expect(await read('2029-06-01T00:00:00Z')).not.toHaveProperty('credentialingDecisionId');

    const listed = async (credentialingStatus: 'none' | 'approved' | 'due' | 'overdue', now: string) =>
      (
        await profiles.list(
          contextOf('r', ['recruiter'], new Date(now)),
          { credentialingStatus },
          { limit: 10 },
        )
      ).items.map((profile) => profile.id);
    expect(await listed('approved', '2027-01-01T00:00:00Z')).toEqual([STAFF_ID]);
    expect(await listed('due', '2027-01-01T00:00:00Z')).toEqual([]);
    expect(await listed('due', '2029-01-01T00:00:00Z')).toEqual([STAFF_ID]);
    expect(await listed('overdue', '2029-06-01T00:00:00Z')).toEqual([STAFF_ID]);
    expect(await listed('none', '2027-01-01T00:00:00Z')).toEqual([]);
  });
});

describe('the freshness window as a setting', () => {
  it('defaults to NCQA 120 days and takes 180 (the older standard), refusing nonsense', () => {
    expect(cycleRulesWith(undefined).verificationMaxAgeDays).toBe(120);
    expect(cycleRulesWith('180')).toMatchObject({ verificationMaxAgeDays: 180, recredentialMonths: 36 });
    expect(() => cycleRulesWith('0')).toThrow('1 to 365 days');
    expect(() => cycleRulesWith('ninety')).toThrow('1 to 365 days');
  });

  it('approves on a 150-day-old check under a 180-day window, and says the window when refusing', async () => {
    // Prepare
    const older = createDecisionService({
      decisions: createInMemoryDecisions(staff.repository).repository,
      profiles: staff.repository,
      credentials: credentials.repository,
      verifications: verifications.repository,
      flags: createInMemoryFlags(staff.repository).repository,
      rules: cycleRulesWith('180'),
    });
    const stale = [await nppesMatch(181), await leieClean(150), await rnMatch(1)];
    const fresh = [await nppesMatch(150), await leieClean(150), await rnMatch(1)];

    // Act
    const refused = await older
      .decide(credentialing(), STAFF_ID, { outcome: 'approved', verificationIds: stale, note: 'x' })
      .catch((error: unknown) => error);
    const approved = await older.decide(credentialing(), STAFF_ID, {
      outcome: 'approved',
      verificationIds: fresh,
      note: 'x',
    });

    // Assess
    expect(refused).toMatchObject({ status: 422, details: { stale: ['nppes match'], missing: [] } });
    expect((refused as Error).message).toContain('within 180 days');
    expect(approved.outcome).toBe('approved');
  });
});
