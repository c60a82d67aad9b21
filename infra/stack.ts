import { Aspects, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ENV } from '#runtime/config.ts';
import {
  BUCKET_EVENT_FUNCTIONS,
  QUEUE_FUNCTIONS,
  SCHEDULED_FUNCTIONS,
  STREAM_CONSUMERS,
} from '#shared/functions.ts';
import type { AccessTargets } from './access.ts';
import { Alerts } from './alerts.ts';
import { LedgerAnchors } from './anchors.ts';
import { ApiGatewayAccountLogging } from './api-logs.ts';
import { Auth } from './auth.ts';
import { Backup } from './backup.ts';
import { BucketEventFunction } from './bucket-event-function.ts';
import { Data } from './data.ts';
import { EncryptionKey } from './encryption.ts';
import { ShiftlineHttpApi } from './http-api.ts';
import { SourceAccountOnPermissions } from './permissions.ts';
import { Realtime } from './realtime.ts';
import { grantSamKey } from './sam-key.ts';
import { ScheduledFunction } from './scheduled-function.ts';
import { readSettings } from './settings.ts';
import { Storage } from './storage.ts';
import { StreamConsumer } from './stream-consumer.ts';
import { UserPoolFirewall } from './waf.ts';
import { WebhookDeliveryFunction, WebhookQueues } from './webhooks.ts';

/** Behaviours of current CDK that this stack relies on, whatever cdk.json holds. */
const FEATURE_FLAGS = {
  // Access-log delivery through a bucket policy, not ACLs (the log bucket enforces owner-only objects).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

export class ShiftlineStack extends Stack {
  readonly http: ShiftlineHttpApi;
  readonly realtime: Realtime;
  readonly auth: Auth;
  readonly data: Data;
  readonly storage: Storage;
  readonly webhooks: { queues: WebhookQueues; delivery: WebhookDeliveryFunction };
  readonly anchors: LedgerAnchors;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    for (const [flag, value] of Object.entries(FEATURE_FLAGS)) this.node.setContext(flag, value);
    const settings = readSettings(this);
    Aspects.of(this).add(new SourceAccountOnPermissions());

    const { key } = new EncryptionKey(this, 'Encryption');
    const alerts = new Alerts(this, 'Alerts', {
      key,
      email: settings.alarmEmail,
      topicArn: settings.alarmTopicArn,
    });
    this.data = new Data(this, 'Data', { key });
    new Backup(this, 'Backup', { key, tables: [this.data.main, this.data.ledger] });
    this.storage = new Storage(this, 'Storage', { key, allowedOrigins: settings.allowedOrigins });

    const delivery = QUEUE_FUNCTIONS.webhookDelivery;
    if (!delivery) throw new Error('QUEUE_FUNCTIONS.webhookDelivery is missing');
    const webhookQueues = new WebhookQueues(this, 'WebhookQueues', {
      key,
      alerts: alerts.topic,
      definition: delivery,
    });
    this.anchors = new LedgerAnchors(this, 'Anchors', {
      key,
      accessLogs: this.storage.accessLogs,
      retentionDays: settings.evidenceRetentionDays,
    });

    const base: AccessTargets = {
      key,
      main: this.data.main,
      ledger: this.data.ledger,
      documents: this.storage.documents,
      webhooks: { queue: webhookQueues.queue, deadLetters: webhookQueues.deadLetters.queue },
      anchors: { evidence: this.anchors.evidence, signingKey: this.anchors.signingKey },
    };
    // Triggers get no identity targets: the pool references them, so they must not reference it.
    this.auth = new Auth(this, 'Auth', {
      targets: base,
      featurePlan: settings.cognitoFeaturePlan,
      sesFromAddress: settings.sesFromAddress,
    });
    const { userPool, client, issuer } = this.auth;
    new UserPoolFirewall(this, 'UserPoolFirewall', { userPool, key, rateLimit: settings.wafRateLimit });
    const withIdentity: AccessTargets = { ...base, identity: { userPool, client, issuer } };

    const accountLogging = settings.manageApiGatewayAccount
      ? new ApiGatewayAccountLogging(this, 'ApiGatewayLogging').account
      : undefined;
    this.realtime = new Realtime(this, 'Realtime', {
      targets: withIdentity,
      ...(accountLogging ? { accountLogging } : {}),
    });
    const targets = this.realtime.targets;
    this.http = new ShiftlineHttpApi(this, 'Http', { targets, allowedOrigins: settings.allowedOrigins });

    for (const [name, definition] of Object.entries(STREAM_CONSUMERS)) {
      const consumer = new StreamConsumer(this, `${pascal(name)}Consumer`, {
        definition,
        table: this.data.main,
        targets,
        alerts: alerts.topic,
      });
      if (definition.access.includes('ledger:append')) this.data.onlyAppendedBy(consumer.handler.role);
    }
    for (const [name, definition] of Object.entries(BUCKET_EVENT_FUNCTIONS)) {
      new BucketEventFunction(this, `${pascal(name)}Events`, {
        definition,
        bucket: this.storage.documents,
        targets,
        alerts: alerts.topic,
      });
    }
    this.webhooks = {
      queues: webhookQueues,
      delivery: new WebhookDeliveryFunction(this, 'WebhookDelivery', {
        definition: delivery,
        queues: webhookQueues,
        targets,
        alerts: alerts.topic,
      }),
    };
    const { leieDownloadUrl, samApiKeySecretArn } = settings;
    for (const [name, definition] of Object.entries(SCHEDULED_FUNCTIONS)) {
      const scheduled = new ScheduledFunction(this, `${pascal(name)}Schedule`, {
        definition,
        targets,
        alerts: alerts.topic,
      });
      if (name === 'leieDownload' && leieDownloadUrl !== undefined)
        scheduled.handler.fn.addEnvironment(ENV.leieDownloadUrl, leieDownloadUrl);
      if (name === 'exclusionMonitoring') grantSamKey(scheduled.handler, samApiKeySecretArn);
      if (name === 'ledgerArchive') {
        scheduled.handler.fn.addEnvironment(
          ENV.ledgerArchiveAfterDays,
          String(settings.ledgerArchiveAfterDays),
        );
      }
      if (definition.access.includes('ledger:expire')) this.data.onlyExpiredBy(scheduled.handler.role);
    }

    const outputs: Record<string, string> = {
      HttpApiUrl: this.http.url,
      WebSocketUrl: this.realtime.stage.url,
      WebSocketManagementEndpoint: this.realtime.connections.endpoint,
      UserPoolId: userPool.userPoolId,
      UserPoolClientId: client.userPoolClientId,
      JwtIssuer: issuer,
      DocumentsBucket: this.storage.documents.bucketName,
      MainTable: this.data.main.tableName,
      LedgerTable: this.data.ledger.tableName,
      EvidenceBucket: this.anchors.evidence.bucketName,
      LedgerSigningKey: this.anchors.signingKey.keyArn,
      AlertsTopic: alerts.topic.topicArn,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
