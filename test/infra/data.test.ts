import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AUDIT_LEDGER_TABLE, keyAttributesOf, MAIN_TABLE, type TableDefinition } from '#data/tables.ts';
import { LEDGER_DENIED_ACTIONS } from '../../infra/data.ts';
import type { ScheduledFunction } from '../../infra/scheduled-function.ts';
import type { StreamConsumer } from '../../infra/stream-consumer.ts';
import { arnOf, logicalId, ref, resources, statementsOfRole, synthShiftline } from './synth.ts';

const { stack, template } = synthShiftline();
const { data, storage } = stack;
const key = stack.node.findChild('Encryption').node.findChild('Key');

const keySchema = (definition: Pick<TableDefinition, 'partitionKey' | 'sortKey'>) => [
  { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
  { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
];

const tableOf = (construct: typeof data.main) => resources(template)[logicalId(construct)];

describe.each([
  ['Main', MAIN_TABLE, () => data.main],
  ['AuditLedger', AUDIT_LEDGER_TABLE, () => data.ledger],
] as const)('%s table', (_name, definition, table) => {
  it('has the keys and indexes of its definition', () => {
    const props = tableOf(table())?.Properties ?? {};
    expect(props.KeySchema).toEqual(keySchema(definition));
    expect(props.AttributeDefinitions).toEqual(
      keyAttributesOf(definition).map(({ name, type }) => ({ AttributeName: name, AttributeType: type })),
    );
    expect(props.GlobalSecondaryIndexes).toEqual(
      definition.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index),
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('is on demand, recoverable to the second, KMS-encrypted with the stack key and kept', () => {
    const resource = tableOf(table());
    expect(resource?.DeletionPolicy).toBe('Retain');
    expect(resource?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: arnOf(key) },
      DeletionProtectionEnabled: true,
    });
  });

  it('is in the daily backup plan', () => {
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ Resources: Match.arrayWith([arnOf(table())]) }),
    });
  });
});

describe('Main table', () => {
  it('streams new and old images and expires items by ttl', () => {
    expect(tableOf(data.main)?.Properties).toMatchObject({
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: MAIN_TABLE.timeToLiveAttribute, Enabled: true },
    });
  });
});

describe('AuditLedger table', () => {
  it('denies every principal any edit or delete of an entry', () => {
    const policy = tableOf(data.ledger)?.Properties?.ResourcePolicy as {
      PolicyDocument: { Statement: { Effect: string; Principal: unknown; Action: string[] }[] };
    };
    expect(policy.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: LEDGER_DENIED_ACTIONS }),
      expect.objectContaining({ Sid: 'UpdatesOnlyExpire', Effect: 'Deny', Principal: '*' }),
      expect.objectContaining({
        Sid: 'OnlyTheAuditConsumerAppends',
        Effect: 'Deny',
        Principal: '*',
        Action: 'dynamodb:PutItem',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': expect.anything() } },
      }),
      expect.objectContaining({
        Sid: 'OnlyTheArchiveExpires',
        Effect: 'Deny',
        Principal: '*',
        Action: 'dynamodb:UpdateItem',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': expect.anything() } },
      }),
    ]);
  });

  it('lets only the archive role update an entry, and then only its key and ttl (aws:PrincipalArn, dynamodb:Attributes)', () => {
    const policy = tableOf(data.ledger)?.Properties?.ResourcePolicy as {
      PolicyDocument: { Statement: { Sid?: string; Action?: unknown; Condition?: unknown }[] };
    };
    const statements = policy.PolicyDocument.Statement;
    const archive = stack.node.findChild('LedgerArchiveSchedule') as ScheduledFunction;
    const updatesDenied = statements.filter(({ Action }) => [Action].flat().includes('dynamodb:UpdateItem'));

    expect(updatesDenied).toEqual([
      expect.objectContaining({
        Sid: 'UpdatesOnlyExpire',
        Condition: { 'ForAnyValue:StringNotEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'ttl'] } },
      }),
      expect.objectContaining({
        Sid: 'OnlyTheArchiveExpires',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': arnOf(archive.handler.role) } },
      }),
    ]);
    expect(LEDGER_DENIED_ACTIONS).toEqual(
      expect.arrayContaining(['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate']),
    );
  });

  it("grants the archive role UpdateItem of the ledger's key and ttl alone", () => {
    const archive = stack.node.findChild('LedgerArchiveSchedule') as ScheduledFunction;
    const updates = statementsOfRole(template, archive.handler.role).filter(({ Action }) =>
      [Action].flat().includes('dynamodb:UpdateItem'),
    );

    expect(updates).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:UpdateItem',
        Resource: arnOf(data.ledger),
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'ttl'] } },
      }),
    ]);
  });

  it('lets only the audit consumer role put entries (aws:PrincipalArn)', () => {
    const policy = tableOf(data.ledger)?.Properties?.ResourcePolicy as {
      PolicyDocument: { Statement: { Sid?: string; Condition?: Record<string, Record<string, unknown>> }[] };
    };
    const onlyConsumer = policy.PolicyDocument.Statement.find(
      ({ Sid }) => Sid === 'OnlyTheAuditConsumerAppends',
    );
    const consumer = stack.node.findChild('AuditConsumer') as StreamConsumer;
    expect(onlyConsumer?.Condition).toEqual({
      ArnNotEquals: { 'aws:PrincipalArn': arnOf(consumer.handler.role) },
    });
  });

  it('has no stream of its own', () => {
    expect(tableOf(data.ledger)?.Properties?.StreamSpecification).toBeUndefined();
  });
});

