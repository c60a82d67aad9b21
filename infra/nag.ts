import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { Stack, type Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, ServerlessChecks } from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 is a validation plugin (not an Aspect): findings land in the synth's
 * policy-validation-report.json, errors fail the synth. Beside it, a second pack from outside:
 * AWS Control Tower's proactive controls (CloudFormation Guard rules, cfn-guard shipped with
 * the plugin), acknowledged through the same mechanism.
 */
export const applyNag = (app: Stage): void => {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new ServerlessChecks(app),
    // The synthesized template outgrows Node's default 1 MB of cfn-guard output.
    new CfnGuardValidator({ maxBuffer: 64 * 1024 * 1024 }),
  );
};

/** A Control Tower rule's id as acknowledgements name it (the plugin's namespace, then the rule). */
const guard = (rule: string): string => `cdk-validator-cfnguard::${rule}`;

/** Rules a construct knowingly does not follow, and why. */
export interface Acknowledgement {
  ids: readonly string[];
  reason: string;
}

/**
 * Every acknowledgement of the stack, in one place: the AWS choices of DESIGN.md and the rules
 * that do not apply. Each is applied to the narrowest construct it concerns.
 */
export const ACKNOWLEDGEMENTS = {
  noVpc: {
    ids: ['HIPAA.Security-LambdaInsideVPC', guard('lambda_inside_vpc_check')],
    reason:
      'No VPC by design (DESIGN.md "AWS choices"): every dependency is a public AWS endpoint over TLS, and a VPC would need NAT for @connections and the JWKS.',
  },
  optionalMfa: {
    ids: ['AwsSolutions-COG2'],
    reason:
      'MFA is optional TOTP pool-wide: the service requires it per role (admin, credentialing) at login and in every request\'s session check (docs/decisions.md "MFA per role").',
  },
  featurePlan: (plan: string): Acknowledgement => ({
    ids: ['AwsSolutions-COG8'],
    reason: `Cognito feature plan ${plan} by choice (DESIGN.md "AWS choices", context cognitoFeaturePlan): threat protection needs PLUS, at several times the price per MAU.`,
  }),
  synchronousInvocation: (caller: string): Acknowledgement => ({
    ids: ['Serverless-LambdaDLQ', 'HIPAA.Security-LambdaDLQ'],
    reason: `Invoked synchronously by ${caller}, which receives the error; a Lambda DLQ only ever holds failed asynchronous invocations.`,
  }),
  terminalDeadLetterQueue: {
    ids: ['Serverless-SQSRedrivePolicy', guard('sqs_dlq_check')],
    reason:
      'This queue is the end of the line (a dead-letter queue of a function, rule or stream, not of a queue, so no RedriveAllowPolicy names sources): a redrive policy would need yet another queue behind it.',
  },
  streamFailureQueue: {
    ids: ['AwsSolutions-SQS3'],
    reason:
      "This queue is a dead-letter queue: the on-failure destination of the stream's event source mapping, which cdk-nag does not recognize as one.",
  },
  sqsGrantKeyActions: {
    ids: ['AwsSolutions-IAM5[Action::kms:ReEncrypt*]', 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]'],
    reason:
      "CDK's grant to send to the KMS-encrypted on-failure queue (SqsDlq); it is limited to the stack's own key.",
  },
  sqsEventSourceRedrive: {
    ids: ['Serverless-LambdaEventSourceMappingDestination'],
    reason:
      "An SQS event source takes no on-failure destination (Lambda offers them for streams and Kafka only): what the function cannot handle goes to the queue's dead-letter queue by its redrive policy.",
  },
  publicRoute: (operationId: string, summary: string): Acknowledgement => ({
    ids: ['AwsSolutions-APIG4', guard('api_gw_v2_authorization_type_configured_check')],
    reason: `Marked public in the route table (shared/routes.ts): ${operationId} ("${summary}") is called without a token.`,
  }),
  webSocketRouteAfterConnect: {
    ids: ['AwsSolutions-APIG4', guard('api_gw_v2_authorization_type_configured_check')],
    reason:
      'API Gateway authorizes a WebSocket connection once, at $connect; later frames and $disconnect belong to that authorized connection and cannot carry an authorizer.',
  },
  apiGatewayAccountRole: {
    ids: [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    ],
    reason:
      "API Gateway's account-level logging role serves every API of the account and region; AWS maintains this policy as the service adds log actions.",
  },
  backupServiceRole: {
    ids: [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
    ],
    reason:
      'AWS Backup assumes this role with the policy AWS maintains for it; a hand-kept copy would drift as AWS Backup adds resource types.',
  },
  cursorSecretRotation: {
    ids: ['AwsSolutions-SMG4', 'HIPAA.Security-SecretsManagerRotationEnabled'],
    reason:
      'HMAC key of list cursors, read by the functions at cold start: rotating it would only invalidate open cursors (the client restarts its listing), so it is replaced by hand when needed rather than by a rotation function.',
  },
  accessLogBucketEncryption: {
    ids: ['HIPAA.Security-S3DefaultEncryptionKMS', guard('s3_bucket_default_encryption_kms_check')],
    reason: 'S3 delivers server access logs only to buckets whose default encryption is SSE-S3, not SSE-KMS.',
  },
  accessLogBucketItself: {
    ids: [guard('s3_bucket_logging_enabled_check'), guard('s3_bucket_object_lock_enabled_check')],
    reason:
      'The access-log bucket: logging it into itself would log its own log deliveries without end, and its logs expire after a year (lifecycle), which Object Lock would forbid; what must not change lives in the evidence bucket.',
  },
  documentsWithoutObjectLock: {
    ids: [guard('s3_bucket_object_lock_enabled_check')],
    reason:
      'Uploads are inspected when they land and a mismatched object version is deleted (documentUploaded), which Object Lock forbids; every object is created once (If-None-Match: *, bucket policy), a verification records its version and SHA-256, versions are kept, and the ledger evidence lives in the Object Lock bucket.',
  },
  singleRegion: {
    ids: ['HIPAA.Security-S3BucketReplicationEnabled'],
    reason:
      'Single-region deployment: versioning (noncurrent versions kept 90 days) recovers overwritten or deleted objects; cross-region replication is a disaster-recovery decision that needs a second region, key and bucket.',
  },
  accountOnlyAtDeploy: {
    ids: [guard('lambda_function_public_access_prohibited_check')],
    reason:
      'Synthesized without an account (offline): SourceAccount is the deploying account (Ref AWS::AccountId), which the rule accepts only as a literal id; a synth for an account names it and passes (test/infra/nag.test.ts).',
  },
  asymmetricKeyRotation: {
    ids: ['AwsSolutions-KMS5', 'HIPAA.Security-KMSBackingKeyRotationEnabled'],
    reason:
      'KMS cannot rotate asymmetric keys automatically; every digest names the key id that signed it, so a new key can be introduced by hand without breaking old digests.',
  },
} as const;

