import type { AppointmentRecord } from '#domain/appointments/ports.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

/** `APPT#<id>`. */
export const appointmentEntity = defineEntity<AppointmentRecord>()({
  kind: ITEM_KINDS.appointment,
  primary: {
    pk: { prefix: PREFIX.appointment, fields: ['id'] },
    sk: { prefix: PREFIX.appointment, fields: ['id'] },
  },
  indexes: {
    /** A staff member's appointments by start time: `USER#<staff sub>` / `APPT#<startAt>#<id>`. */
    byOwner: {
      index: 'byParent',
      pk: { prefix: PREFIX.user, fields: ['ownerUserId'] },
      sk: { prefix: PREFIX.appointment, fields: ['startAt', 'id'] },
    },
    /** Every appointment by start time: `APPT` / `<startAt>#<id>`. */
    byStart: {
      index: 'byKind',
      pk: { prefix: PREFIX.appointment, fields: [] },
      sk: { fields: ['startAt', 'id'] },
    },
  },
});

export interface ScheduleSlot {
  staffId: string;
  /** The slot's start (shared/domain/appointments/schedule-slots.ts). */
  slot: string;
  appointmentId: string;
}

/** `SCHED#<staffId>` / `SCHED#<slot start>`: held by at most one live appointment. */
export const scheduleSlotEntity = defineEntity<ScheduleSlot>()({
  kind: ITEM_KINDS.scheduleSlot,
  primary: {
    pk: { prefix: PREFIX.schedule, fields: ['staffId'] },
    sk: { prefix: PREFIX.schedule, fields: ['slot'] },
  },
});
