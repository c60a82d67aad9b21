import { FeaturePlan } from 'aws-cdk-lib/aws-cognito';
import type { IConstruct } from 'constructs';
import { LOGIN_LIMITS, MAIL_LIMITS } from '#domain/identity/abuse-limits.ts';
import { originsOf } from '#shared/cors.ts';
import { type RouteThrottleClass, routeThrottlesFrom, type Throttle } from '#shared/limits.ts';
import packageJson from '../package.json' with { type: 'json' };

/** Deployment choices read from CDK context (cdk.json or `-c key=value`), with their defaults. */
export interface Settings {
  /** Cognito feature plan: LITE (default, cheapest), ESSENTIALS or PLUS (threat protection). */
  cognitoFeaturePlan: FeaturePlan;
  /** Browser origins allowed by the HTTP API's CORS and the documents bucket's CORS. */
  allowedOrigins: string[];
  /** Optional address subscribed to the alarm topic (dead letters). */
  alarmEmail: string | undefined;
  /** An existing SNS topic (ARN) every alarm notifies instead of the stack's own. */
  alarmTopicArn: string | undefined;
  /**
   * A verified SES identity Cognito sends its email from. Unset, Cognito's default sender is
   * used, capped near 50 emails a day for the account.
   */
  sesFromAddress: string | undefined;
  serviceVersion: string;
  /** Reserved concurrency of every function: a runaway function cannot starve the others. */
  reservedConcurrency: number;
  /**
   * Whether this stack sets the account's API Gateway CloudWatch role (WebSocket access logs need
   * it). Turn off where another stack of the account already manages that account-wide setting.
   */
  manageApiGatewayAccount: boolean;
  /** GraphQL introspection and the GraphiQL page: off in AWS unless turned on (the twin has them on). */
  graphqlIntrospection: boolean;
  /** Days a verification stays fresh for a credentialing decision: NCQA's 120 (180 under the older standard). */
  verificationMaxAgeDays: number;
  /** Where `leieDownload` fetches the monthly LEIE file; unset: OIG's UPDATED.csv. */
  leieDownloadUrl: string | undefined;
  /** The Secrets Manager secret holding a SAM.gov API key; unset, SAM exclusions are off. */
  samApiKeySecretArn: string | undefined;
  /** Route throttles of the `auth` and `mail` classes (shared/limits.ts), context `routeThrottles`. */
  routeThrottles: Record<RouteThrottleClass, Throttle>;
  /**
   * The auth function's abuse limits (shared/domain/identity/abuse-limits.ts): failed logins
   * per (email, source) and per email, mail-sending requests per email and per source an hour.
   */
  abuseLimits: {
    loginFailuresPerSource: number;
    loginFailuresPerEmail: number;
    mailPerEmailPerHour: number;
    mailPerSourcePerHour: number;
  };
  /** Requests per 5 minutes one IP may send the user pool directly (WAF rate-based rule). */
  wafRateLimit: number;
  /** Object Lock (compliance) retention of ledger digests and archived days: 6 years by default (HIPAA). */
  evidenceRetentionDays: number;
  /** Days a ledger entry stays in DynamoDB before ledgerArchive exports its day: 90 by default. */
  ledgerArchiveAfterDays: number;
}

const FEATURE_PLANS: Record<string, FeaturePlan> = {
  LITE: FeaturePlan.LITE,
  ESSENTIALS: FeaturePlan.ESSENTIALS,
  PLUS: FeaturePlan.PLUS,
};

// `-c key=value` gives strings, cdk.json gives JSON values: accept both.
const bool = (value: unknown, fallback: boolean): boolean =>
  value === undefined ? fallback : value === true || value === 'true';

const positiveInt = (name: string, value: unknown, fallback: number): number => {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`context ${name} must be a positive integer`);
  return parsed;
};

const optionalText = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

export const readSettings = (scope: IConstruct): Settings => {
  const context = (key: string): unknown => scope.node.tryGetContext(key);
  const planName = String(context('cognitoFeaturePlan') ?? 'LITE').toUpperCase();
  const cognitoFeaturePlan = FEATURE_PLANS[planName];
  if (cognitoFeaturePlan === undefined)
    throw new Error(`context cognitoFeaturePlan: unknown plan ${planName}`);
  const alarmEmail = context('alarmEmail');
  const sesFromAddress = context('sesFromAddress');
  const leieDownloadUrl = context('leieDownloadUrl');
  const samApiKeySecretArn = context('samApiKeySecretArn');
  const alarmTopicArn = context('alarmTopicArn');
  return {
    cognitoFeaturePlan,
    allowedOrigins: originsOf(context('allowedOrigins')),
    alarmEmail: typeof alarmEmail === 'string' && alarmEmail !== '' ? alarmEmail : undefined,
    sesFromAddress: typeof sesFromAddress === 'string' && sesFromAddress !== '' ? sesFromAddress : undefined,
    alarmTopicArn: typeof alarmTopicArn === 'string' && alarmTopicArn !== '' ? alarmTopicArn : undefined,
    serviceVersion: String(context('serviceVersion') ?? packageJson.version),
    reservedConcurrency: positiveInt('reservedConcurrency', context('reservedConcurrency'), 25),
    manageApiGatewayAccount: bool(context('manageApiGatewayAccount'), true),
    graphqlIntrospection: bool(context('graphqlIntrospection'), false),
    verificationMaxAgeDays: positiveInt('verificationMaxAgeDays', context('verificationMaxAgeDays'), 120),
    leieDownloadUrl: optionalText(leieDownloadUrl),
    samApiKeySecretArn: optionalText(samApiKeySecretArn),
    routeThrottles: routeThrottlesFrom(context('routeThrottles')),
    abuseLimits: {
      loginFailuresPerSource: positiveInt(
        'loginFailuresPerSource',
        context('loginFailuresPerSource'),
        LOGIN_LIMITS.perEmailAndSource.maxFailures,
      ),
      loginFailuresPerEmail: positiveInt(
        'loginFailuresPerEmail',
        context('loginFailuresPerEmail'),
        LOGIN_LIMITS.perEmail.maxFailures,
      ),
      mailPerEmailPerHour: positiveInt(
        'mailPerEmailPerHour',
        context('mailPerEmailPerHour'),
        MAIL_LIMITS.perEmail,
      ),
      mailPerSourcePerHour: positiveInt(
        'mailPerSourcePerHour',
        context('mailPerSourcePerHour'),
        MAIL_LIMITS.perSource,
      ),
    },
    // WAF's smallest rate-based limit is 10 per window; 300 per 5 minutes is one call a second.
    wafRateLimit: positiveInt('wafRateLimit', context('wafRateLimit'), 300),
    evidenceRetentionDays: positiveInt(
      'evidenceRetentionDays',
      context('evidenceRetentionDays'),
      6 * 365 + 2,
    ),
    ledgerArchiveAfterDays: positiveInt('ledgerArchiveAfterDays', context('ledgerArchiveAfterDays'), 90),
  };
};
