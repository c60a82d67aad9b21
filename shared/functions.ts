/**
 * Every Lambda function, declared once: the CDK stack creates each with the grants it lists
 * (least privilege), and the local twin loads the same entry modules.
 */
import type { WriteScope } from '#data/write-scopes.ts';

/** What a function may touch. The stack turns each into the narrowest IAM grant. */
export type Access =
  | 'main:read'
  | 'main:write'
  | 'ledger:read'
  | 'ledger:append'
  /** UpdateItem of `ttl` alone on ledger entries (ledgerArchive; the resource policy pins it). */
  | 'ledger:expire'
  | 'documents:read'
  | 'documents:write'
  | 'documents:delete'
  | 'evidence:read'
  | 'evidence:write'
  | 'ledger:sign'
  | 'ledger:publicKey'
  | 'userpool:read'
  | 'userpool:groups'
  | 'userpool:create'
  | 'userpool:disable'
  | 'userpool:signout'
  /** AdminSetUserMFAPreference: an admin's reset of a user's TOTP MFA. */
  | 'userpool:mfa'
  | 'connections:manage'
  /** Send to the webhook delivery queue (and its dead-letter queue). */
  | 'webhooks:send';

/** Files of an npm package copied beside a bundle (package dir → bundle subdir, flat). */
export interface AssetCopy {
  fromPackage: string;
  files: readonly string[];
  into: string;
}

/** The areas of the documents bucket, by key prefix: each function is granted only its own. */
export type DocumentPrefix = 'credentials/' | 'conversations/' | 'evidence/';

export interface FunctionDefinition {
  entry: string;
  description: string;
  access: readonly Access[];
  /** Where its `documents:*` accesses apply (required with them: the stack refuses a bucket-wide grant). */
  documentPrefixes?: readonly DocumentPrefix[];
  /**
   * The Main partitions it writes (required with `main:write`: the stack refuses a table-wide
   * write), each scope a list of partition-key patterns (shared/data/write-scopes.ts).
   */
  mainWrites?: readonly WriteScope[];
  /** Extra files copied beside the bundle; several packages share one `into`. */
  assets?: AssetCopy | readonly AssetCopy[];
  memoryMb?: number;
  /**
   * Bundled with code splitting: modules the entry imports dynamically become chunks beside it,
   * loaded on first use instead of at every cold start.
   */
  splitting?: boolean;
}

