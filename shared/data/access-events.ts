import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ACCESS_EVENT_TTL_SECONDS, type AccessEventRepository } from '#domain/access-events.ts';
import { requireEnv } from '#runtime/config.ts';
import { documentClient } from './client.ts';
import { accessEventKeys } from './keys/access-events.ts';

export const accessEventRepository: AccessEventRepository = {
  record: async (event) => {
    await documentClient.send(
      new PutCommand({
        TableName: requireEnv('mainTable'),
        Item: {
          ...accessEventKeys.primary(event.id),
          kind: accessEventKeys.kind,
          ...event,
          ttl: Math.floor(Date.parse(event.at) / 1000) + ACCESS_EVENT_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },
};
