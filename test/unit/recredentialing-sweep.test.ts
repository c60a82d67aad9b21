/** The recredentialing cadence: warnings at 90/60/30/14/7/0 days before due, then overdue, each once. */
import { beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import { createRecredentialingSweep, recredentialWarningFor } from '#domain/credentialing/recredentialing.ts';
import { addDays } from '#domain/credentials/days.ts';
import type { StoredStaffProfile } from '#domain/staff/ports.ts';
import { createInMemoryStaff } from './support/credential-fakes.ts';

const DUE = '2029-03-01T10:00:00.000Z';
const at = (day: string, time = '06:15:00') => new Date(`${day}T${time}.000Z`);
const daysBefore = (days: number) => at(addDays('2029-03-01', -days));

const profile = (id: string, extra: Partial<StoredStaffProfile>): StoredStaffProfile => ({
  id,
  userId: `${id}-sub`,
  name: 'Grace Lindqvist',
  email: `${id}@example.org`,
  isActive: true,
  version: 1,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  lastActor: { userId: 'x', roles: [], requestId: 'r', action: 'decide' },
  ...extra,
});

describe('recredentialWarningFor', () => {
  const approved = { credentialingStatus: 'approved', recredentialDueAt: DUE } as const;

  it.each([
    [91, undefined],
    [90, 90],
    [45, 60],
    [20, 30],
    [14, 14],
    [8, 14],
    [7, 7],
    [1, 7],
  ])('%i days before the due day → %s', (days, warning) => {
    // Prepare / Act / Assess
    expect(recredentialWarningFor(approved, daysBefore(days))).toBe(warning);
  });

  it('warns 0 on the due day before the due instant, and overdue from it on', () => {
    expect(recredentialWarningFor(approved, at('2029-03-01', '06:15:00'))).toBe(0);
    expect(recredentialWarningFor(approved, at('2029-03-01', '10:00:00'))).toBe('overdue');
    expect(recredentialWarningFor(approved, at('2029-04-01'))).toBe('overdue');
  });

  it('raises each warning once and never a wider one after a tighter', () => {
    expect(recredentialWarningFor({ ...approved, recredentialWarning: 90 }, daysBefore(50))).toBe(60);
    expect(recredentialWarningFor({ ...approved, recredentialWarning: 60 }, daysBefore(50))).toBeUndefined();
    expect(recredentialWarningFor({ ...approved, recredentialWarning: 7 }, daysBefore(20))).toBeUndefined();
    expect(recredentialWarningFor({ ...approved, recredentialWarning: 0 }, at('2029-03-02'))).toBe('overdue');
    expect(
      recredentialWarningFor({ ...approved, recredentialWarning: 'overdue' }, at('2029-05-02')),
    ).toBeUndefined();
  });

  it('leaves files that are not approved alone', () => {
    for (const credentialingStatus of ['denied', 'flagged', undefined] as const) {
      expect(
        recredentialWarningFor({ credentialingStatus, recredentialDueAt: DUE }, daysBefore(3)),
      ).toBeUndefined();
    }
    expect(recredentialWarningFor({ credentialingStatus: 'approved' }, daysBefore(3))).toBeUndefined();
  });
});

describe('recredentialing sweep', () => {
  let staff: ReturnType<typeof createInMemoryStaff>;
  let sweep: ReturnType<typeof createRecredentialingSweep>;
  const run = (now: Date) => sweep.run({ actor: SYSTEM_ACTOR, now, requestId: 'sweep' });

  beforeEach(async () => {
    staff = createInMemoryStaff();
    sweep = createRecredentialingSweep({ profiles: staff.repository });
    await staff.repository.create(profile('S1', { credentialingStatus: 'approved', recredentialDueAt: DUE }));
    await staff.repository.create(profile('S2', { credentialingStatus: 'denied', recredentialDueAt: DUE }));
  });

  it('walks the cadence as the days pass, each warning once, a rerun of a day changing nothing', async () => {
    // Prepare
    const days = [120, 90, 89, 60, 30, 14, 7, 3, 0];
    const seen: unknown[] = [];

    // Act
    for (const day of days) {
      const first = await run(daysBefore(day));
      const again = await run(daysBefore(day));
      expect(again).toMatchObject({ warned: 0, overdue: 0 });
      seen.push([day, first.warned, staff.profiles.get('S1')?.recredentialWarning]);
    }
    const late = await run(at('2029-03-02'));
    const lateAgain = await run(at('2029-03-02'));

    // Assess
    expect(seen).toEqual([
      [120, 0, undefined],
      [90, 1, 90],
      [89, 0, 90],
      [60, 1, 60],
      [30, 1, 30],
      [14, 1, 14],
      [7, 1, 7],
      [3, 0, 7],
      [0, 1, 0],
    ]);
    expect(late).toEqual({ examined: 1, warned: 0, overdue: 1 });
    expect(lateAgain).toEqual({ examined: 1, warned: 0, overdue: 0 });
    expect(staff.profiles.get('S1')).toMatchObject({
      recredentialWarning: 'overdue',
      version: 1 + 7,
      lastActor: { userId: 'system', roles: ['system'], action: 'overdue' },
    });
    expect(staff.profiles.get('S2')).toMatchObject({ version: 1 });
  });

  it('skips a file that changed since it was read and warns it on the next run', async () => {
    // Prepare
    const stale = profile('S1', { credentialingStatus: 'approved', recredentialDueAt: DUE });
    const racing = createRecredentialingSweep({
      profiles: {
        list: async () => ({ items: [stale] }),
        update: async (previous, next) => {
          await staff.repository.update({ ...previous, version: 0 }, next);
        },
      },
    });

    // Act
    const lost = await racing.run({ actor: SYSTEM_ACTOR, now: daysBefore(10), requestId: 'r' });
    const next = await run(daysBefore(10));

    // Assess
    expect(lost).toEqual({ examined: 1, warned: 0, overdue: 0 });
    expect(next).toEqual({ examined: 1, warned: 1, overdue: 0 });
  });
});
