/**
 * Session revocations in Main (shared/data/entities/identity.ts): one item per user, written by
 * logout, disable, role and password changes, read (through a cache) on every authenticated
 * request. Each write is one UpdateItem that creates the item when absent.
 */
import type { SessionStore } from '#domain/identity/sessions.ts';
import { userSessionEntity } from './entities/identity.ts';
import { ITEM_KINDS } from './keys.ts';

const bookkeeping = (userId: string, aliveUntil: number) => ({
  kind: ITEM_KINDS.userSession,
  userId,
  ttl: aliveUntil,
});

export const userSessionStore: SessionStore = {
  // Strongly consistent: a revocation must be seen by the next read that misses the cache.
  read: async (userId) => {
    const record = await userSessionEntity.get({ userId }, { consistent: true });
    return record === undefined ? undefined : { ...record, userId };
  },

  revokeSession: async (userId, originJti, aliveUntil) => {
    await userSessionEntity.update(
      { userId },
      { set: bookkeeping(userId, aliveUntil), addToSet: { revokedSessions: new Set([originJti]) } },
    );
  },

  endSessionsBefore: async (userId, validAfter, aliveUntil) => {
    await userSessionEntity.update(
      { userId },
      { set: { ...bookkeeping(userId, aliveUntil), sessionsValidAfter: validAfter } },
    );
  },
};
