/**
 * TOTP enrolments and MFA_SETUP sessions in Main (shared/data/entities/identity.ts). An
 * enrolment is one small item per user, read by the session check only for roles that require
 * MFA; a setup session lives minutes (`ttl`, compared on read: DynamoDB Local never expires).
 */
import type { MfaStore } from '#domain/identity/mfa.ts';
import { mfaSetupEntity, userMfaEntity } from './entities/identity.ts';
import { ITEM_KINDS } from './keys.ts';

export const userMfaStore: MfaStore = {
  // Strongly consistent: the first request after enrolment must see it.
  enrolled: async (userId) => (await userMfaEntity.get({ userId }, { consistent: true })) !== undefined,

  markEnrolled: async (userId, at) => {
    await userMfaEntity.update(
      { userId },
      { set: { kind: ITEM_KINDS.userMfa, userId, enrolledAt: at.toISOString() } },
    );
  },

  clearEnrolment: (userId) => userMfaEntity.remove({ userId }),

  holdSetup: (sessionHash, held, expiresAt) =>
    mfaSetupEntity.create({ sessionHash, ...held, ttl: expiresAt }),

  heldSetup: async (sessionHash, nowSeconds) => {
    const setup = await mfaSetupEntity.get({ sessionHash }, { consistent: true });
    if (setup === undefined || setup.ttl <= nowSeconds) return undefined;
    return { userId: setup.userId, email: setup.email, tokens: setup.tokens };
  },

  dropSetup: (sessionHash) => mfaSetupEntity.remove({ sessionHash }),
};
