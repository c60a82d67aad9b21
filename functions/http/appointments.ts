/** The `appointments` function: booking without double-booking, edits, confirmation, outcomes. */
import type { AppointmentTransition } from '#domain/appointments/state-machine.ts';
import type { ServiceContext } from '#domain/context.ts';
import { httpFunction, type Operations, withEtag } from '#runtime/http.ts';
import { withIdempotency } from '#runtime/idempotent-routes.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { versionedItemOperations } from '#runtime/versioned-items.ts';
import { APPOINTMENT_ROUTES } from '#shared/routes/appointments.ts';
import { appointmentsService as appointments } from '#shared/services/contracts.ts';

const appointment = versionedItemOperations(appointments);

const transition =
  (name: AppointmentTransition) =>
  async (input: { context: ServiceContext; params: { id: string }; body?: { reason?: string } }) =>
    withEtag(await appointments.transition(input.context, input.params.id, name, input.body ?? {}));

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'appointments'> = {
  createAppointment: appointment.create,
  getAppointment: appointment.get,
  updateAppointment: appointment.update,

  listAppointments: async (input) =>
    pagedList(input, (page, filters) => appointments.list(input.context, { ...filters, ...page })),

  confirmAppointment: transition('confirm'),
  cancelAppointment: transition('cancel'),
  completeAppointment: transition('complete'),
  noShowAppointment: transition('noShow'),
};

export const handler = httpFunction(APPOINTMENT_ROUTES, operations, withIdempotency);
