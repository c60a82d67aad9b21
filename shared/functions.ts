/**
 * Every Lambda function, declared once: the CDK stack creates each with the grants it lists
 * (least privilege), and the local twin loads the same entry modules.
 */
import { AUDITED_KINDS } from '#domain/audit/item-changes.ts';
import { NOTIFY_KINDS } from '#domain/realtime/frames.ts';

/**
 * The key prefix of each area of the documents bucket: a function's S3 grant covers its area's
 * prefix only (credential documents for the credentials function, attachments for messaging).
 */
export const DOCUMENT_AREAS = {
  'credential-documents': 'credentials/',
  attachments: 'conversations/',
} as const;

export type DocumentArea = keyof typeof DOCUMENT_AREAS;

/** What a function may touch. The stack turns each into the narrowest IAM grant. */
export type Access =
  | 'main:read'
  | 'main:write'
  | 'ledger:read'
  | 'ledger:append'
  | `${DocumentArea}:read`
  | `${DocumentArea}:write`
  | 'userpool:read'
  | 'userpool:groups'
  | 'userpool:create'
  | 'userpool:disable'
  | 'userpool:signout'
  | 'connections:manage';

export interface FunctionDefinition {
  entry: string;
  description: string;
  access: readonly Access[];
  /** Extra files copied beside the bundle (npm package dir → bundle subdir). */
  assets?: { fromPackage: string; files: readonly string[]; into: string };
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
    // userpool:read to check who a conversation is opened with; documents for attachments.
    access: ['main:write', 'userpool:read', 'attachments:read', 'attachments:write'],
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
    access: ['main:write', 'credential-documents:read', 'credential-documents:write'],
  },
  audit: {
    entry: 'functions/http/audit.ts',
    description: 'The audit ledger: entries, chains and their verification (admin; credentialing in part)',
    // main:read for verify: the change counts kept on the chain's items in Main.
    access: ['ledger:read', 'main:read'],
  },
} as const satisfies Record<string, FunctionDefinition>;

export type HttpFunctionName = keyof typeof HTTP_FUNCTIONS;

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
}

/** A function run by an EventBridge schedule (the credential expiry sweep). */
export interface ScheduledFunctionDefinition extends FunctionDefinition {
  /** EventBridge cron fields, UTC. */
  schedule: { minute: string; hour: string };
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
};
