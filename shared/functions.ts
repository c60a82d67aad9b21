/**
 * Every Lambda function, declared once: the CDK stack creates each with the grants it lists
 * (least privilege), and the local twin loads the same entry modules.
 */
import { AUDITED_KINDS } from '#domain/audit/item-changes.ts';
import { NOTIFY_KINDS } from '#domain/realtime/frames.ts';
import { SYNC_KINDS } from '#domain/sync/fan-out.ts';

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
  },
  users: {
    entry: 'functions/http/users.ts',
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
  },
  contracts: {
    entry: 'functions/http/contracts.ts',
    description: 'Contracts: drafts, versioned terms, offer, acknowledgement, lifecycle',
    // Also reads staff profiles (ownership) and credentials (gating) in Main.
    access: ['main:write'],
  },
  appointments: {
    entry: 'functions/http/appointments.ts',
    description: 'Appointments: booking without double-booking, edits, confirmation, outcomes',
    access: ['main:write'],
  },
  messaging: {
    entry: 'functions/http/messaging.ts',
    description: 'Conversations, messages, read receipts and attachments',
    // userpool:read to check who a conversation is opened with; documents for attachments;
    // connections:manage to post a sent message to the participants' sockets at once.
    access: ['main:write', 'userpool:read', 'documents:read', 'documents:write', 'connections:manage'],
    documentPrefixes: ['conversations/'],
  },
  staff: {
    entry: 'functions/http/staff.ts',
    description: 'Staff profiles: create, list, read, edit',
    // userpool:read to check that a new profile's user exists.
    access: ['main:write', 'userpool:read'],
  },
  credentials: {
    entry: 'functions/http/credentials.ts',
    description: 'Credentials: verification, documents, work queue and the expiry sweep on demand',
    access: ['main:write', 'documents:read', 'documents:write'],
    documentPrefixes: ['credentials/'],
  },
  credentialing: {
    entry: 'functions/http/credentialing.ts',
    description: 'Credentialing file: verification records and primary-source checks',
    // documents:write keeps each source's answer as evidence.
    access: ['main:write', 'documents:write'],
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
  },
  sync: {
    entry: 'functions/http/sync.ts',
    description:
      "Offline sync: the caller's changes since a cursor, from the change log the notify consumer keeps",
    // main:write for the access event of a date of birth read, as the staff route records it.
    access: ['main:write'],
  },
  webhooks: {
    entry: 'functions/http/webhooks.ts',
    description: 'Outbound webhooks: endpoints, secrets, deliveries and replays (admin)',
    // webhooks:send to queue a replayed delivery.
    access: ['main:write', 'webhooks:send'],
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
  },
  disconnect: {
    entry: 'functions/ws/disconnect.ts',
    description: 'WebSocket $disconnect: removes the connection',
    access: ['main:write'],
  },
  default: {
    entry: 'functions/ws/default.ts',
    description: 'WebSocket $default: sendMessage, markRead and ping, answered through @connections',
    access: ['main:write', 'connections:manage'],
  },
} as const satisfies Record<string, FunctionDefinition>;

export const TRIGGER_FUNCTIONS = {
  postConfirmation: {
    entry: 'functions/triggers/post-confirmation.ts',
    description: 'Cognito PostConfirmation: self-signed-up users join the staff group and get a profile',
    access: ['main:write', 'userpool:read', 'userpool:groups'],
  },
  postAuthentication: {
    entry: 'functions/triggers/post-authentication.ts',
    description: 'Cognito PostAuthentication: records every login on the user audit chain',
    // main:write for the login access event; userpool:read for the roles of the actor.
    access: ['main:write', 'userpool:read'],
  },
} as const satisfies Record<string, FunctionDefinition>;

/** A DynamoDB stream consumer of the Main table (audit, notify). */
export interface StreamConsumerDefinition extends FunctionDefinition {
  /** Event-source filter: only records whose NewImage.kind is one of these invoke the function. */
  kinds: readonly string[];
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** Retries before the batch goes to the dead-letter queue (bisecting on error). */
  retryAttempts: number;
  /**
   * Concurrent batches per shard (Lambda's ParallelizationFactor, 1–10): records of one
   * partition key stay in order on one lane, different keys go on concurrently.
   */
  parallelization: number;
}

export const STREAM_CONSUMERS: Record<string, StreamConsumerDefinition> = {
  audit: {
    entry: 'functions/streams/audit.ts',
    description: 'Appends one tamper-evident audit ledger entry per audited change of Main',
    // Reads its chains' newest entries; PutItem only (the ledger's resource policy denies the rest).
    access: ['ledger:read', 'ledger:append'],
    // Entity items, membership read receipts and access events: never connections, throttle
    // counters or idempotency records (shared/domain/audit/item-changes.ts).
    kinds: Object.keys(AUDITED_KINDS),
    batchSize: 100,
    maxBatchingWindowSeconds: 0,
    retryAttempts: 5,
    // One chain per item key: chains append concurrently, each in order.
    parallelization: 4,
  },
  notify: {
    entry: 'functions/streams/notify.ts',
    description: 'Table changes → WebSocket frames to live connections; conversation membership counters',
    // Reads memberships and connections, writes counters and forgets stale connections;
    // writes webhook deliveries and queues them (webhooks:send).
    access: ['main:write', 'connections:manage', 'webhooks:send'],
    // Exactly the kinds that can make a frame (FRAME_MAPPERS in shared/domain/realtime/frames.ts),
    // a change of offline sync's log (shared/domain/sync/fan-out.ts) or a webhook event.
    kinds: [...new Set([...NOTIFY_KINDS, ...SYNC_KINDS])],
    batchSize: 100,
    // Frames are latency-bound: no batching window.
    maxBatchingWindowSeconds: 0,
    retryAttempts: 3,
    // Counters and frames of one item stay in order; different conversations go on concurrently.
    parallelization: 4,
  },
};

export {
  BUCKET_EVENT_FUNCTIONS,
  type BucketEventFunctionDefinition,
} from './bucket-event-functions.ts';
export { QUEUE_FUNCTIONS, type QueueFunctionDefinition } from './queue-functions.ts';
export {
  SCHEDULED_FUNCTIONS,
  type ScheduledFunctionDefinition,
} from './scheduled-functions.ts';
