import type { Connection } from '#domain/schemas/connection.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

/** `CONN#<connectionId>`: one item per WebSocket connection. */
export const connectionEntity = defineEntity<Connection>()({
  kind: ITEM_KINDS.connection,
  primary: {
    pk: { prefix: PREFIX.connection, fields: ['connectionId'] },
    sk: { prefix: PREFIX.connection, fields: ['connectionId'] },
  },
  indexes: {
    /** A user's connections are one Query: `USER#<sub>` / `CONN#<connectionId>`. */
    byUser: {
      index: 'byParent',
      pk: { prefix: PREFIX.user, fields: ['userId'] },
      sk: { prefix: PREFIX.connection, fields: ['connectionId'] },
    },
  },
});
