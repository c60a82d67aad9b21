/**
 * Credentials in Main (`CRED#<id>`), listed per staff member (gsi1), by status (gsi3) and by
 * expiry day (gsi2, sparse: pending and active only). Every change is one conditional
 * UpdateItem on the expected state; the index keys move with the status.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CredentialRepository, StoredCredential, WriteMeta } from '#domain/credentials/ports.ts';
import { type CredentialStatus, isExpiryTracked } from '#domain/credentials/state-machine.ts';
import { NotFound } from '#domain/errors.ts';
import type { PageRequest } from '#domain/page.ts';
import { StaleWrite } from '#domain/repository.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { credentialKeys } from './keys/credentials.ts';
import { prefixQuery } from './queries.ts';
import { MAIN_INDEX } from './tables.ts';
import { updateOf } from './update-expression.ts';

const table = () => requireEnv('mainTable');

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'kind'];

/** The index keys of a credential in a status: gsi2 only while its expiry can still matter. */
const statusKeysOf = (
  credential: Pick<StoredCredential, 'id' | 'staffId' | 'expiryDate'>,
  status: CredentialStatus,
) => ({
  ...credentialKeys.byStaff(credential.staffId, status, credential.id),
  ...credentialKeys.byStatus(status, credential.id),
  ...(credential.expiryDate !== undefined && isExpiryTracked(status)
    ? credentialKeys.byExpiryDay(credential.expiryDate, credential.id)
    : {}),
});

const credentialOf = (item: Record<string, unknown>): StoredCredential =>
  Object.fromEntries(
    Object.entries(item).filter(([name]) => !KEY_ATTRIBUTES.includes(name)),
  ) as StoredCredential;

// The old item of a failed condition may arrive raw ({ S: 'active' }) or unmarshalled, by SDK version.
const statusOf = (value: unknown): string =>
  typeof value === 'string' ? value : ((value as { S?: string } | undefined)?.S ?? 'unknown');

const metaSet = (meta: WriteMeta) => ({ updatedAt: meta.updatedAt, lastActor: meta.lastActor });

const isConditionFailure = (error: unknown): error is ConditionalCheckFailedException =>
  error instanceof ConditionalCheckFailedException;

const query = async (input: {
  index: string;
  pkName: string;
  skName: string;
  pk: string;
  skPrefix?: string;
  status?: CredentialStatus;
  page: PageRequest;
}) => {
  const condition = prefixQuery(input);
  const { Items = [], LastEvaluatedKey } = await documentClient.send(
    new QueryCommand({
      TableName: table(),
      IndexName: input.index,
      ...condition,
      ...(input.status === undefined
        ? {}
        : {
            // A bucket holds a day's expiries: small enough to filter by status.
            FilterExpression: '#status = :status',
            ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, '#status': 'status' },
            ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ':status': input.status },
          }),
      Limit: input.page.limit,
      ExclusiveStartKey: input.page.position,
    }),
  );
  return { items: Items.map(credentialOf), next: LastEvaluatedKey };
};

export const credentialRepository: CredentialRepository = {
  create: async (credential) => {
    await documentClient.send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...credentialKeys.primary(credential.id),
          ...statusKeysOf(credential, credential.status),
          kind: credentialKeys.kind,
          ...credential,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  get: async (credentialId) => {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: table(), Key: credentialKeys.primary(credentialId), ConsistentRead: true }),
    );
    return Item ? credentialOf(Item) : undefined;
  },

  listOfStaff: (staffId, status, page) => {
    const { pk, skPrefix } = credentialKeys.staffQuery(staffId, status);
    return query({ index: MAIN_INDEX.byOwner, pkName: 'gsi1pk', skName: 'gsi1sk', pk, skPrefix, page });
  },

  listByStatus: (status, page) =>
    query({
      index: MAIN_INDEX.byStatus,
      pkName: 'gsi3pk',
      skName: 'gsi3sk',
      pk: credentialKeys.statusPartition(status),
      page,
    }),

  listExpiringOn: (day, status, page) =>
    query({
      index: MAIN_INDEX.byExpiryDay,
      pkName: 'gsi2pk',
      skName: 'gsi2sk',
      pk: credentialKeys.expiryBucket(day),
      status,
      page,
    }),

  transition: async (credential, { from, to }, change) => {
    // The index keys derive from fields that never change (id, staff, expiry date).
    const keys = statusKeysOf(credential, to);
    const fromValues = Object.fromEntries(from.map((status, index) => [`:from${index}`, status]));
    // The sweep's expire also checks the date: a credential is never expired before its day.
    const dated: { names: Record<string, string>; values: Record<string, unknown>; condition: string } =
      change.expiredBefore === undefined
        ? { names: {}, values: {}, condition: 'attribute_exists(pk)' }
        : {
            names: { '#expiryDate': 'expiryDate' },
            values: { ':today': change.expiredBefore },
            condition: '#expiryDate < :today',
          };
    try {
      const { Attributes } = await documentClient.send(
        new UpdateCommand({
          TableName: table(),
          Key: credentialKeys.primary(credential.id),
          ...updateOf(
            {
              set: { ...change.set, status: to, ...keys, ...metaSet(change.meta) },
              remove: isExpiryTracked(to) ? [] : ['gsi2pk', 'gsi2sk'],
              increment: ['version'],
            },
            {
              names: { '#status': 'status', ...dated.names },
              values: { ...fromValues, ...dated.values },
            },
          ),
          ConditionExpression: [`#status IN (${Object.keys(fromValues).join(', ')})`, dated.condition].join(
            ' AND ',
          ),
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return credentialOf(Attributes ?? {});
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new StaleWrite(error.Item && { status: statusOf(error.Item.status) as CredentialStatus });
    }
  },

  raiseExpiryWarning: async (credentialId, threshold, meta) => {
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: table(),
          Key: credentialKeys.primary(credentialId),
          ...updateOf(
            { set: { expiryWarning: threshold, ...metaSet(meta) }, increment: ['version'] },
            {
              names: { '#status': 'status', '#warning': 'expiryWarning' },
              values: { ':active': 'active', ':threshold': threshold, ':null': 'NULL' },
            },
          ),
          ConditionExpression:
            '#status = :active AND (attribute_not_exists(#warning) OR attribute_type(#warning, :null) OR #warning > :threshold)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  attachDocument: async (credentialId, document, documentKey, meta) => {
    try {
      const { Attributes } = await documentClient.send(
        new UpdateCommand({
          TableName: table(),
          Key: credentialKeys.primary(credentialId),
          ...updateOf({ set: { document, documentKey, ...metaSet(meta) }, increment: ['version'] }),
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_NEW',
        }),
      );
      return credentialOf(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) throw new NotFound('No such credential');
      throw error;
    }
  },

  markDocumentUploaded: async (credentialId, documentKey, meta) => {
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: table(),
          Key: credentialKeys.primary(credentialId),
          UpdateExpression:
            'SET #document.#docStatus = :uploaded, #updatedAt = :updatedAt, #lastActor = :lastActor, #version = #version + :one',
          ConditionExpression: '#document.#docStatus = :pending AND #key = :key',
          ExpressionAttributeNames: {
            '#document': 'document',
            '#docStatus': 'status',
            '#key': 'documentKey',
            '#updatedAt': 'updatedAt',
            '#lastActor': 'lastActor',
            '#version': 'version',
          },
          ExpressionAttributeValues: {
            ':uploaded': 'uploaded',
            ':pending': 'pending',
            ':key': documentKey,
            ':updatedAt': meta.updatedAt,
            ':lastActor': meta.lastActor,
            ':one': 1,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
};
