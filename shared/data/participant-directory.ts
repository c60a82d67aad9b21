/** Who may take part in a conversation: the user pool's users and their groups. */
import type { ParticipantDirectory } from '#domain/messaging/ports.ts';
import { cognitoIdentity } from './cognito-identity.ts';

export const cognitoParticipantDirectory: ParticipantDirectory = {
  rolesOf: async (userId) => (await cognitoIdentity.getUser(userId))?.roles,
};
