import { describe, expect, it } from 'vitest';
import { overlaps, slotChanges, slotsOf } from '#domain/appointments/schedule-slots.ts';
import { createAppointmentsService } from '#domain/appointments/service.ts';
import { APPOINTMENT_LIFECYCLE } from '#domain/appointments/state-machine.ts';
import { Conflict, Forbidden, NotFound, PreconditionFailed, RuleViolation } from '#domain/errors.ts';
import { nextState } from '#domain/lifecycle.ts';
import { CreateAppointmentBodySchema } from '#domain/schemas/appointments.ts';
import {
  contextOf,
  createInMemoryAppointments,
  createStaffDirectory,
  sequentialIds,
} from './support/scheduling-fakes.ts';

const at = (time: string) => `2026-03-10T${time}:00.000Z`;
const interval = (start: string, end: string) => ({ startAt: at(start), endAt: at(end) });

describe('schedule slots', () => {
  it('cuts a half-open interval into 15-minute slots', () => {
    expect(slotsOf(at('09:00'), at('10:00'))).toEqual([at('09:00'), at('09:15'), at('09:30'), at('09:45')]);
    expect(slotsOf(at('09:00'), at('09:15'))).toEqual([at('09:00')]);
  });

  const pairs = [
    { a: interval('09:00', '10:00'), b: interval('10:00', '11:00'), overlap: false },
    { a: interval('09:00', '10:00'), b: interval('09:45', '11:00'), overlap: true },
    { a: interval('09:00', '12:00'), b: interval('10:00', '10:15'), overlap: true },
    { a: interval('09:00', '10:00'), b: interval('08:00', '09:00'), overlap: false },
    { a: interval('09:00', '10:00'), b: interval('09:00', '10:00'), overlap: true },
  ];

  it.each(pairs)(
    'on the grid, sharing a slot is exactly overlapping ($a.startAt–$a.endAt vs $b.startAt–$b.endAt)',
    ({ a, b, overlap }) => {
      const shared = slotsOf(a.startAt, a.endAt).filter((slot) => slotsOf(b.startAt, b.endAt).includes(slot));
      expect(overlaps(a, b)).toBe(overlap);
      expect(shared.length > 0).toBe(overlap);
    },
  );

  it('moves only the slots that change', () => {
    expect(slotChanges(interval('09:00', '10:00'), interval('09:30', '10:30'))).toEqual({
      release: [at('09:00'), at('09:15')],
      claim: [at('10:00'), at('10:15')],
    });
  });

  it('accepts grid times up to 24 hours and refuses the rest (400)', () => {
    const body = (startAt: string, endAt: string) =>
      CreateAppointmentBodySchema.safeParse({ staffId: '01JSTAFF00000000000000000A', startAt, endAt });
    expect(body(at('09:00'), at('21:00')).success).toBe(true);
    expect(body('2026-03-10T09:00:00+01:00', '2026-03-10T10:00:00+01:00').data?.startAt).toBe(at('08:00'));
    expect(body(at('09:00'), '2026-03-11T09:00:00.000Z').success).toBe(true);
    expect(body(at('09:00'), '2026-03-11T09:15:00.000Z').success).toBe(false);
    expect(body(at('09:00'), at('09:00')).success).toBe(false);
    expect(body(at('10:00'), at('09:00')).success).toBe(false);
    expect(body(at('09:10'), at('10:00')).success).toBe(false);
  });

  it('knows the appointment lifecycle', () => {
    expect(nextState(APPOINTMENT_LIFECYCLE, 'confirm', 'scheduled')).toBe('confirmed');
    expect(nextState(APPOINTMENT_LIFECYCLE, 'cancel', 'confirmed')).toBe('cancelled');
    expect(nextState(APPOINTMENT_LIFECYCLE, 'noShow', 'scheduled')).toBe('no_show');
    expect(() => nextState(APPOINTMENT_LIFECYCLE, 'confirm', 'confirmed')).toThrow(Conflict);
    expect(() => nextState(APPOINTMENT_LIFECYCLE, 'cancel', 'completed')).toThrow(Conflict);
  });
});

const STAFF_ID = '01JSTAFF00000000000000000A';
const CONTRACT_ID = '01JCONTRACT000000000000000';
const recruiter = contextOf('recruiter-sub', ['recruiter']);
const staffMember = contextOf('staff-sub', ['staff']);
const otherStaff = contextOf('other-sub', ['staff']);

