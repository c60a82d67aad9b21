/** What the appointments service needs from storage. */
import type { LastActor } from '../context.ts';
import type { Page, PageRequest } from '../repository.ts';
import type { Appointment, AppointmentListQuery, AppointmentStatus } from '../schemas/appointments.ts';

/** The appointment item as stored: the API's Appointment plus its owner and attribution. */
export type AppointmentRecord = Appointment & { ownerUserId: string; lastActor: LastActor };

/** Appointments that overlap [from, to); either end may be open. */
export type AppointmentListFilter = Omit<AppointmentListQuery, 'staffId'>;

/** A schedule slot the write needed is held by another appointment (a double booking). */
export class SlotTaken extends Error {
  override name = 'SlotTaken';
  readonly heldBy: string | undefined;
  constructor(heldBy: string | undefined) {
    super('a schedule slot is held by another appointment');
    this.heldBy = heldBy;
  }
}

export interface AppointmentRepository {
  /** The appointment and one slot item per slot, each only if absent: SlotTaken on an overlap. */
  bookAppointment(record: AppointmentRecord, slots: readonly string[]): Promise<void>;
  getAppointment(id: string): Promise<AppointmentRecord | undefined>;
  listAppointmentsOfOwner(
    ownerUserId: string,
    filter: AppointmentListFilter,
    page: PageRequest,
  ): Promise<Page<AppointmentRecord>>;
  listAppointments(filter: AppointmentListFilter, page: PageRequest): Promise<Page<AppointmentRecord>>;
  /**
   * The head conditional on `expected` (state and version), releasing and claiming slots in the
   * same transaction: StaleWrite when the head changed, SlotTaken when a claimed slot is held.
   */
  updateAppointment(
    next: AppointmentRecord,
    expected: { status: AppointmentStatus; version: number },
    slots: { release: readonly string[]; claim: readonly string[] },
  ): Promise<void>;
}

/** What appointments need to know of a contract they name. */
export interface ContractStaff {
  staffIdOfContract(contractId: string): Promise<string | undefined>;
}
