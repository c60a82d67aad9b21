import { ITEM_KINDS, key, PREFIX, type PrimaryKey } from '../keys.ts';

export const accessEventKeys = {
  kind: ITEM_KINDS.accessEvent,
  /** `ACCESS#<ulid>`: one short-lived item per sensitive read or identity event. */
  primary: (eventId: string): PrimaryKey => ({
    pk: key(PREFIX.accessEvent, eventId),
    sk: key(PREFIX.accessEvent, eventId),
  }),
} as const;
