import { Stack } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { AUDIT_LEDGER_TABLE, MAIN_TABLE, type TableDefinition } from '#data/tables.ts';
import { BATCH_WRITE_SCOPES, partitionPatterns, type WriteScope } from '#data/write-scopes.ts';
import { ENV } from '#runtime/config.ts';
import type { Access, DocumentPrefix, FunctionDefinition } from '#shared/functions.ts';
import { WILDCARD_REASONS } from './nag.ts';

/** What the functions of the stack may be granted, as far as it exists where a function is built. */
export interface AccessTargets {
  key: IKey;
  main?: ITable;
  ledger?: ITable;
  documents?: IBucket;
  /** The Object Lock bucket of ledger digests and archived days, and the digests' signing key. */
  anchors?: { evidence: IBucket; signingKey: IKey };
  identity?: { userPool: IUserPool; client: IUserPoolClient; issuer: string };
  connections?: { apiId: string; stageName: string; endpoint: string };
  /** The webhook delivery queue and its dead-letter queue (infra/webhooks.ts). */
  webhooks?: { queue: IQueue; deadLetters: IQueue };
}

/** One IAM statement; `wildcardReason` explains a `*` its resources cannot avoid. */
export interface AccessGrant {
  statement: PolicyStatement;
  wildcardReason?: string;
}

// Every read is a GetItem, BatchGetItem or Query; no Scan.
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
// A transaction is authorized per item action. A condition check writes nothing and may look at
// another capability's item, so it goes with the reads (table-wide); every action that writes is
// bound to the function's partitions on Main.
const TABLE_CHECK = ['dynamodb:ConditionCheckItem'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
/** The attributes an expiry may name: the ledger's key and its ttl. */
export const LEDGER_EXPIRY_ATTRIBUTES = [
  AUDIT_LEDGER_TABLE.partitionKey.name,
  AUDIT_LEDGER_TABLE.sortKey.name,
  AUDIT_LEDGER_TABLE.timeToLiveAttribute,
];
const KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];

/** The IAM-authorized Cognito calls behind each user pool access, on this pool only. */
export const USER_POOL_ACTIONS = {
  'userpool:read': [
    'cognito-idp:ListUsers',
    'cognito-idp:ListUsersInGroup',
    'cognito-idp:AdminGetUser',
    'cognito-idp:AdminListGroupsForUser',
  ],
  'userpool:groups': ['cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminRemoveUserFromGroup'],
  // Delete only undoes an invitation whose group assignment failed.
  'userpool:create': ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminDeleteUser'],
  'userpool:disable': ['cognito-idp:AdminDisableUser', 'cognito-idp:AdminUserGlobalSignOut'],
  'userpool:signout': ['cognito-idp:AdminUserGlobalSignOut'],
  'userpool:mfa': ['cognito-idp:AdminSetUserMFAPreference'],
} as const satisfies Partial<Record<Access, readonly string[]>>;

export type UserPoolAccess = keyof typeof USER_POOL_ACTIONS;

export const isUserPoolAccess = (access: Access): access is UserPoolAccess => access in USER_POOL_ACTIONS;

const need = <T>(value: T | undefined, access: Access): T => {
  if (value === undefined)
    throw new Error(`access ${access}: its resource does not exist where this function is built`);
  return value;
};

