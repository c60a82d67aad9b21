import type { Connection } from '#domain/schemas/connection.ts';
import { defineEntity } from '../entity.ts';
import { ITEM_KINDS, PREFIX } from '../keys.ts';

/** Roles whose users hear of every staff member's flags (`staff.flagged`). */
const DESK_ROLES: readonly string[] = ['credentialing', 'admin'];

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
    /** Connections opened with a credentialing or admin role (sparse): `CONNDESK` / `CONN#<connectionId>`. */
    byDesk: {
      index: 'byKind',
      pk: { prefix: PREFIX.deskConnection, fields: [] },
      sk: { prefix: PREFIX.connection, fields: ['connectionId'] },
      when: (connection) => connection.roles.some((role) => DESK_ROLES.includes(role)),
    },
  },
});
