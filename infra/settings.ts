import { FeaturePlan } from 'aws-cdk-lib/aws-cognito';
import type { IConstruct } from 'constructs';
import { originsOf } from '#shared/cors.ts';
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
  /** Object Lock (compliance) retention of ledger digests and archived days: 6 years by default (HIPAA). */
  evidenceRetentionDays: number;
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

export const readSettings = (scope: IConstruct): Settings => {
  const context = (key: string): unknown => scope.node.tryGetContext(key);
  const planName = String(context('cognitoFeaturePlan') ?? 'LITE').toUpperCase();
  const cognitoFeaturePlan = FEATURE_PLANS[planName];
  if (cognitoFeaturePlan === undefined)
    throw new Error(`context cognitoFeaturePlan: unknown plan ${planName}`);
  const alarmEmail = context('alarmEmail');
  const sesFromAddress = context('sesFromAddress');
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
    evidenceRetentionDays: positiveInt(
      'evidenceRetentionDays',
      context('evidenceRetentionDays'),
      6 * 365 + 2,
    ),
  };
};
