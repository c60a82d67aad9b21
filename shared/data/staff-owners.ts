/** The staff member's Cognito sub behind a staff profile id: one GetItem of the profile. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { StaffOwners } from '#domain/staff-owners.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { staffProfileKeys } from './keys/staff.ts';

export const staffOwners: StaffOwners = {
  ownerUserIdOf: async (staffId) => {
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: requireEnv('mainTable'),
        Key: staffProfileKeys.primary(staffId),
        ProjectionExpression: 'userId',
      }),
    );
    return typeof Item?.userId === 'string' ? Item.userId : undefined;
  },
};
