/**
 * The messaging service wired to its adapters, once: the HTTP and WebSocket functions (and
 * GraphQL through the HTTP operations) and the demo seed all send through this one.
 */
import { accessEventRepository } from '#data/access-events.ts';
import { s3AttachmentStore } from '#data/attachment-store.ts';
import { contractParties } from '#data/contracts.ts';
import { liveMessages } from '#data/live-messages.ts';
import { messagingRepository } from '#data/messaging.ts';
import { cognitoParticipantDirectory } from '#data/participant-directory.ts';
import { createMessagingService } from '#domain/messaging/service.ts';

export const messagingService = /* @__PURE__ */ createMessagingService({
  repository: messagingRepository,
  directory: cognitoParticipantDirectory,
  attachments: s3AttachmentStore,
  live: liveMessages,
  accessEvents: accessEventRepository,
  contracts: contractParties,
});
