/**
 * Configuration from the environment, read once per cold start. The CDK stack and the local
 * twin set the same variables; AWS SDK endpoints for the twin come from the SDK's own
 * AWS_ENDPOINT_URL_<SERVICE> variables, so no code here knows whether it runs locally.
 */
import packageJson from '../../package.json' with { type: 'json' };

export const ENV = {
  serviceVersion: 'SERVICE_VERSION',
  mainTable: 'MAIN_TABLE_NAME',
  ledgerTable: 'LEDGER_TABLE_NAME',
  documentsBucket: 'DOCUMENTS_BUCKET_NAME',
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  /** Token issuer: https://cognito-idp.<region>.amazonaws.com/<poolId> in AWS. */
  jwtIssuer: 'JWT_ISSUER',
  /** HTTPS endpoint of the WebSocket stage's @connections API. */
  wsManagementEndpoint: 'WS_MANAGEMENT_ENDPOINT',
  /** Where /docs assets live (the bundle copies swagger-ui-dist's files there). */
  docsAssetsDir: 'DOCS_ASSETS_DIR',
  /** Secret for cursor HMACs (the twin sets it directly)… */
  cursorSecret: 'CURSOR_SECRET',
  /** …or the Secrets Manager secret holding it (AWS). */
  cursorSecretArn: 'CURSOR_SECRET_ARN',
  /** `true` turns on GraphQL introspection and the GraphiQL page (the twin; AWS by context). */
  graphqlIntrospection: 'GRAPHQL_INTROSPECTION',
  /** Base URL of the NPPES NPI Registry API (the twin points it at its fixture stub). */
  nppesApiUrl: 'NPPES_API_URL',
  /** Where the monthly LEIE file is downloaded from (defaults to OIG; the twin serves the sample). */
  leieDownloadUrl: 'LEIE_DOWNLOAD_URL',
  /** SAM.gov exclusions: the API key directly (the twin)… */
  samApiKey: 'SAM_API_KEY',
  /** …or the Secrets Manager secret holding it (AWS). Neither set: SAM is off. */
  samApiKeySecretArn: 'SAM_API_KEY_SECRET_ARN',
  /** Base URL of the SAM.gov Exclusions API (the twin points it at its stub). */
  samApiUrl: 'SAM_API_URL',
  /** Days a verification stays fresh for a credentialing decision (NCQA: 120; 180 under the older standard). */
  verificationMaxAgeDays: 'CREDENTIALING_VERIFICATION_MAX_AGE_DAYS',
  /** How long a container trusts a user's session record (seconds, at most 30; default 30). */
  sessionCacheSeconds: 'SESSION_CACHE_SECONDS',
  /** The SQS queue of webhook deliveries, and its dead-letter queue (given up after 24 h). */
  webhookQueueUrl: 'WEBHOOK_QUEUE_URL',
  webhookDeadLetterQueueUrl: 'WEBHOOK_DLQ_URL',
  /** Multiplies the webhook retry schedule (default 1; the twin compresses it, e.g. 0.001). */
  webhookTimeScale: 'WEBHOOK_TIME_SCALE',
  /** `true` (the twin only): webhook targets may be http and loopback. */
  webhookLocalTargets: 'WEBHOOK_LOCAL_TARGETS',
  /** `true` (the twin only): NPPES, SAM and the LEIE download may be http and loopback (its stubs). */
  primarySourceLocalTargets: 'PRIMARY_SOURCE_LOCAL_TARGETS',
  /** Abuse limits (shared/runtime/abuse-settings.ts): failed logins per (email, source) and per email… */
  loginFailuresPerSource: 'LOGIN_FAILURES_PER_SOURCE',
  loginFailuresPerEmail: 'LOGIN_FAILURES_PER_EMAIL',
  /** …and mail-sending requests per email and per source, per hour. */
  mailPerEmail: 'MAIL_PER_EMAIL_PER_HOUR',
  mailPerSource: 'MAIL_PER_SOURCE_PER_HOUR',
  /** The Object Lock bucket ledger digests (and archived days) are written to. */
  evidenceBucket: 'EVIDENCE_BUCKET_NAME',
  /** The KMS asymmetric key (ECDSA P-256) that signs ledger digests (AWS)… */
  ledgerSigningKeyId: 'LEDGER_SIGNING_KEY_ID',
  /** …or a PKCS#8 PEM file holding a local P-256 key pair, made on first use (the twin). */
  ledgerSigningKeyFile: 'LEDGER_SIGNING_KEY_FILE',
  /** Days a ledger entry stays in DynamoDB before ledgerArchive exports its day (default 90). */
  ledgerArchiveAfterDays: 'LEDGER_ARCHIVE_AFTER_DAYS',
} as const;

export type EnvKey = keyof typeof ENV;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The value of a required setting; a missing one is a deployment error, reported by name. */
export const requireEnv = (key: EnvKey): string => {
  const value = process.env[ENV[key]];
  if (value === undefined || value === '') throw new ConfigError(`missing environment variable ${ENV[key]}`);
  return value;
};

export const optionalEnv = (key: EnvKey): string | undefined => {
  const value = process.env[ENV[key]];
  return value === undefined || value === '' ? undefined : value;
};

/** The deployed version: SERVICE_VERSION (set by the stack and the twin), else package.json's. */
export const serviceVersion = (): string => optionalEnv('serviceVersion') ?? packageJson.version;
