/** The appointment lifecycle as a table (see lifecycle.ts for what reads it). */
import type { Lifecycle, Transition } from '../lifecycle.ts';

export const APPOINTMENT_STATUSES = ['scheduled', 'confirmed', 'completed', 'cancelled', 'no_show'] as const;

export type AppointmentState = (typeof APPOINTMENT_STATUSES)[number];

/** Live appointments hold their time: they may be edited, and nothing may overlap them. */
export const LIVE_APPOINTMENT_STATES: readonly AppointmentState[] = ['scheduled', 'confirmed'];

export const APPOINTMENT_TRANSITIONS = {
  confirm: { from: ['scheduled'], to: 'confirmed' },
  cancel: { from: ['scheduled', 'confirmed'], to: 'cancelled' },
  complete: { from: ['scheduled', 'confirmed'], to: 'completed' },
  noShow: { from: ['scheduled', 'confirmed'], to: 'no_show' },
} as const satisfies Record<string, Transition<AppointmentState>>;

export type AppointmentTransition = keyof typeof APPOINTMENT_TRANSITIONS;

export const APPOINTMENT_LIFECYCLE = {
  resource: 'Appointment',
  transitions: APPOINTMENT_TRANSITIONS,
  editable: LIVE_APPOINTMENT_STATES,
} as const satisfies Lifecycle<'Appointment', AppointmentState, AppointmentTransition>;

/** Only cancelling gives the time back: a completed or missed appointment still happened then. */
export const RELEASING_TRANSITIONS: readonly AppointmentTransition[] = ['cancel'];

/** These record what happened, so they wait until the appointment has started (422 before). */
export const AFTER_START_TRANSITIONS: readonly AppointmentTransition[] = ['complete', 'noShow'];
