/**
 * The contracts and appointments services wired to their adapters, once: their HTTP functions
 * and offline sync (GET /sync reads and lists through them) share them.
 */
import { appointmentRepository } from '#data/appointments.ts';
import { contractRepository, contractStaff } from '#data/contracts.ts';
import { credentialHoldings } from '#data/credential-holdings.ts';
import { credentialingHolds, staffOwners } from '#data/staff-owners.ts';
import { createAppointmentsService } from '#domain/appointments/service.ts';
import { createContractsService } from '#domain/contracts/service.ts';

export const contractsService = /* @__PURE__ */ createContractsService({
  contracts: contractRepository,
  staff: staffOwners,
  credentials: credentialHoldings,
  holds: credentialingHolds,
});

export const appointmentsService = /* @__PURE__ */ createAppointmentsService({
  appointments: appointmentRepository,
  staff: staffOwners,
  contracts: contractStaff,
});
