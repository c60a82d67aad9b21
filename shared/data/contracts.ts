/**
 * Contracts in Main: the head item and one immutable item per content version, under one
 * partition. Each function is one DynamoDB call or one transaction, its condition right there.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ContractStaff } from '#domain/appointments/ports.ts';
import type { ContractRecord, ContractRepository, ContractVersion } from '#domain/contracts/ports.ts';
import { EDITABLE_CONTRACT_STATES } from '#domain/contracts/state-machine.ts';
import { StaleWrite } from '#domain/repository.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { contractKeys } from './keys/contracts.ts';
import { MAIN_INDEX } from './tables.ts';
import { cancellationCodes } from './transactions.ts';

const table = () => requireEnv('mainTable');

const headItem = (record: ContractRecord) => ({
  ...record,
  ...contractKeys.primary(record.id),
  ...contractKeys.byOwner(record.ownerUserId, record.id),
  ...contractKeys.all(record.status, record.id),
  kind: contractKeys.kind,
});

const versionItem = (version: ContractVersion) => ({
  ...version,
  ...contractKeys.version(version.contractId, version.version),
  kind: contractKeys.versionKind,
});

type Stored = Record<string, unknown>;

/** The item without its keys and kind: what the domain knows. */
const withoutKeys = <T>(item: Stored): T => {
  const { pk: _pk, sk: _sk, gsi1pk: _1, gsi1sk: _2, gsi3pk: _3, gsi3sk: _4, kind: _kind, ...rest } = item;
  return rest as T;
};

const getHead = async (id: string, consistent = false) => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: table(), Key: contractKeys.primary(id), ConsistentRead: consistent }),
  );
  return Item === undefined ? undefined : withoutKeys<ContractRecord>(Item);
};

const page = <T>(result: { Items?: Stored[]; LastEvaluatedKey?: Stored }) => ({
  items: (result.Items ?? []).map((item) => withoutKeys<T>(item)),
  next: result.LastEvaluatedKey,
});

export const contractRepository: ContractRepository = {
  createContract: async (contract, firstVersion) => {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: headItem(contract),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table(),
              Item: versionItem(firstVersion),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  },

  getContract: (id) => getHead(id),

  listContractsOfOwner: async (ownerUserId, status, { limit, position }) => {
    const { pk, skPrefix } = contractKeys.ownerQuery(ownerUserId);
    const result = await documentClient.send(
      new QueryCommand({
        TableName: table(),
        IndexName: MAIN_INDEX.byOwner,
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
        // A staff member has few contracts: the status filter reads their partition only.
        ...(status === undefined ? {} : { FilterExpression: '#status = :status' }),
        ExpressionAttributeNames: status === undefined ? undefined : { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pk': pk,
          ':prefix': skPrefix,
          ...(status ? { ':status': status } : {}),
        },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: position,
      }),
    );
    return page<ContractRecord>(result);
  },

  listContracts: async (status, { limit, position }) => {
    const { pk, skPrefix } = contractKeys.allQuery(status);
    const result = await documentClient.send(
      new QueryCommand({
        TableName: table(),
        IndexName: MAIN_INDEX.byStatus,
        KeyConditionExpression:
          skPrefix === undefined ? 'gsi3pk = :pk' : 'gsi3pk = :pk AND begins_with(gsi3sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ...(skPrefix === undefined ? {} : { ':prefix': skPrefix }) },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: position,
      }),
    );
    return page<ContractRecord>(result);
  },

  reviseContract: async (next, version, expectedVersion) => {
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table(),
                Item: versionItem(version),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: table(),
                Item: headItem(next),
                ConditionExpression: 'version = :expected AND #status IN (:editable0, :editable1)',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':expected': expectedVersion,
                  ':editable0': EDITABLE_CONTRACT_STATES[0],
                  ':editable1': EDITABLE_CONTRACT_STATES[1],
                },
              },
            },
          ],
        }),
      );
    } catch (error) {
      // The version item can only exist if another edit of the same version won: either way, stale.
      if (cancellationCodes(error) === undefined) throw error;
      throw new StaleWrite(await getHead(next.id, true));
    }
  },

  transitionContract: async (next, expected) => {
    try {
      await documentClient.send(
        new PutCommand({
          TableName: table(),
          Item: headItem(next),
          ConditionExpression: '#status = :status AND version = :version',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': expected.status, ':version': expected.version },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw new StaleWrite(await getHead(next.id, true));
    }
  },

  listContractVersions: async (contractId, { limit, position }) => {
    const { pk, skPrefix } = contractKeys.versionsQuery(contractId);
    const result = await documentClient.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        Limit: limit,
        ExclusiveStartKey: position,
      }),
    );
    return page<ContractVersion>(result);
  },

  getContractVersion: async (contractId, version) => {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: table(), Key: contractKeys.version(contractId, version) }),
    );
    return Item === undefined ? undefined : withoutKeys<ContractVersion>(Item);
  },
};

/** What appointments ask of a contract they name. */
export const contractStaff: ContractStaff = {
  staffIdOfContract: async (contractId) => (await getHead(contractId))?.staffId,
};