describe('encryption key', () => {
  it('rotates and survives the stack', () => {
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
  });
});

describe('documents bucket', () => {
  const bucket = () => resources(template)[logicalId(storage.documents)];

  it('is private, KMS-encrypted with the stack key, versioned and access-logged', () => {
    expect(bucket()?.DeletionPolicy).toBe('Retain');
    expect(bucket()?.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(key) },
            BucketKeyEnabled: true,
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: ref(storage.accessLogs) },
    });
  });

  it('expires old versions and abandoned uploads', () => {
    expect(bucket()?.Properties?.LifecycleConfiguration).toMatchObject({
      Rules: [
        {
          Status: 'Enabled',
          NoncurrentVersionExpiration: { NoncurrentDays: 90 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ],
    });
  });

  it('refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(storage.documents),
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it('denies every PutObject without If-None-Match, so an object is created once and never overwritten', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(storage.documents),
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            Condition: { Null: { 's3:if-none-match': 'true' } },
          }),
        ]),
      }),
    });
  });

  it('sends Object Created to EventBridge, where a rule runs the upload inspection for credentials/', () => {
    expect(bucket()?.Properties?.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [ref(storage.documents)] }, object: { key: [{ prefix: 'credentials/' }] } },
      },
    });
  });

  it('lets browsers of the configured origins PUT and GET through presigned URLs', () => {
    type CorsRule = { AllowedMethods: string[]; AllowedOrigins: string[] };
    const cors = (props: Record<string, unknown> = {}): CorsRule => {
      const [rule] = (props.CorsConfiguration as { CorsRules: CorsRule[] }).CorsRules;
      if (!rule) throw new Error('no CORS rule');
      return rule;
    };
    expect(cors(bucket()?.Properties)).toMatchObject({
      AllowedMethods: ['PUT', 'GET', 'HEAD'],
      AllowedOrigins: ['http://localhost:5173'],
    });
    const custom = synthShiftline({ allowedOrigins: 'https://app.example.org,https://admin.example.org' });
    const customBucket = resources(custom.template)[logicalId(custom.stack.storage.documents)];
    expect(cors(customBucket?.Properties).AllowedOrigins).toEqual([
      'https://app.example.org',
      'https://admin.example.org',
    ]);
  });
});
