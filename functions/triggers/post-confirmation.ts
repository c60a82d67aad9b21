/**
 * Cognito PostConfirmation: a self-signed-up user (trigger source ConfirmSignUp) with no group
 * yet gets a staff profile and joins `staff`. Users created by an admin or the seed get their
 * groups (and invited staff their profile) directly and are left alone. Logs ids only (email
 * and name are PHI).
 */
import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Context, PostConfirmationTriggerEvent } from 'aws-lambda';
import { staffProfileRepository } from '#data/staff.ts';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import type { Role } from '#domain/roles.ts';
import { createStaffProfileProvisioner } from '#domain/staff/service.ts';
import { logger } from '#runtime/logger.ts';

const cognito = new CognitoIdentityProviderClient({});
const profiles = createStaffProfileProvisioner({ profiles: staffProfileRepository });
const SELF_SIGN_UP_ROLE: Role = 'staff';

export const handler = async (
  event: PostConfirmationTriggerEvent,
  context?: Pick<Context, 'awsRequestId'>,
): Promise<PostConfirmationTriggerEvent> => {
  if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;
  const user = { UserPoolId: event.userPoolId, Username: event.userName };
  const { sub, email = '', name = '' } = event.request.userAttributes;
  const { Groups = [] } = await cognito.send(new AdminListGroupsForUserCommand({ ...user, Limit: 1 }));
  if (Groups.length > 0) {
    logger.info('confirmed user already has a group', { userId: sub });
    return event;
  }
  // The profile first: if the group then fails, an admin's role change completes the user, while
  // a staff member without a profile could not be repaired by one (confirmation does not repeat).
  const serviceContext = {
    actor: SYSTEM_ACTOR,
    now: new Date(),
    requestId: context?.awsRequestId ?? randomUUID(),
  };
  const staffId = await profiles.provision(serviceContext, { id: sub ?? event.userName, name, email });
  await cognito.send(new AdminAddUserToGroupCommand({ ...user, GroupName: SELF_SIGN_UP_ROLE }));
  logger.info('confirmed user joined group with a staff profile', {
    userId: sub,
    staffId,
    group: SELF_SIGN_UP_ROLE,
  });
  return event;
};