export const HTTP_FUNCTIONS = {
  docs: {
    entry: 'functions/http/docs.ts',
    // The OpenAPI and AsyncAPI generators are chunks, loaded by the first request for a document.
    splitting: true,
    description: 'Health, OpenAPI document and the interactive playground',
    access: [],
    assets: {
      fromPackage: 'swagger-ui-dist',
      files: [
        'swagger-ui-bundle.js',
        'swagger-ui-standalone-preset.js',
        'swagger-ui.css',
        'favicon-32x32.png',
      ],
      into: 'swagger-ui',
    },
  },
  auth: {
    entry: 'functions/http/auth.ts',
    description: 'Sign-up, login, tokens and the caller (/auth/*, /me)',
    // main:write for the login throttle counters and session revocations; connections:manage to
    // close ended sessions' sockets; userpool:signout after a password reset or change (the
    // other Cognito client calls need no IAM).
    access: ['main:write', 'userpool:read', 'userpool:signout', 'connections:manage'],
    mainWrites: ['loginThrottle', 'rateCounters', 'userSessions', 'userMfa', 'accessEvents', 'connections'],
  },
  users: {
    entry: 'functions/http/users.ts',
    // Powertools idempotency (~38 KB) is a chunk, loaded by the first request with an Idempotency-Key.
    splitting: true,
    description: 'Users and roles: invite, list, change roles, disable',
    // main:write for idempotency records of invitations and session revocations;
    // connections:manage to close the sockets of a user whose sessions end.
    access: [
      'main:write',
      'userpool:read',
      'userpool:groups',
      'userpool:create',
      'userpool:disable',
      'userpool:mfa',
      'connections:manage',
    ],
    mainWrites: [
      'idempotency',
      'userSessions',
      'userMfa',
      'accessEvents',
      'connections',
      // An invited staff member's profile, provisioned with the invitation.
      'staffProfiles',
      'staffProfileLinks',
    ],
  },
  contracts: {
    entry: 'functions/http/contracts.ts',
    // Powertools idempotency (~38 KB) is a chunk, loaded by the first request with an Idempotency-Key.
    splitting: true,
    description: 'Contracts: drafts, versioned terms, offer, acknowledgement, lifecycle',
    // Also reads staff profiles (ownership) and credentials (gating) in Main.
    access: ['main:write'],
    mainWrites: ['idempotency', 'contracts'],
  },
  appointments: {
    entry: 'functions/http/appointments.ts',
    // Powertools idempotency (~38 KB) is a chunk, loaded by the first request with an Idempotency-Key.
    splitting: true,
    description: 'Appointments: booking without double-booking, edits, confirmation, outcomes',
    access: ['main:write'],
    mainWrites: ['idempotency', 'appointments'],
  },
  messaging: {
    entry: 'functions/http/messaging.ts',
    // Powertools idempotency (~38 KB) is a chunk, loaded by the first request with an Idempotency-Key.
    splitting: true,
    description: 'Conversations, messages, read receipts and attachments',
    // userpool:read to check who a conversation is opened with; documents for attachments;
    // connections:manage to post a sent message to the participants' sockets at once.
    access: ['main:write', 'userpool:read', 'documents:read', 'documents:write', 'connections:manage'],
    mainWrites: ['idempotency', 'conversations', 'accessEvents', 'connections'],
    documentPrefixes: ['conversations/'],
  },
  staff: {
    entry: 'functions/http/staff.ts',
    // Powertools idempotency (~38 KB) is a chunk, loaded by the first request with an Idempotency-Key.
    splitting: true,
    description: 'Staff profiles: create, list, read, edit',
    // userpool:read to check that a new profile's user exists.
    access: ['main:write', 'userpool:read'],
    mainWrites: ['idempotency', 'staffProfiles', 'staffProfileLinks', 'accessEvents'],
  },
  credentials: {
    entry: 'functions/http/credentials.ts',
    // Powertools idempotency (~38 KB) is a chunk, loaded by the first request with an Idempotency-Key.
    splitting: true,
    description: 'Credentials: verification, documents, work queue and the expiry sweep on demand',
    access: ['main:write', 'documents:read', 'documents:write'],
    // A verification record of each verified credential (the credentialing file's history).
    mainWrites: ['idempotency', 'credentials', 'accessEvents', 'verifications'],
    documentPrefixes: ['credentials/'],
  },
  credentialing: {
    entry: 'functions/http/credentialing.ts',
    // Powertools idempotency (~38 KB) is a chunk, loaded by the first request with an Idempotency-Key.
    splitting: true,
    description: 'Credentialing file: verification records and primary-source checks',
    // documents:write keeps each source's answer as evidence.
    access: ['main:write', 'documents:write'],
    mainWrites: [
      'idempotency',
      'verifications',
      'decisions',
      'monitoringRuns',
      'credentialingFlags',
      'staffProfiles',
      'leie',
    ],
    documentPrefixes: ['evidence/'],
  },
  audit: {
    entry: 'functions/http/audit.ts',
    description: 'The audit ledger: entries, chains and their verification (admin; credentialing in part)',
    // main:read for verify: the change counts kept on the chain's items in Main; the evidence
    // bucket and the signing key's public half for /audit/digests and /audit/verify.
    access: ['ledger:read', 'main:read', 'evidence:read', 'ledger:publicKey'],
  },
  graphql: {
    entry: 'functions/http/graphql.ts',
    description:
      'GraphQL over HTTP: the REST operations behind one endpoint, and the single contract request',
    // Every capability's operations, each a chunk loaded by the first field that needs it.
    splitting: true,
    // GraphiQL (React 18's UMD builds: graphiql 3 is the last line with a browser build).
    assets: [
      { fromPackage: 'graphiql', files: ['graphiql.min.js', 'graphiql.min.css'], into: 'graphiql' },
      { fromPackage: 'react', files: ['umd/react.production.min.js'], into: 'graphiql' },
      { fromPackage: 'react-dom', files: ['umd/react-dom.production.min.js'], into: 'graphiql' },
    ],
    // The union of what the operations it runs touch (every capability but /auth/*).
    access: [
      'main:write',
      'ledger:read',
      'documents:read',
      'documents:write',
      'userpool:read',
      'userpool:groups',
      'userpool:create',
      'userpool:disable',
      'userpool:mfa',
      // A message sent through GraphQL is delivered live as a REST send is.
      'connections:manage',
      // A webhook delivery replayed through GraphQL is queued as a REST replay is.
      'webhooks:send',
      // The ledger's digests and their verification (/audit/digests, /audit/verify).
      'evidence:read',
      'ledger:publicKey',
    ],
    // The documents its operations touch: credentials' documents, attachments, evidence.
    documentPrefixes: ['credentials/', 'conversations/', 'evidence/'],
    // What the HTTP functions whose operations it runs write (pinned by test/infra/main-writes.test.ts).
    mainWrites: [
      'idempotency',
      'accessEvents',
      'userSessions',
      'userMfa',
      'connections',
      'contracts',
      'appointments',
      'conversations',
      'staffProfiles',
      'staffProfileLinks',
      'credentials',
      'verifications',
      'decisions',
      'monitoringRuns',
      'credentialingFlags',
      'leie',
      'webhookEndpoints',
      'webhookDeliveries',
    ],
  },
  sync: {
    entry: 'functions/http/sync.ts',
    description:
      "Offline sync: the caller's changes since a cursor, from the change log the notify consumer keeps",
    // main:write for the access event of a date of birth read, as the staff route records it.
    access: ['main:write'],
    mainWrites: ['accessEvents'],
  },
  webhooks: {
    entry: 'functions/http/webhooks.ts',
    // Powertools idempotency (~38 KB) is a chunk, loaded by the first request with an Idempotency-Key.
    splitting: true,
    description: 'Outbound webhooks: endpoints, secrets, deliveries and replays (admin)',
    // webhooks:send to queue a replayed delivery.
    access: ['main:write', 'webhooks:send'],
    mainWrites: ['idempotency', 'webhookEndpoints', 'webhookDeliveries'],
  },
} as const satisfies Record<string, FunctionDefinition>;

