/** Offline sync wired to the services the REST routes use, once: the sync function and GraphQL. */
import { messagingRepository } from '#data/messaging.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { changeLogRepository } from '#data/sync.ts';
import { createSyncService } from '#domain/sync/service.ts';
import { type SyncServices, snapshotSources, syncViews } from '#domain/sync/sources.ts';
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
  messaging: {
    getConversation: messagingService.getConversation,
    listConversations: messagingService.listConversations,
    listMessages: messagingService.listMessages,
    findMessage: messagingRepository.findMessage,
    listMembers: messagingRepository.listMembers,
  },
};

export const syncService = /* @__PURE__ */ createSyncService({
  log: changeLogRepository,
  view: syncViews(services),
  snapshot: snapshotSources(services),
});
