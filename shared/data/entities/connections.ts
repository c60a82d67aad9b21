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

/** What a user's presence item holds of each live connection: what delivery checks. */
export type PresentConnection = Pick<Connection, 'connectionId' | 'userId' | 'roles' | 'ttl'> &
  Partial<Pick<Connection, 'issuedAt' | 'originJti'>>;

/** A user's live connections, as one item: one BatchGetItem reads those of a whole conversation. */
export interface Presence {
  userId: string;
  connections: PresentConnection[];
  /**
   * Set once the item has been reconciled with the user's `Connection` items (shared/data/connections.ts):
   * until then a connection opened before presence items existed may be missing from it.
   */
  complete: boolean;
}

/** The attribute that marks a presence item as holding every live connection of its user. */
export const PRESENCE_COMPLETE = 'complete';

/** The attribute holding one connection: `live:<connectionId>` (connection ids have no dots). */
export const presenceAttribute = (connectionId: string): string => `live:${connectionId}`;
const PRESENCE_ATTRIBUTE = /^live:/;

/**
 * `LIVE#<sub>`: one attribute per live connection, set at `$connect` and removed at `$disconnect`
 * or when delivery prunes it — each one UpdateItem, no read-modify-write race between tabs.
 */
export const presenceEntity = defineEntity<Presence>()({
  kind: ITEM_KINDS.presence,
  primary: {
    pk: { prefix: PREFIX.presence, fields: ['userId'] },
    sk: { prefix: PREFIX.presence, fields: ['userId'] },
  },
  decode: (item) => ({
    userId: item.userId,
    connections: Object.entries(item)
      .filter(([name]) => PRESENCE_ATTRIBUTE.test(name))
      .map(([, connection]) => connection),
    complete: item[PRESENCE_COMPLETE] === true,
  }),
});
