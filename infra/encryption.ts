import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * Grants of the key only for AWS resources (DynamoDB, Lambda, Logs create them on a caller's
 * behalf) or AWS services: no principal can hand its use on to another by a grant of its own
 * (Control Tower CT.KMS.PR.3).
 */
export const limitGrantsToAwsServices = (key: IKey): void => {
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'GrantsOnlyForAwsResources',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: {
        BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
      },
    }),
  );
};

/**
 * The stack's one customer managed key: tables, documents, logs, queues, topic and secrets.
 * IAM policies of the account grant its use (the default key policy trusts the account); the
 * statements below let the AWS services that encrypt on their own behalf use it too.
 */
export class EncryptionKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { account, partition, region, urlSuffix } = Stack.of(this);
    this.key = new Key(this, 'Key', {
      description: 'Shiftline: tables, documents, logs, queues, alarms topic and secrets',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    limitGrantsToAwsServices(this.key);
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsOfThisAccount',
        principals: [new ServicePrincipal(`logs.${region}.${urlSuffix}`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*`,
          },
        },
      }),
    );
    // Alarms publish to the encrypted topic; EventBridge dead-letters into encrypted queues.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AlarmsAndEventBridgeOfThisAccount',
        principals: [
          new ServicePrincipal('cloudwatch.amazonaws.com'),
          new ServicePrincipal('events.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
  }
}
