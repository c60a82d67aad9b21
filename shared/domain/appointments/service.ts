/**
 * Appointments: shifts booked for a staff member by the agency, confirmed by the staff member.
 * A staff member is never booked twice at once (schedule-slots.ts says how that holds under
 * concurrency).
 */
import { ulid } from 'ulid';
import { newEntityMeta, type ServiceContext } from '../context.ts';
import { Conflict, RuleViolation } from '../errors.ts';
import { assertEditable, lostRace, nextState, scopedList, stamp, visible } from '../lifecycle.ts';
import { type ActionOf, authorize } from '../policy.ts';
import type { Page, PageRequest } from '../repository.ts';
import {
  type Appointment,
  type AppointmentListQuery,
  AppointmentSchema,
  type CancelAppointmentInput,
  type CreateAppointmentInput,
  type UpdateAppointmentInput,
} from '../schemas/appointments.ts';
import type { StaffOwners } from '../staff-owners.ts';
import {
  type AppointmentRecord,
  type AppointmentRepository,
  type ContractStaff,
  SlotTaken,
} from './ports.ts';
import { MAX_APPOINTMENT_MS, MAX_TRANSACTION_ITEMS, slotChanges, slotsOf } from './schedule-slots.ts';
import {
  AFTER_START_TRANSITIONS,
  APPOINTMENT_LIFECYCLE,
  type AppointmentTransition,
  RELEASING_TRANSITIONS,
} from './state-machine.ts';

export interface AppointmentsServiceDeps {
  appointments: AppointmentRepository;
  staff: StaffOwners;
  contracts: ContractStaff;
  newId?: () => string;
}

export type AppointmentListInput = AppointmentListQuery & PageRequest;

export const toAppointment = (record: AppointmentRecord): Appointment => AppointmentSchema.parse(record);

const doubleBooked = (taken: SlotTaken) =>
  new Conflict(
    `The staff member already has an appointment at that time${taken.heldBy ? ` (${taken.heldBy})` : ''}`,
  );

export const createAppointmentsService = ({
  appointments,
  staff,
  contracts,
  newId = ulid,
}: AppointmentsServiceDeps) => {
  const load = (context: ServiceContext, id: string, action: ActionOf<'Appointment'>) =>
    visible(APPOINTMENT_LIFECYCLE, context, action, appointments.getAppointment(id));

  const write = async (
    next: AppointmentRecord,
    current: AppointmentRecord,
    slots: { release: readonly string[]; claim: readonly string[] },
  ) => {
    try {
      await appointments
        .updateAppointment(next, { status: current.status, version: current.version }, slots)
        .catch(lostRace(APPOINTMENT_LIFECYCLE, { action: next.lastActor.action }));
    } catch (error) {
      if (error instanceof SlotTaken) throw doubleBooked(error);
      throw error;
    }
  };

  return {
    create: async (context: ServiceContext, input: CreateAppointmentInput): Promise<Appointment> => {
      authorize(context.actor, 'create', { type: 'Appointment' });
      const ownerUserId = await staff.ownerUserIdOf(input.staffId);
      if (ownerUserId === undefined) throw new RuleViolation(`No staff profile ${input.staffId}`);
      if (
        input.contractId !== undefined &&
        (await contracts.staffIdOfContract(input.contractId)) !== input.staffId
      ) {
        throw new RuleViolation(`Contract ${input.contractId} is not a contract of staff ${input.staffId}`);
      }
      const record: AppointmentRecord = {
        id: newId(),
        ...input,
        ownerUserId,
        status: 'scheduled',
        ...newEntityMeta(context),
      };
      try {
        await appointments.bookAppointment(record, slotsOf(record.startAt, record.endAt));
      } catch (error) {
        if (error instanceof SlotTaken) throw doubleBooked(error);
        throw error;
      }
      return toAppointment(record);
    },

    get: async (context: ServiceContext, id: string): Promise<Appointment> =>
      toAppointment(await load(context, id, 'read')),

    /** As `get`, for an appointment already read (offline sync reads a page's in one batch). */
    show: async (context: ServiceContext, record: AppointmentRecord): Promise<Appointment> =>
      toAppointment(await visible(APPOINTMENT_LIFECYCLE, context, 'read', Promise.resolve(record))),

    list: async (context: ServiceContext, input: AppointmentListInput): Promise<Page<Appointment>> => {
      const { staffId, limit, position, ...filter } = input;
      return scopedList(
        APPOINTMENT_LIFECYCLE,
        context,
        { staffId, staff },
        {
          all: () => appointments.listAppointments(filter, { limit, position }),
          ofOwner: (owner) => appointments.listAppointmentsOfOwner(owner, filter, { limit, position }),
        },
        toAppointment,
      );
    },

    /** New times move the slots in the same transaction; a confirmed appointment whose times move needs confirming again. */
    update: async (
      context: ServiceContext,
      id: string,
      expectedVersion: number,
      input: UpdateAppointmentInput,
    ): Promise<Appointment> => {
      const current = await load(context, id, 'update');
      assertEditable(APPOINTMENT_LIFECYCLE, current, expectedVersion);
      const times = { startAt: input.startAt ?? current.startAt, endAt: input.endAt ?? current.endAt };
      const length = Date.parse(times.endAt) - Date.parse(times.startAt);
      if (length <= 0 || length > MAX_APPOINTMENT_MS) {
        throw new RuleViolation('endAt must be after startAt, and the appointment at most 24 hours long');
      }
      const slots = slotChanges(current, times);
      if (slots.release.length + slots.claim.length + 1 > MAX_TRANSACTION_ITEMS) {
        throw new RuleViolation(
          'This move changes too many schedule slots at once: cancel and book it again',
        );
      }
      const moved = slots.claim.length > 0 || slots.release.length > 0;
      const next: AppointmentRecord = { ...stamp(current, context, 'update'), ...times };
      if (moved && current.status === 'confirmed') next.status = 'scheduled';
      if (input.location !== undefined) next.location = input.location ?? undefined;
      if (input.notes !== undefined) next.notes = input.notes ?? undefined;
      await write(next, current, slots);
      return toAppointment(next);
    },

    transition: async (
      context: ServiceContext,
      id: string,
      transition: AppointmentTransition,
      input: Partial<CancelAppointmentInput> = {},
    ): Promise<Appointment> => {
      const current = await load(context, id, transition);
      const status = nextState(APPOINTMENT_LIFECYCLE, transition, current.status);
      if (AFTER_START_TRANSITIONS.includes(transition) && context.now.toISOString() < current.startAt) {
        throw new RuleViolation(
          `An appointment can be marked ${status} only once it has started (${current.startAt})`,
        );
      }
      const next: AppointmentRecord = { ...stamp(current, context, transition), status };
      if (input.reason !== undefined) next.reason = input.reason;
      const release = RELEASING_TRANSITIONS.includes(transition)
        ? slotsOf(current.startAt, current.endAt)
        : [];
      await write(next, current, { release, claim: [] });
      return toAppointment(next);
    },
  };
};

export type AppointmentsService = ReturnType<typeof createAppointmentsService>;