const statement = (actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
  new PolicyStatement({ actions, resources, ...(conditions ? { conditions } : {}) });

const tableArns = (table: ITable, definition: TableDefinition): string[] => [
  table.tableArn,
  ...definition.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
];

// The CMK may be used only through the service that holds the data.
const keyVia = (targets: AccessTargets, service: 'dynamodb' | 's3' | 'sqs', actions: string[]) => {
  const { region, urlSuffix } = Stack.of(targets.key);
  return statement(actions, [targets.key.keyArn], {
    StringEquals: { 'kms:ViaService': `${service}.${region}.${urlSuffix}` },
  });
};

const tableReadGrants = (table: ITable, definition: TableDefinition, targets: AccessTargets) => [
  { statement: statement(TABLE_READ, tableArns(table, definition)) },
  { statement: keyVia(targets, 'dynamodb', KEY_READ) },
];

/**
 * Reads and condition checks table-wide (lists and checks cross capabilities); writes only of
 * items whose partition key matches the function's scopes (`dynamodb:LeadingKeys` is the
 * partition key of the table item written, per item of a batch or transaction).
 */
const mainWriteGrants = (table: ITable, scopes: readonly WriteScope[], targets: AccessTargets) => {
  if (scopes.length === 0)
    throw new Error("access main:write: declare the function's mainWrites (no table-wide write)");
  const within = (patterns: readonly WriteScope[]) => ({
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitionPatterns(patterns) },
  });
  const batched = scopes.filter((scope) => BATCH_WRITE_SCOPES.includes(scope));
  return [
    { statement: statement([...TABLE_READ, ...TABLE_CHECK], tableArns(table, MAIN_TABLE)) },
    { statement: statement(TABLE_WRITE, [table.tableArn], within(scopes)) },
    // The LEIE import writes a month's rows, the notify consumer a change's sync log entries, 25 at
    // a time: BatchWriteItem on those partitions only.
    ...(batched.length > 0
      ? [{ statement: statement(['dynamodb:BatchWriteItem'], [table.tableArn], within(batched)) }]
      : []),
    { statement: keyVia(targets, 'dynamodb', KEY_WRITE) },
  ];
};

/** Reads list the bucket (digests are found by prefix); writes create objects (never delete). */
const evidenceGrants = (bucket: IBucket, write: boolean, targets: AccessTargets): AccessGrant[] => [
  { statement: statement(['s3:ListBucket'], [bucket.bucketArn]) },
  {
    statement: statement(write ? ['s3:PutObject'] : ['s3:GetObject', 's3:GetObjectVersion'], [
      bucket.arnForObjects('*'),
    ]),
    wildcardReason: WILDCARD_REASONS.evidenceObjects,
  },
  { statement: keyVia(targets, 's3', write ? KEY_WRITE : KEY_READ) },
];

/** One statement with the Cognito actions of the given user pool accesses. */
export const userPoolStatement = (
  userPool: IUserPool,
  accesses: readonly UserPoolAccess[],
): PolicyStatement =>
  statement(
    accesses.flatMap((access) => USER_POOL_ACTIONS[access]),
    [userPool.userPoolArn],
  );

/** The bucket's objects under each prefix; a `documents:*` access without prefixes is refused. */
const documentObjects = (bucket: IBucket, prefixes: readonly DocumentPrefix[], access: Access): string[] => {
  if (prefixes.length === 0)
    throw new Error(`access ${access}: declare the function's documentPrefixes (no bucket-wide grant)`);
  return prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));
};

/** Where a function's accesses apply: its document prefixes and its Main partitions. */
export type AccessScopes = Pick<FunctionDefinition, 'documentPrefixes' | 'mainWrites'>;

