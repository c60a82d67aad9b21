/** The ledger's anchors in the stack: the Object Lock bucket, the signing key, the hourly digest and who may touch them. */
import { describe, expect, it } from 'vitest';
import { ENV } from '#runtime/config.ts';
import type { ShiftlineFunction } from '../../infra/lambda.ts';
import type { ScheduledFunction } from '../../infra/scheduled-function.ts';
import { actionsOf, arnOf, logicalId, resources, statementsOfRole, synthShiftline } from './synth.ts';

const { stack, template } = synthShiftline();
const { evidence, signingKey } = stack.anchors;
const resourceOf = (construct: Parameters<typeof logicalId>[0]) => resources(template)[logicalId(construct)];
const digest = stack.node.findChild('LedgerDigestSchedule') as ScheduledFunction;
const auditFunction: ShiftlineFunction | undefined = stack.http.functions.audit;

describe('the evidence bucket', () => {
  it('locks every object in compliance mode for six years, versioned, KMS-encrypted and kept', () => {
    const bucket = resourceOf(evidence);

    expect(bucket?.DeletionPolicy).toBe('Retain');
    expect(bucket?.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 6 * 365 + 2 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          expect.objectContaining({
            ServerSideEncryptionByDefault: expect.objectContaining({ SSEAlgorithm: 'aws:kms' }),
          }),
        ],
      },
    });
  });

  it('refuses every overwrite and delete, whoever asks', () => {
    const policy = Object.values(resources(template, 'AWS::S3::BucketPolicy')).find(
      (resource) =>
        JSON.stringify(resource.Properties?.Bucket) === JSON.stringify({ Ref: logicalId(evidence) }),
    );
    const document = policy?.Properties?.PolicyDocument as { Statement: { Sid?: string }[] } | undefined;
    const statements = document?.Statement ?? [];

    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Sid: 'CreateOnceNeverOverwrite', Effect: 'Deny' }),
        expect.objectContaining({
          Sid: 'NoDeleteMarkers',
          Effect: 'Deny',
          Action: [
            's3:DeleteObject',
            's3:DeleteObjectVersion',
            's3:PutObjectRetention',
            's3:PutObjectLegalHold',
          ],
        }),
      ]),
    );
  });
});

describe('the digest signing key', () => {
  it('is an ECDSA P-256 signing key, kept', () => {
    const key = resourceOf(signingKey);

    expect(key?.DeletionPolicy).toBe('Retain');
    expect(key?.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  });
});

describe('ledgerDigest', () => {
  it('runs hourly, five minutes past', () => {
    expect(resourceOf(digest.rule)?.Properties?.ScheduleExpression).toBe('cron(5 * * * ? *)');
  });

  it('signs with the key and creates objects in the evidence bucket, and nothing more there', () => {
    const statements = statementsOfRole(template, digest.handler.role);
    const onKey = statements.filter(
      (statement) => JSON.stringify(statement.Resource) === JSON.stringify(arnOf(signingKey)),
    );
    const objectActions = statements
      .filter((statement) => JSON.stringify(statement.Resource).includes(logicalId(evidence)))
      .flatMap(actionsOf);

    expect(onKey.flatMap(actionsOf).sort()).toEqual(['kms:GetPublicKey', 'kms:Sign']);
    expect(objectActions.sort()).toEqual([
      's3:GetObject',
      's3:GetObjectVersion',
      's3:ListBucket',
      's3:PutObject',
    ]);
    expect(resourceOf(digest.handler.fn)?.Properties?.Environment).toMatchObject({
      Variables: {
        [ENV.evidenceBucket]: { Ref: logicalId(evidence) },
        [ENV.ledgerSigningKeyId]: arnOf(signingKey),
      },
    });
  });

  it('leaves the audit API the public key only: it reads digests, never signs or writes them', () => {
    if (!auditFunction) throw new Error('no audit function');
    const actions = statementsOfRole(template, auditFunction.role).flatMap(actionsOf);

    expect(actions).toContain('kms:GetPublicKey');
    expect(actions).not.toContain('kms:Sign');
    expect(actions).not.toContain('s3:PutObject');
  });
});

describe('what the Control Tower pack asked for', () => {
  it('lets every key be granted only for AWS resources or to AWS services', () => {
    const keys = Object.values(resources(template, 'AWS::KMS::Key'));
    const denies = keys.map((key) => {
      const policy = key.Properties?.KeyPolicy as { Statement: { Sid?: string }[] } | undefined;
      return policy?.Statement.find(({ Sid }) => Sid === 'GrantsOnlyForAwsResources');
    });

    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const deny of denies) {
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Action: 'kms:CreateGrant',
        Condition: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      });
    }
  });

  it('names the account on every permission that lets an AWS service invoke a function', () => {
    const permissions = Object.values(resources(template, 'AWS::Lambda::Permission'));

    expect(permissions.length).toBeGreaterThan(0);
    for (const permission of permissions) {
      expect(permission.Properties?.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
    }
  });
});
