/**
 * Every Lambda function, declared once: the CDK stack creates each with the grants it lists
 * (least privilege), and the local twin loads the same entry modules.
 */

/** What a function may touch. The stack turns each into the narrowest IAM grant. */
export type Access =
  | 'main:read'
  | 'main:write'
  | 'ledger:read'
  | 'ledger:append'
  | 'documents:read'
  | 'documents:write'
  | 'userpool:read'
  | 'userpool:groups'
  | 'userpool:create'
  | 'userpool:disable'
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
    // main:write for the login throttle counters; the Cognito client calls need no IAM.
    access: ['main:write', 'userpool:read'],
  },
  users: {
    entry: 'functions/http/users.ts',
    description: 'Users and roles: invite, list, change roles, disable',
    // main:write for idempotency records of invitations.
    access: ['main:write', 'userpool:read', 'userpool:groups', 'userpool:create', 'userpool:disable'],
  },
} as const satisfies Record<string, FunctionDefinition>;

export type HttpFunctionName = keyof typeof HTTP_FUNCTIONS;

export const WS_FUNCTIONS = {
  authorize: {
    entry: 'functions/ws/authorize.ts',
    description: 'WebSocket $connect authorizer: verifies the id token from ?token=',
    access: [],
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
} as const satisfies Record<string, FunctionDefinition>;

export const TRIGGER_FUNCTIONS = {
  postConfirmation: {
    entry: 'functions/triggers/post-confirmation.ts',
    description: 'Cognito PostConfirmation: self-signed-up users join the staff group',
    access: ['userpool:read', 'userpool:groups'],
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
export const STREAM_CONSUMERS: Record<string, StreamConsumerDefinition> = {};
export const SCHEDULED_FUNCTIONS: Record<string, ScheduledFunctionDefinition> = {};
