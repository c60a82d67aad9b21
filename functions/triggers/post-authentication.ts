/**
 * Cognito PostAuthentication: records every login once, however the user logged in
 * (`/auth/login`, a new password, or straight against Cognito), as a `login` access event on
 * the user's chain with the user as actor. Logs the sub only (email and name are PHI).
 */
import {
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Context, PostAuthenticationTriggerEvent } from 'aws-lambda';
import { accessEventRepository } from '#data/access-events.ts';
import { USER_EVENT_ACTIONS, userEvent } from '#domain/identity/user-events.ts';
import { isRole } from '#domain/roles.ts';
import { logger } from '#runtime/logger.ts';

const cognito = new CognitoIdentityProviderClient({});

export const handler = async (
  event: PostAuthenticationTriggerEvent,
  context: Context,
): Promise<PostAuthenticationTriggerEvent> => {
  const userId = event.request.userAttributes.sub ?? event.userName;
  // The event names no groups; the entry's actor carries the roles the user logged in with.
  const { Groups = [] } = await cognito.send(
    new AdminListGroupsForUserCommand({ UserPoolId: event.userPoolId, Username: event.userName }),
  );
  const roles = Groups.flatMap((group) =>
    group.GroupName && isRole(group.GroupName) ? [group.GroupName] : [],
  );
  // Cognito passes no API request id to this trigger: the entry carries the invocation's.
  const service = { actor: { userId, roles }, now: new Date(), requestId: context.awsRequestId };
  await accessEventRepository.record(
    userEvent(service, userId, USER_EVENT_ACTIONS.login, `login of user ${userId}`),
  );
  logger.info('login recorded', { userId });
  return event;
};
