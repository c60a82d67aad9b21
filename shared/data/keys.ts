/**
 * What the keys of the Main table are made of: one prefix per kind of thing a key names and
 * the `kind` of each item. Entities (shared/data/entities/*) declare their keys from these as
 * data; the entity kit (shared/data/entity.ts) is the only place key strings are built.
 */

/** Key prefixes, one per kind of thing a key names. */
export const PREFIX = {
  connection: 'CONN',
  user: 'USER',
  loginThrottle: 'THROTTLE#LOGIN',
  rateCounter: 'THROTTLE#RATE',
  userSession: 'SESSION',
  userMfa: 'MFA',
  mfaSetup: 'MFASETUP',
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
  verification: 'VERIF',
  decision: 'DECISION',
  monitoringRun: 'MONRUN',
  leie: 'LEIE',
  leieByNpi: 'LEIENPI',
  leieByName: 'LEIENAME',
  /** `SYNC#USER#<sub>` or `SYNC#ROLE#<role>`: a change-log feed (shared/data/entities/sync.ts). */
  syncFeed: 'SYNC',
  syncChange: 'CHG',
  credentialingFlag: 'FLAG',
  flagQueue: 'FLAGQUEUE',
  /** Connections of credentialing and admin users (the desk), for frames to every one of them. */
  deskConnection: 'CONNDESK',
  /** `LIVE#<sub>`: a user's live connections in one item, read for many users in one BatchGetItem. */
  presence: 'LIVE',
  webhookEndpoint: 'WHEP',
  webhookDelivery: 'WHDL',
  /** `SEARCH#NAME#<2 chars>`, `SEARCH#NPI#<npi>`, `SEARCH#LIC#<number>`: POST /staff/search's terms. */
  staffSearch: 'SEARCH',
  // AuditLedger keys (shared/data/ledger-keys.ts).
  ledgerChain: 'ENTITY',
  ledgerActor: 'ACTOR',
  ledgerTypeDay: 'TYPEDAY',
} as const;

export { key } from './entity-keys.ts';

export interface PrimaryKey {
  pk: string;
  sk: string;
}

/** Powertools idempotency records share one partition; their sk is the hashed key. */
export const IDEMPOTENCY_PARTITION = 'IDEMP';

/** The `kind` attribute of each item kind (stream consumers filter on it). */
export const ITEM_KINDS = {
  connection: 'Connection',
  /** `LIVE#<sub>`: the user's live connections, one attribute each (shared/data/entities/connections.ts). */
  presence: 'Presence',
  loginThrottle: 'LoginThrottle',
  /** `THROTTLE#RATE#<sha256>#<window start>`: hits of one key in one window (mail-sending routes). */
  rateCounter: 'RateCounter',
  /** `SESSION#<sub>`: the revocations of one user's sessions (shared/domain/identity/sessions.ts). */
  userSession: 'UserSession',
  /** `MFA#<sub>`: the user has enrolled TOTP (read by the session check for roles that require it). */
  userMfa: 'UserMfa',
  /** `MFASETUP#<sha256(session)>`: the tokens an MFA_SETUP login holds until enrolment (minutes). */
  mfaSetup: 'MfaSetup',
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
  verification: 'Verification',
  /** Immutable, like a contract version: the profile's `decide` entry is its ledger entry. */
  credentialingDecision: 'CredentialingDecision',
  /** One OIG LEIE row of a month's file (reference data, not audited: the import is). */
  monitoringRun: 'MonitoringRun',
  leieExclusion: 'LeieExclusion',
  leieImport: 'LeieImport',
  /** `LEIE` / `ACTIVE`: the month matching reads. */
  leieActiveMonth: 'LeieActiveMonth',
  /** One change of one item for one feed (a user, or every holder of a role): offline sync's log. */
  syncChange: 'SyncChange',
  /** A monitoring flag on the credentialing work queue (audited). */
  credentialingFlag: 'CredentialingFlag',
  /** An outbound webhook endpoint (its secrets are PHI-listed: redacted in the ledger). */
  webhookEndpoint: 'WebhookEndpoint',
  /** One event to one endpoint: the attempts' bookkeeping (only a replay is a ledger entry). */
  webhookDelivery: 'WebhookDelivery',
  /** A word of a staff member's name, their NPI or a licence number (derived, not audited: the profile is). */
  staffSearchTerm: 'StaffSearchTerm',
} as const;

export type ItemKind = (typeof ITEM_KINDS)[keyof typeof ITEM_KINDS];