const grantsOf = (access: Access, targets: AccessTargets, scopes: AccessScopes): AccessGrant[] => {
  const prefixes = scopes.documentPrefixes ?? [];
  switch (access) {
    case 'main:read':
      return tableReadGrants(need(targets.main, access), MAIN_TABLE, targets);
    case 'main:write':
      return mainWriteGrants(need(targets.main, access), scopes.mainWrites ?? [], targets);
    case 'ledger:read':
      return tableReadGrants(need(targets.ledger, access), AUDIT_LEDGER_TABLE, targets);
    case 'ledger:append': {
      // Append only: the ledger's resource policy denies updates and deletes to everyone anyway.
      const ledger = need(targets.ledger, access);
      return [
        { statement: statement(['dynamodb:PutItem'], [ledger.tableArn]) },
        { statement: keyVia(targets, 'dynamodb', KEY_WRITE) },
      ];
    }
    case 'ledger:expire': {
      // The archive's one write: ttl on an exported entry, naming no attribute but the key and ttl.
      const ledger = need(targets.ledger, access);
      return [
        {
          statement: statement(['dynamodb:UpdateItem'], [ledger.tableArn], {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': LEDGER_EXPIRY_ATTRIBUTES },
          }),
        },
        { statement: keyVia(targets, 'dynamodb', KEY_WRITE) },
      ];
    }
    case 'documents:read':
    case 'documents:write': {
      const bucket = need(targets.documents, access);
      const write = access === 'documents:write';
      return [
        {
          // GetObjectVersion: a verified document is served as the version its verification recorded.
          statement: statement(
            write ? ['s3:PutObject'] : ['s3:GetObject', 's3:GetObjectVersion'],
            documentObjects(bucket, prefixes, access),
          ),
          wildcardReason: WILDCARD_REASONS.documentObjects,
        },
        { statement: keyVia(targets, 's3', write ? KEY_WRITE : KEY_READ) },
      ];
    }
    case 'documents:delete': {
      const bucket = need(targets.documents, access);
      return [
        {
          // A rejected upload is deleted outright: that version, not a delete marker over it.
          statement: statement(
            ['s3:DeleteObject', 's3:DeleteObjectVersion'],
            documentObjects(bucket, prefixes, access),
          ),
          wildcardReason: WILDCARD_REASONS.documentObjects,
        },
      ];
    }
    case 'evidence:read':
    case 'evidence:write':
      return evidenceGrants(need(targets.anchors, access).evidence, access === 'evidence:write', targets);
    case 'ledger:sign':
    case 'ledger:publicKey': {
      const { signingKey } = need(targets.anchors, access);
      const actions = access === 'ledger:sign' ? ['kms:Sign', 'kms:GetPublicKey'] : ['kms:GetPublicKey'];
      return [{ statement: statement(actions, [signingKey.keyArn]) }];
    }
    case 'userpool:read':
    case 'userpool:groups':
    case 'userpool:create':
    case 'userpool:disable':
    case 'userpool:signout':
    case 'userpool:mfa':
      return [{ statement: userPoolStatement(need(targets.identity, access).userPool, [access]) }];
    case 'connections:manage': {
      const { apiId, stageName } = need(targets.connections, access);
      const stack = Stack.of(targets.key);
      const base = `arn:${stack.partition}:execute-api:${stack.region}:${stack.account}:${apiId}/${stageName}`;
      return [
        {
          // POST sends, GET describes, DELETE closes; the connection id is only known at run time.
          statement: statement(
            ['execute-api:ManageConnections'],
            ['POST', 'GET', 'DELETE'].map((method) => `${base}/${method}/@connections/*`),
          ),
          wildcardReason: WILDCARD_REASONS.connectionIds,
        },
      ];
    }
    case 'webhooks:send': {
      // Send only, to these two queues: receiving is the delivery function's event source's.
      const { queue, deadLetters } = need(targets.webhooks, access);
      return [
        { statement: statement(['sqs:SendMessage'], [queue.queueArn, deadLetters.queueArn]) },
        { statement: keyVia(targets, 'sqs', ['kms:Decrypt', 'kms:GenerateDataKey']) },
      ];
    }
  }
};

export const accessGrants = (
  access: readonly Access[],
  targets: AccessTargets,
  scopes: AccessScopes = {},
): AccessGrant[] => access.flatMap((item) => grantsOf(item, targets, scopes));

/** The environment a function needs for what it may touch (names from shared/runtime/config.ts). */
export const accessEnvironment = (
  access: readonly Access[],
  targets: AccessTargets,
): Record<string, string> => {
  const env: Record<string, string> = {};
  const { identity, connections } = targets;
  if (identity) {
    env[ENV.userPoolId] = identity.userPool.userPoolId;
    env[ENV.userPoolClientId] = identity.client.userPoolClientId;
    env[ENV.jwtIssuer] = identity.issuer;
  }
  for (const item of access) {
    if (item.startsWith('main:')) env[ENV.mainTable] = need(targets.main, item).tableName;
    if (item.startsWith('ledger:')) env[ENV.ledgerTable] = need(targets.ledger, item).tableName;
    if (item.startsWith('documents:')) env[ENV.documentsBucket] = need(targets.documents, item).bucketName;
    if (item.startsWith('evidence:'))
      env[ENV.evidenceBucket] = need(targets.anchors, item).evidence.bucketName;
    if (item === 'ledger:sign' || item === 'ledger:publicKey') {
      env[ENV.ledgerSigningKeyId] = need(targets.anchors, item).signingKey.keyArn;
    }
    if (item === 'connections:manage') env[ENV.wsManagementEndpoint] = need(connections, item).endpoint;
    if (item === 'webhooks:send') {
      const { queue, deadLetters } = need(targets.webhooks, item);
      env[ENV.webhookQueueUrl] = queue.queueUrl;
      env[ENV.webhookDeadLetterQueueUrl] = deadLetters.queueUrl;
    }
  }
  return env;
};
