/** Offline sync wired to the services the REST routes use, once: the sync function and GraphQL. */
import { staffProfileRepository } from '#data/staff.ts';
import { changeLogRepository } from '#data/sync.ts';
import { syncRecords } from '#data/sync-reads.ts';
import { pageReads } from '#domain/sync/page-reads.ts';
import { createSyncService } from '#domain/sync/service.ts';
import { type SyncServices, snapshotSources } from '#domain/sync/sources.ts';
import { appointmentsService, contractsService } from './contracts.ts';
import { credentialService } from './credentials.ts';
import { messagingService } from './messaging.ts';
import { staffService } from './staff.ts';

const services: SyncServices = {
  staff: {
    get: staffService.get,
    list: staffService.list,
    profileIdOfUser: staffProfileRepository.profileIdOfUser,
  },
  credentials: credentialService,
  contracts: contractsService,
  appointments: appointmentsService,
  messaging: messagingService,
};

// A page's items are read in batches and shown through each service's own view of a record.
const { views, readable } = /* @__PURE__ */ pageReads(syncRecords, {
  StaffProfile: staffService.show,
  Credential: credentialService.show,
  Contract: contractsService.show,
  Appointment: appointmentsService.show,
});

export const syncService = /* @__PURE__ */ createSyncService({
  log: changeLogRepository,
  views,
  readable,
  snapshot: snapshotSources(services),
});
