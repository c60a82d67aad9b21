/**
 * Which Main partitions a function may write, by name. Functions list the scopes they write
 * (`mainWrites` in shared/functions.ts and its sibling modules); the stack turns them into
 * `dynamodb:LeadingKeys` conditions on the write actions (infra/access.ts), and the twin checks
 * every write against the same list when SHIFTLINE_CHECK_WRITE_SCOPES is set (the twin does not
 * enforce IAM). A new kind of item joins a scope here (or gets one); test/unit/write-scopes.test.ts
 * refuses an entity whose partition no scope covers.
 */
import { IDEMPOTENCY_PARTITION, PREFIX } from './keys.ts';

/** Every partition under a prefix (`STAFF#*` never matches `STAFFX#…`): an IAM StringLike pattern. */
const under = (prefix: string): string => `${prefix}#*`;

export const WRITE_SCOPES = {
  /** Powertools idempotency records: one fixed partition. */
  idempotency: [IDEMPOTENCY_PARTITION],
  accessEvents: [under(PREFIX.accessEvent)],
  loginThrottle: [under(PREFIX.loginThrottle)],
  rateCounters: [under(PREFIX.rateCounter)],
  userSessions: [under(PREFIX.userSession)],
  userMfa: [under(PREFIX.userMfa), under(PREFIX.mfaSetup)],
  /** Connection items, and each user's presence item (`LIVE#<sub>`) kept beside them. */
  connections: [under(PREFIX.connection), under(PREFIX.presence)],
  /** Profiles, and the search terms (`SEARCH#…`) written in the same transaction. */
  staffProfiles: [under(PREFIX.staff), under(PREFIX.staffSearch)],
  /** `USER#<sub>` / `STAFF`: written with the profile. */
  staffProfileLinks: [under(PREFIX.user)],
  /** Credentials, and the licence-number search terms written in the same transaction. */
  credentials: [under(PREFIX.credential), under(PREFIX.staffSearch)],
  contracts: [under(PREFIX.contract)],
  appointments: [under(PREFIX.appointment), under(PREFIX.schedule)],
  /** Conversations, their memberships (read receipts, counters), messages and attachments. */
  conversations: [under(PREFIX.conversation)],
  verifications: [under(PREFIX.verification)],
  decisions: [under(PREFIX.decision)],
  monitoringRuns: [under(PREFIX.monitoringRun)],
  credentialingFlags: [under(PREFIX.credentialingFlag)],
  /** A month's rows and import (`LEIE#<month>`) and the active month (`LEIE`). */
  leie: [under(PREFIX.leie), PREFIX.leie],
  syncLog: [under(PREFIX.syncFeed)],
  webhookEndpoints: [under(PREFIX.webhookEndpoint)],
  webhookDeliveries: [under(PREFIX.webhookDelivery)],
} as const satisfies Record<string, readonly string[]>;

export type WriteScope = keyof typeof WRITE_SCOPES;

/**
 * Scopes whose items are also written in BatchWriteItem batches (the LEIE import's rows, a
 * change's entries in offline sync's log): only these get BatchWriteItem, bound to their own
 * partitions.
 */
export const BATCH_WRITE_SCOPES: readonly WriteScope[] = ['leie', 'syncLog'];

/** The partition patterns of some scopes, each once, sorted (the order IAM statements list them in). */
export const partitionPatterns = (scopes: readonly WriteScope[]): string[] =>
  [...new Set(scopes.flatMap((scope) => WRITE_SCOPES[scope]))].sort();

/** Whether a partition key matches one of the patterns, as IAM's StringLike does (`*` any text). */
export const partitionAllowed = (pk: string, patterns: readonly string[]): boolean =>
  patterns.some((pattern) => (pattern.endsWith('*') ? pk.startsWith(pattern.slice(0, -1)) : pk === pattern));
