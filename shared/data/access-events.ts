/**
 * Access events in Main: one access-log item per entity (`accessEventKeys`), rewritten with each
 * event and counting them in `version`. Every rewrite is a stream record, so each event reaches
 * the audit ledger; the count stays in Main after the events have, so verify can tell when the
 * newest access entries of a chain are missing (one short-lived item per event could not).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AccessEventRepository } from '#domain/access-events.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { accessEventKeys } from './keys/access-events.ts';

export const accessEventRepository: AccessEventRepository = {
  record: async (event) => {
    await documentClient.send(
      new UpdateCommand({
        TableName: requireEnv('mainTable'),
        Key: accessEventKeys.primary(event.entityType, event.entityId),
        UpdateExpression:
          'SET kind = :kind, entityType = :type, entityId = :entity, id = :id, #action = :action, ' +
          'summary = :summary, #at = :at, lastActor = :actor, version = if_not_exists(version, :zero) + :one',
        ExpressionAttributeNames: { '#action': 'action', '#at': 'at' },
        ExpressionAttributeValues: {
          ':kind': accessEventKeys.kind,
          ':type': event.entityType,
          ':entity': event.entityId,
          ':id': event.id,
          ':action': event.action,
          ':summary': event.summary,
          ':at': event.at,
          ':actor': event.lastActor,
          ':zero': 0,
          ':one': 1,
        },
      }),
    );
  },
};
