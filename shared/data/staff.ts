/**
 * Staff profiles in Main: the profile (`STAFF#<id>`) and its user link (`USER#<sub>`/`STAFF`),
 * created together. Each function is one DynamoDB call or one transaction, its condition here.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound, PreconditionFailed } from '#domain/errors.ts';
import type { StaffProfileRepository, StoredStaffProfile } from '#domain/staff/ports.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { staffProfileKeys, staffProfileLinkKeys } from './keys/staff.ts';
import { prefixQuery } from './queries.ts';
import { differences, updateOf } from './update-expression.ts';

/** The index keys a profile carries: gsi1 only with a specialty (sparse). */
const indexKeysOf = (profile: StoredStaffProfile) => ({
  gsi1pk: undefined as string | undefined,
  gsi1sk: undefined as string | undefined,
  ...(profile.specialty === undefined
    ? {}
    : staffProfileKeys.bySpecialty(profile.specialty, profile.isActive, profile.id)),
  ...staffProfileKeys.all(profile.isActive, profile.id),
});

const itemOf = (profile: StoredStaffProfile) => ({
  ...staffProfileKeys.primary(profile.id),
  ...indexKeysOf(profile),
  kind: staffProfileKeys.kind,
  ...profile,
});

const profileOf = (item: Record<string, unknown>): StoredStaffProfile => {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g1s,
    gsi3pk: _g3,
    gsi3sk: _g3s,
    kind: _kind,
    ...profile
  } = item;
  return profile as StoredStaffProfile;
};

const table = () => requireEnv('mainTable');

export const staffProfileRepository: StaffProfileRepository = {
  create: async (profile) => {
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table(),
                Item: itemOf(profile),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: table(),
                Item: {
                  ...staffProfileLinkKeys.primary(profile.userId),
                  kind: staffProfileLinkKeys.kind,
                  userId: profile.userId,
                  staffId: profile.id,
                  createdAt: profile.createdAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (reasons[1]?.Code === 'ConditionalCheckFailed')
        throw new Conflict('This user already has a staff profile', 'exists');
      throw error;
    }
  },

  get: async (staffId) => {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: table(), Key: staffProfileKeys.primary(staffId), ConsistentRead: true }),
    );
    return Item ? profileOf(Item) : undefined;
  },

  profileIdOfUser: async (userId) => {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: table(), Key: staffProfileLinkKeys.primary(userId), ConsistentRead: true }),
    );
    return typeof Item?.staffId === 'string' ? Item.staffId : undefined;
  },

  update: async (previous, next) => {
    const { set, remove } = differences(itemOf(previous), itemOf(next));
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: table(),
          Key: staffProfileKeys.primary(previous.id),
          ...updateOf(
            { set, remove },
            { names: { '#version': 'version' }, values: { ':expected': previous.version } },
          ),
          ConditionExpression: '#version = :expected',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (!error.Item) throw new NotFound('No such staff profile');
      throw new PreconditionFailed();
    }
  },

  list: async (filters, page) => {
    const query = staffProfileKeys.listQuery(filters);
    const { Items = [], LastEvaluatedKey } = await documentClient.send(
      new QueryCommand({
        TableName: table(),
        IndexName: query.index,
        ...prefixQuery(query),
        Limit: page.limit,
        ExclusiveStartKey: page.position,
      }),
    );
    return { items: Items.map(profileOf), next: LastEvaluatedKey };
  },
};
