/**
 * Every Lambda function, declared once: the CDK stack creates each with the grants it lists
 * (least privilege), and the local twin loads the same entry modules.
 */
import { AUDITED_KINDS } from '#domain/audit/item-changes.ts';
import { NOTIFY_KINDS } from '#domain/realtime/frames.ts';

/** What a function may touch. The stack turns each into the narrowest IAM grant. */
export type Access =
  | 'main:read'
  | 'main:write'
  | 'ledger:read'
  | 'ledger:append'
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
  | 'connections:manage';

/** Files of an npm package copied beside a bundle (package dir → bundle subdir, flat). */
export interface AssetCopy {
  fromPackage: string;
  files: readonly string[];
  into: string;
}

export interface FunctionDefinition {
  entry: string;
  description: string;
  access: readonly Access[];
  /** Extra files copied beside the bundle; several packages share one `into`. */
  assets?: AssetCopy | readonly AssetCopy[];
  memoryMb?: number;
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
  },
  credentialing: {
    entry: 'functions/http/credentialing.ts',
    description: 'Credentialing file: verification records and primary-source checks',
    // documents:write keeps each source's answer as evidence.
    access: ['main:write', 'documents:write'],
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
      // A message sent through GraphQL is delivered live as a REST send is.
      'connections:manage',
      // The ledger's digests and their verification (/audit/digests, /audit/verify).
      'evidence:read',
      'ledger:publicKey',
    ],
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

/** A function run by an EventBridge schedule (the credential expiry sweep). */
export interface ScheduledFunctionDefinition extends FunctionDefinition {
  /** EventBridge cron fields, UTC; `day` (of the month) defaults to every day. */
  schedule: { minute: string; hour: string; day?: string };
}

// Capabilities register their consumers and schedules here as they land (audit, notify, expiry).
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
    // Reads memberships and connections, writes counters and forgets stale connections.
    access: ['main:write', 'connections:manage'],
    // Exactly the kinds that can make a frame (FRAME_MAPPERS in shared/domain/realtime/frames.ts).
    kinds: NOTIFY_KINDS,
    batchSize: 100,
    // Frames are latency-bound: no batching window.
    maxBatchingWindowSeconds: 0,
    retryAttempts: 3,
    // Counters and frames of one item stay in order; different conversations go on concurrently.
    parallelization: 4,
  },
};
export const SCHEDULED_FUNCTIONS: Record<string, ScheduledFunctionDefinition> = {
  credentialExpiry: {
    entry: 'functions/schedule/credential-expiry.ts',
    description: 'Daily credential expiry sweep: warnings at 90/60/30/7 days, past-due credentials expire',
    access: ['main:write'],
    // 06:00 UTC: after midnight everywhere in the US, before the working day.
    schedule: { minute: '0', hour: '6' },
  },
  exclusionMonitoring: {
    entry: 'functions/schedule/exclusion-monitoring.ts',
    description: 'Monthly exclusion monitoring: approved staff re-screened against the LEIE, matches flagged',
    // documents:write keeps each screen's evidence.
    access: ['main:write', 'documents:write'],
    // The 2nd at 07:00 UTC: after OIG's monthly file is out and imported.
    schedule: { minute: '0', hour: '7', day: '2' },
  },
  ledgerDigest: {
    entry: 'functions/schedule/ledger-digest.ts',
    description: 'Hourly ledger digest: every changed chain head, signed (KMS) into the Object Lock bucket',
    // Reads the hour's entries; creates the digest and reads the previous one; signs with the key.
    access: ['ledger:read', 'evidence:read', 'evidence:write', 'ledger:sign'],
    // Five minutes past: the stream consumer has caught up with the hour (the window also
    // covers the hour before, for a consumer running late).
    schedule: { minute: '5', hour: '*' },
  },
};

export {
  BUCKET_EVENT_FUNCTIONS,
  type BucketEventFunctionDefinition,
} from './bucket-event-functions.ts';
