/** Who may take part in a conversation: the user pool's users, their groups and display names. */
import type { ParticipantDirectory } from '#domain/messaging/ports.ts';
import { cognitoIdentity } from './cognito-identity.ts';

export const cognitoParticipantDirectory: ParticipantDirectory = {
  participantOf: async (userId) => {
    const user = await cognitoIdentity.getUser(userId);
    return user && { roles: user.roles, name: user.name };
  },
};
