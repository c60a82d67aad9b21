/**
 * Appointments in Main, and the schedule slot items that keep a staff member from being booked
 * twice (shared/domain/appointments/schedule-slots.ts). A booking or a move is one transaction:
 * the appointment plus each slot claimed (only if free) or released (only if its own).
 */
import {
  type AppointmentListFilter,
  type AppointmentRecord,
  type AppointmentRepository,
  SlotTaken,
} from '#domain/appointments/ports.ts';
import { MAX_APPOINTMENT_MS } from '#domain/appointments/schedule-slots.ts';
import { StaleWrite } from '#domain/repository.ts';
import { type Clause, is } from './conditions.ts';
import { appointmentEntity, scheduleSlotEntity } from './entities/appointments.ts';
import { type TransactItem, TransactionRefused, transact } from './transact.ts';

// Bounds of the time range on sort keys that start with a timestamp: before and after any time.
const EARLIEST = '0000';
const LATEST = '9999';

const claimSlot = (record: AppointmentRecord, slot: string): TransactItem =>
  scheduleSlotEntity.ops.create({ staffId: record.staffId, slot, appointmentId: record.id });

// Only the slot's own appointment may release it.
const releaseSlot = (record: AppointmentRecord, slot: string): TransactItem =>
  scheduleSlotEntity.ops.remove({ staffId: record.staffId, slot }, [
    is.any(is.absent(), is.equal('appointmentId', record.id)),
  ]);

/**
 * Runs the transaction (the head first, the claimed slots last): a failed claim is SlotTaken
 * naming the holder, any other refusal StaleWrite with the head as it is.
 */
const transactHead = async (record: AppointmentRecord, items: TransactItem[], claimed: readonly string[]) => {
  try {
    await transact(items);
  } catch (error) {
    if (!(error instanceof TransactionRefused)) throw error;
    const slotsFrom = items.length - claimed.length;
    const [first] = error.failures;
    if (first !== undefined && first.index >= slotsFrom) {
      const holder = first.current?.appointmentId;
      throw new SlotTaken(typeof holder === 'string' ? holder : undefined);
    }
    const head = error.failedAt(0);
    throw new StaleWrite(
      head?.current
        ? appointmentEntity.record(head.current)
        : await appointmentEntity.get({ id: record.id }, { consistent: true }),
    );
  }
};

/** Sort-key bounds for appointments overlapping [from, to): they start before `to` and at most a max length before `from`. */
const startRange = (filter: AppointmentListFilter) => ({
  between: [
    {
      startAt: filter.from ? new Date(Date.parse(filter.from) - MAX_APPOINTMENT_MS).toISOString() : EARLIEST,
    },
    { startAt: filter.to ?? LATEST },
  ] as const,
});

const filterOf = (filter: AppointmentListFilter): Clause[] => [
  ...(filter.from ? [is.above('endAt', filter.from)] : []),
  ...(filter.status ? [is.equal('status', filter.status)] : []),
];

export const appointmentRepository: AppointmentRepository = {
  bookAppointment: (record, slots) =>
    transactHead(
      record,
      [appointmentEntity.ops.create(record), ...slots.map((slot) => claimSlot(record, slot))],
      slots,
    ),

  getAppointment: (id) => appointmentEntity.get({ id }),

  listAppointmentsOfOwner: (ownerUserId, filter, page) =>
    appointmentEntity.query.byOwner(
      { ownerUserId },
      { ...page, where: startRange(filter), filter: filterOf(filter) },
    ),

  listAppointments: (filter, page) =>
    appointmentEntity.query.byStart({}, { ...page, where: startRange(filter), filter: filterOf(filter) }),

  updateAppointment: async (next, expected, slots) => {
    const condition = [is.equal('status', expected.status), is.equal('version', expected.version)];
    // No slot moves: one conditional Put, no transaction (FACTS.md: ~4.5× cheaper).
    if (slots.release.length === 0 && slots.claim.length === 0) return appointmentEntity.put(next, condition);
    const items = [
      appointmentEntity.ops.put(next, condition),
      ...slots.release.map((slot) => releaseSlot(next, slot)),
      ...slots.claim.map((slot) => claimSlot(next, slot)),
    ];
    await transactHead(next, items, slots.claim);
  },
};
