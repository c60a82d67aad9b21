/**
 * The credentials a staff member holds, for contract gating: their active credentials are one
 * Query of their gsi1 partition (the credentials capability keys them by status there).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CredentialHoldings } from '#domain/contracts/ports.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { credentialKeys } from './keys/credentials.ts';
import { MAIN_INDEX } from './tables.ts';

export const credentialHoldings: CredentialHoldings = {
  heldCredentials: async (staffId) => {
    const { pk, skPrefix } = credentialKeys.staffQuery(staffId, 'active');
    const held: Array<{ type: string; status: string; expiryDate?: string }> = [];
    let position: Record<string, unknown> | undefined;
    do {
      const result = await documentClient.send(
        new QueryCommand({
          TableName: requireEnv('mainTable'),
          IndexName: MAIN_INDEX.byOwner,
          KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
          ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
          ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
          ProjectionExpression: '#type, #status, expiryDate',
          ExclusiveStartKey: position,
        }),
      );
      for (const item of result.Items ?? []) {
        held.push({
          type: String(item.type),
          status: String(item.status),
          ...(typeof item.expiryDate === 'string' ? { expiryDate: item.expiryDate } : {}),
        });
      }
      position = result.LastEvaluatedKey;
    } while (position !== undefined);
    return held;
  },
};
