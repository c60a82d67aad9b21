/**
 * The archive's one write to the AuditLedger: `ttl` on an exported entry, by an UpdateItem that
 * names only the key and `ttl` (the role's policy and the table's resource policy allow no other
 * attribute), and only on an entry that exists (an update never creates one).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerExpirer } from '#domain/audit/ports.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { ledgerKeys } from './ledger-keys.ts';
import { AUDIT_LEDGER_TABLE } from './tables.ts';

const TTL = AUDIT_LEDGER_TABLE.timeToLiveAttribute;

export const ledgerExpirer: LedgerExpirer = {
  newestSeq: async (chain) => {
    const { Items = [] } = await documentClient.send(
      new QueryCommand({
        TableName: requireEnv('ledgerTable'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ledgerKeys.chain(chain) },
        ProjectionExpression: 'sk',
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const newest = Items[0]?.sk;
    return typeof newest === 'string' ? Number(newest) : undefined;
  },

  expire: async (chain, seq, ttl) => {
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: requireEnv('ledgerTable'),
          Key: ledgerKeys.primary(chain, seq),
          UpdateExpression: 'SET #ttl = :ttl',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#ttl': TTL },
          ExpressionAttributeValues: { ':ttl': ttl },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },
};
