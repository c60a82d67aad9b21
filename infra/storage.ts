import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ACKNOWLEDGEMENTS, acknowledge } from './nag.ts';

export interface StorageProps {
  key: IKey;
  /** Browser origins that PUT and GET documents through presigned URLs. */
  allowedOrigins: string[];
}

/** Credential documents and message attachments (PHI): private, KMS-encrypted, versioned, logged. */
export class Storage extends Construct {
  readonly documents: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // S3 delivers server access logs only to buckets encrypted with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    });
    acknowledge(this.accessLogs, ACKNOWLEDGEMENTS.accessLogBucketEncryption);
    acknowledge(this.accessLogs, ACKNOWLEDGEMENTS.accessLogBucketItself);
    // Deliveries to EventBridge too (Control Tower CT.S3.PR.2): a rule can watch the log bucket.
    (this.accessLogs.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    this.documents = new Bucket(this, 'Documents', {
      encryption: BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'documents/',
      cors: [
        {
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
          allowedOrigins: props.allowedOrigins,
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          noncurrentVersionExpiration: Duration.days(90),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    // Object Created events go to EventBridge (uploads are inspected when they land). Set on the
    // resource itself: the construct's eventBridgeEnabled would add CDK's notifications Lambda.
    sendEventsToEventBridge(this.documents);
    // Every object is created once and never overwritten (S3 conditional writes): a presigned PUT
    // cannot replace a document or an attachment, however long it stays valid.
    createObjectsOnce(this.documents);
    acknowledge(this, ACKNOWLEDGEMENTS.singleRegion);
    acknowledge(this.documents, ACKNOWLEDGEMENTS.documentsWithoutObjectLock);
  }
}

/**
 * Object events go to EventBridge. Set on the resource itself: the construct's eventBridgeEnabled
 * would add CDK's notifications Lambda.
 */
export const sendEventsToEventBridge = (bucket: Bucket): void => {
  (bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
    eventBridgeConfiguration: { eventBridgeEnabled: true },
  };
};

/** Every object is created once and never overwritten: PutObject without `If-None-Match: *` is denied. */
export const createObjectsOnce = (bucket: Bucket): void => {
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CreateOnceNeverOverwrite',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { Null: { 's3:if-none-match': 'true' } },
    }),
  );
};
