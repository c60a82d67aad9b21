import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { limitGrantsToAwsServices } from './encryption.ts';
import { ACKNOWLEDGEMENTS, acknowledge } from './nag.ts';
import { createObjectsOnce, sendEventsToEventBridge } from './storage.ts';

export interface AnchorsProps {
  key: IKey;
  accessLogs: IBucket;
  /** Object Lock retention of digests and archived days, in days (context `evidenceRetentionDays`). */
  retentionDays: number;
}

/**
 * What anchors the ledger outside its database: an S3 bucket with Object Lock in compliance mode
 * (not even the account root can shorten a retention or delete a locked version) for the signed
 * digests and archived days, and the KMS asymmetric key that signs the digests.
 */
export class LedgerAnchors extends Construct {
  readonly evidence: Bucket;
  readonly signingKey: Key;

  constructor(scope: Construct, id: string, props: AnchorsProps) {
    super(scope, id);
    this.evidence = new Bucket(this, 'Evidence', {
      encryption: BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(props.retentionDays)),
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      // Kept for the retention, then let go (HIPAA's six years); locked versions outlive no rule.
      lifecycleRules: [
        {
          expiration: Duration.days(props.retentionDays + 1),
          noncurrentVersionExpiration: Duration.days(props.retentionDays + 1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    // Object Created events go to EventBridge, as the documents bucket's do (nothing consumes
    // them yet; they make every write to the evidence visible to a rule).
    sendEventsToEventBridge(this.evidence);
    // Created once, never replaced: a new version of a locked key would still hide the signed one
    // from a plain GET, so writes must be conditional creates; and no delete markers either.
    createObjectsOnce(this.evidence);
    this.evidence.addToResourcePolicy(
      new PolicyStatement({
        sid: 'NoDeleteMarkers',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [
          's3:DeleteObject',
          's3:DeleteObjectVersion',
          's3:PutObjectRetention',
          's3:PutObjectLegalHold',
        ],
        resources: [this.evidence.arnForObjects('*')],
      }),
    );
    acknowledge(this.evidence, ACKNOWLEDGEMENTS.singleRegion);

    this.signingKey = new Key(this, 'DigestSigning', {
      description: 'Shiftline: signs the hourly ledger digests (ECDSA P-256)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    limitGrantsToAwsServices(this.signingKey);
    acknowledge(this.signingKey, ACKNOWLEDGEMENTS.asymmetricKeyRotation);
  }
}