const setup = () => {
  const store = createInMemoryAppointments();
  const directory = createStaffDirectory();
  directory.owners.set(STAFF_ID, 'staff-sub');
  const service = createAppointmentsService({
    appointments: store.repository,
    staff: directory.staff,
    contracts: { staffIdOfContract: async (id) => (id === CONTRACT_ID ? STAFF_ID : undefined) },
    newId: sequentialIds,
  });
  const book = (start: string, end: string, extra: Record<string, string> = {}) =>
    service.create(recruiter, { staffId: STAFF_ID, ...interval(start, end), ...extra });
  return { store, service, book };
};

describe('appointments service', () => {
  it('books, and refuses an overlapping booking for the same staff member (409)', async () => {
    const { store, book } = setup();
    const first = await book('09:00', '17:00', { contractId: CONTRACT_ID });
    expect(first).toMatchObject({ status: 'scheduled', version: 1, contractId: CONTRACT_ID });
    expect(store.heads.get(first.id)).toMatchObject({
      ownerUserId: 'staff-sub',
      lastActor: { action: 'create' },
    });
    expect(store.slots.size).toBe(32);
    await expect(book('16:45', '18:00')).rejects.toThrow(Conflict);
    await expect(book('17:00', '18:00')).resolves.toMatchObject({ status: 'scheduled' });
  });

  it('refuses a contract of another staff member (422)', async () => {
    const { book } = setup();
    await expect(book('09:00', '10:00', { contractId: '01JOTHERCONTRACT0000000000' })).rejects.toThrow(
      RuleViolation,
    );
  });

  it('gives the time back on cancel only', async () => {
    const { service, book } = setup();
    const first = await book('09:00', '10:00');
    const cancelled = await service.transition(staffMember, first.id, 'cancel', { reason: 'sick' });
    expect(cancelled).toMatchObject({ status: 'cancelled', reason: 'sick' });
    await expect(book('09:00', '10:00')).resolves.toMatchObject({ status: 'scheduled' });
  });

  it('moves the slots with the times, needs the current version, and asks for a new confirmation', async () => {
    const { service, store, book } = setup();
    const first = await book('09:00', '10:00');
    const blocker = await book('11:00', '12:00');
    const confirmed = await service.transition(staffMember, first.id, 'confirm');
    await expect(service.update(recruiter, first.id, 1, { notes: 'x' })).rejects.toThrow(PreconditionFailed);
    await expect(
      service.update(recruiter, first.id, confirmed.version, { endAt: at('11:15') }),
    ).rejects.toThrow(/already has an appointment/);
    const moved = await service.update(recruiter, first.id, confirmed.version, {
      ...interval('10:00', '11:00'),
    });
    expect(moved).toMatchObject({ status: 'scheduled', version: 3, ...interval('10:00', '11:00') });
    expect(store.slots.get(`${STAFF_ID}|${at('09:00')}`)).toBeUndefined();
    expect(store.slots.get(`${STAFF_ID}|${at('10:00')}`)).toBe(first.id);
    const noted = await service.update(recruiter, first.id, 3, { location: 'Ward 2', notes: null });
    expect(noted).toMatchObject({ location: 'Ward 2', status: 'scheduled' });
    expect(blocker.status).toBe('scheduled');
  });

  it('lets only the staff member confirm; hides other staff members’ appointments', async () => {
    const { service, book } = setup();
    const first = await book('09:00', '10:00');
    await expect(service.transition(recruiter, first.id, 'confirm')).rejects.toThrow(Forbidden);
    await expect(service.transition(otherStaff, first.id, 'confirm')).rejects.toThrow(NotFound);
    await expect(service.get(otherStaff, first.id)).rejects.toThrow(NotFound);
    await expect(service.list(otherStaff, { limit: 25, staffId: STAFF_ID })).rejects.toThrow(NotFound);
  });

  it('completes or marks no-show only once the appointment has started (422)', async () => {
    const { service, book } = setup();
    const later = await book('10:00', '11:00');
    await expect(service.transition(recruiter, later.id, 'complete')).rejects.toThrow(RuleViolation);
    const started = contextOf('recruiter-sub', ['recruiter'], new Date(at('10:30')));
    await expect(service.transition(started, later.id, 'noShow')).resolves.toMatchObject({
      status: 'no_show',
    });
  });

  it('lists a staff member’s appointments that overlap a time range', async () => {
    const { service, book } = setup();
    await book('06:00', '08:00');
    const inside = await book('09:00', '10:00');
    await book('12:00', '13:00');
    const page = await service.list(staffMember, { limit: 25, from: at('07:30'), to: at('12:00') });
    expect(page.items.map((item) => item.startAt)).toEqual([at('06:00'), inside.startAt]);
    const scheduled = await service.list(recruiter, { limit: 25, staffId: STAFF_ID, status: 'confirmed' });
    expect(scheduled.items).toEqual([]);
  });
});