/** Reasons for wildcards that remain in a resource ARN (AwsSolutions-IAM5 `Resource::` findings). */
export const WILDCARD_REASONS = {
  noResourceArn:
    'Only actions without resource-level permissions use "*": X-Ray trace upload and dynamodb:ListStreams (asserted in test/infra).',
  documentObjects: 'Objects are keyed by document id; the grant covers objects, never the bucket itself.',
  connectionIds: 'Connection ids exist only at run time; the grant is limited to this stage.',
  evidenceObjects:
    'Digests and archived days are keyed by hour and day; the grant covers objects of the evidence bucket only.',
} as const;

/** Acknowledges rules on a construct and everything under it. */
export const acknowledge = (scope: IConstruct, { ids, reason }: Acknowledgement): void => {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
};

/**
 * Acknowledges AwsSolutions-IAM5 for exactly these resources. cdk-nag names each wildcard
 * finding after the flattened resource (`Resource::<Bucket1234.Arn>/*`), so any other wildcard
 * that appears later in the same policy is still reported.
 */
export const acknowledgeWildcardResources = (
  scope: IConstruct,
  resources: readonly string[],
  reason: string,
): void => {
  const stack = Stack.of(scope);
  for (const resource of resources) {
    const flat = flattenCfnReference(stack.resolve(resource));
    if (flat.includes('*')) acknowledge(scope, { ids: [`AwsSolutions-IAM5[Resource::${flat}]`], reason });
  }
};