export type HttpFunctionName = keyof typeof HTTP_FUNCTIONS;

export const assetCopiesOf = (definition: FunctionDefinition): readonly AssetCopy[] => {
  const { assets } = definition;
  if (assets === undefined) return [];
  return 'fromPackage' in assets ? [assets] : assets;
};

export const WS_FUNCTIONS = {
  authorize: {
    entry: 'functions/ws/authorize.ts',
    description: 'WebSocket $connect authorizer: verifies the id token from ?token=',
    // main:read for the caller's session record (revocation).
    access: ['main:read'],
  },
  connect: {
    entry: 'functions/ws/connect.ts',
    description: 'WebSocket $connect: registers the connection',
    access: ['main:write'],
    mainWrites: ['connections'],
  },
  disconnect: {
    entry: 'functions/ws/disconnect.ts',
    description: 'WebSocket $disconnect: removes the connection',
    access: ['main:write'],
    mainWrites: ['connections'],
  },
  default: {
    entry: 'functions/ws/default.ts',
    description: 'WebSocket $default: sendMessage, markRead and ping, answered through @connections',
    access: ['main:write', 'connections:manage'],
    mainWrites: ['idempotency', 'conversations', 'connections'],
  },
} as const satisfies Record<string, FunctionDefinition>;

export const TRIGGER_FUNCTIONS = {
  postConfirmation: {
    entry: 'functions/triggers/post-confirmation.ts',
    description: 'Cognito PostConfirmation: self-signed-up users join the staff group and get a profile',
    access: ['main:write', 'userpool:read', 'userpool:groups'],
    mainWrites: ['staffProfiles', 'staffProfileLinks'],
  },
  postAuthentication: {
    entry: 'functions/triggers/post-authentication.ts',
    description: 'Cognito PostAuthentication: records every login on the user audit chain',
    // main:write for the login access event; userpool:read for the roles of the actor.
    access: ['main:write', 'userpool:read'],
    mainWrites: ['accessEvents'],
  },
} as const satisfies Record<string, FunctionDefinition>;

export {
  BUCKET_EVENT_FUNCTIONS,
  type BucketEventFunctionDefinition,
} from './bucket-event-functions.ts';
export { QUEUE_FUNCTIONS, type QueueFunctionDefinition } from './queue-functions.ts';
export {
  SCHEDULED_FUNCTIONS,
  type ScheduledFunctionDefinition,
} from './scheduled-functions.ts';
export { STREAM_CONSUMERS, type StreamConsumerDefinition } from './stream-consumers.ts';
