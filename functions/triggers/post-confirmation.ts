/**
 * Cognito PostConfirmation: a self-signed-up user (trigger source ConfirmSignUp) with no group
 * yet joins `staff`. Users created by an admin or the seed get their groups directly and are
 * left alone. Logs the sub only (email and name are PHI).
 */
import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import type { Role } from '#domain/roles.ts';
import { logger } from '#runtime/logger.ts';

const cognito = new CognitoIdentityProviderClient({});
const SELF_SIGN_UP_ROLE: Role = 'staff';

export const handler = async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> => {
  if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;
  const user = { UserPoolId: event.userPoolId, Username: event.userName };
  const sub = event.request.userAttributes.sub;
  const { Groups = [] } = await cognito.send(new AdminListGroupsForUserCommand({ ...user, Limit: 1 }));
  if (Groups.length > 0) {
    logger.info('confirmed user already has a group', { userId: sub });
    return event;
  }
  await cognito.send(new AdminAddUserToGroupCommand({ ...user, GroupName: SELF_SIGN_UP_ROLE }));
  logger.info('confirmed user joined group', { userId: sub, group: SELF_SIGN_UP_ROLE });
  return event;
};
