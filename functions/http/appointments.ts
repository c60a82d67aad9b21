/** The `appointments` function: booking without double-booking, edits, confirmation, outcomes. */
import { appointmentRepository } from '#data/appointments.ts';
import { contractStaff } from '#data/contracts.ts';
import { staffOwners } from '#data/staff-owners.ts';
import { createAppointmentsService } from '#domain/appointments/service.ts';
import type { AppointmentTransition } from '#domain/appointments/state-machine.ts';
import type { AuthContext } from '#runtime/auth-context.ts';
import { etagHeader, httpFunction } from '#runtime/http.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { serviceContextOf } from '#runtime/service-context.ts';

const appointments = createAppointmentsService({
  appointments: appointmentRepository,
  staff: staffOwners,
  contracts: contractStaff,
});

const withEtag = <T extends { version: number }>(body: T, status = 200) => ({
  status,
  headers: etagHeader(body.version),
  body,
});

const transition =
  (name: AppointmentTransition) =>
  async (input: {
    auth: AuthContext;
    requestId: string;
    params: { id: string };
    body?: { reason?: string };
  }) =>
    withEtag(await appointments.transition(serviceContextOf(input), input.params.id, name, input.body ?? {}));

export const handler = httpFunction('appointments', {
  createAppointment: async (input) =>
    withEtag(await appointments.create(serviceContextOf(input), input.body), 201),

  listAppointments: async (input) => {
    const { cursor: _cursor, limit: _limit, ...filters } = input.query;
    return pagedList(input, filters, (page) =>
      appointments.list(serviceContextOf(input), { ...filters, ...page }),
    );
  },

  getAppointment: async (input) => withEtag(await appointments.get(serviceContextOf(input), input.params.id)),

  updateAppointment: async (input) =>
    withEtag(await appointments.update(serviceContextOf(input), input.params.id, input.ifMatch, input.body)),

  confirmAppointment: transition('confirm'),
  cancelAppointment: transition('cancel'),
  completeAppointment: transition('complete'),
  noShowAppointment: transition('noShow'),
});
