/**
 * Item keys of the Main table, declared once per item kind: each kind says which attributes
 * make its pk/sk and index keys, and these functions are the only place key strings are built.
 * Repositories, stream consumers and tests use them; no key string appears anywhere else.
 */

/** Key prefixes, one per kind of thing a key names. */
export const PREFIX = {
  connection: 'CONN',
  user: 'USER',
  loginThrottle: 'THROTTLE#LOGIN',
  staff: 'STAFF',
  credential: 'CRED',
  credentialStatus: 'CREDSTATUS',
  expiryDay: 'EXP',
  contract: 'CONTRACT',
  contractVersion: 'CVER',
  appointment: 'APPT',
  schedule: 'SCHED',
  conversation: 'CONV',
  member: 'MEMBER',
  message: 'MSG',
  attachment: 'ATT',
  accessEvent: 'ACCESS',
  // AuditLedger keys (shared/data/keys/audit.ts).
  ledgerChain: 'ENTITY',
  ledgerActor: 'ACTOR',
  ledgerTypeDay: 'TYPEDAY',
} as const;

/** Joins a prefix and parts with `#`: the only way key strings are built (keys.ts and keys/*.ts). */
export const key = (prefix: string, ...parts: readonly string[]): string => [prefix, ...parts].join('#');

export interface Gsi2Key {
  gsi2pk: string;
  gsi2sk: string;
}

export interface Gsi3Key {
  gsi3pk: string;
  gsi3sk: string;
}

export interface PrimaryKey {
  pk: string;
  sk: string;
}

export interface Gsi1Key {
  gsi1pk: string;
  gsi1sk: string;
}

/** Powertools idempotency records share one partition; their sk is the hashed key. */
export const IDEMPOTENCY_PARTITION = 'IDEMP';

/** The `kind` attribute of each item kind (stream consumers filter on it). */
export const ITEM_KINDS = {
  connection: 'Connection',
  loginThrottle: 'LoginThrottle',
  staffProfile: 'StaffProfile',
  /** `USER#<sub>` → the user's staff profile id: one per user, written with the profile. */
  staffProfileLink: 'StaffProfileLink',
  credential: 'Credential',
  contract: 'Contract',
  contractVersion: 'ContractVersion',
  appointment: 'Appointment',
  scheduleSlot: 'ScheduleSlot',
  conversation: 'Conversation',
  conversationMember: 'ConversationMember',
  message: 'Message',
  attachment: 'Attachment',
  accessEvent: 'AccessEvent',
} as const;

export type ItemKind = (typeof ITEM_KINDS)[keyof typeof ITEM_KINDS];

export const connectionKeys = {
  kind: ITEM_KINDS.connection,
  /** `CONN#<connectionId>`: one item per connection. */
  primary: (connectionId: string): PrimaryKey => ({
    pk: key(PREFIX.connection, connectionId),
    sk: key(PREFIX.connection, connectionId),
  }),
  /** gsi1 `USER#<sub>`: a user's connections are one Query. */
  byUser: (userId: string, connectionId: string): Gsi1Key => ({
    gsi1pk: key(PREFIX.user, userId),
    gsi1sk: key(PREFIX.connection, connectionId),
  }),
  /** The Query condition for a user's connections on gsi1. */
  userQuery: (userId: string): { gsi1pk: string; gsi1skPrefix: string } => ({
    gsi1pk: key(PREFIX.user, userId),
    gsi1skPrefix: `${PREFIX.connection}#`,
  }),
} as const;

export const loginThrottleKeys = {
  kind: ITEM_KINDS.loginThrottle,
  /** `THROTTLE#LOGIN#<sha256(email)>`: failed-login counter of one email (the key holds no PHI). */
  primary: (emailKey: string): PrimaryKey => ({
    pk: key(PREFIX.loginThrottle, emailKey),
    sk: key(PREFIX.loginThrottle, emailKey),
  }),
} as const;
