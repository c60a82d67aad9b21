/**
 * Batch reads of a sync page's items through the entity kit: one BatchGetItem per kind (per 100
 * keys), read as consistently as their REST `get` reads them, and one Query over the id range
 * of a conversation's changed messages (their key is the sender's, not the message id).
 */
import type { SyncRecords } from '#domain/sync/page-reads.ts';
import { appointmentEntity } from './entities/appointments.ts';
import { contractEntity } from './entities/contracts.ts';
import { credentialEntity } from './entities/credentials.ts';
import { membershipEntity, messageEntity } from './entities/messaging.ts';
import { staffProfileEntity } from './entities/staff.ts';

const byId = (ids: readonly string[]) => ids.map((id) => ({ id }));

export const syncRecords: SyncRecords = {
  // GET /staff/{id} and GET /credentials/{id} read consistently: so does sync.
  profiles: (ids) => staffProfileEntity.getMany(byId(ids), { consistent: true }),
  credentials: (ids) => credentialEntity.getMany(byId(ids), { consistent: true }),
  contracts: (ids) => contractEntity.getMany(byId(ids)),
  appointments: (ids) => appointmentEntity.getMany(byId(ids)),
  memberships: (userId, conversationIds) =>
    membershipEntity.getMany(conversationIds.map((conversationId) => ({ conversationId, userId }))),

  messages: async (conversationId, messageIds) => {
    const sorted = [...messageIds].sort();
    const [first, last] = [sorted[0], sorted.at(-1)];
    if (first === undefined || last === undefined) return [];
    // A page's messages are mostly consecutive in their conversation: the range holds little else.
    const inRange = await messageEntity.all.byConversation(
      { conversationId },
      { where: { between: [{ id: first }, { id: last }] } },
    );
    const wanted = new Set(messageIds);
    return inRange.filter((message) => wanted.has(message.id));
  },

  members: (conversationId) => membershipEntity.all.primary({ conversationId }),
};
