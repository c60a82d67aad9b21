import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat, CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import { type IAccessLogSettings, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOG_RETENTION } from './lambda.ts';
import { ACKNOWLEDGEMENTS, acknowledge } from './nag.ts';

/**
 * A stage's access log: one JSON line per request or frame, into an encrypted log group.
 * Fields are ids, routes, statuses and timings only: paths carry ids, never PHI.
 */
export const accessLogSettings = (
  scope: Construct,
  id: string,
  key: IKey,
  fields: Record<string, string>,
): { settings: IAccessLogSettings; logGroup: LogGroup } => {
  const logGroup = new LogGroup(scope, id, { retention: LOG_RETENTION, encryptionKey: key });
  return {
    logGroup,
    settings: {
      destination: new LogGroupLogDestination(logGroup),
      format: AccessLogFormat.custom(JSON.stringify(fields)),
    },
  };
};

/**
 * The account-wide role API Gateway uses to write WebSocket (and REST) logs. It is one setting
 * per account and region, so it is retained when the stack goes: other APIs may rely on it.
 */
export class ApiGatewayAccountLogging extends Construct {
  readonly account: CfnAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [
        ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
      ],
    });
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.account = new CfnAccount(this, 'Account', { cloudWatchRoleArn: role.roleArn });
    this.account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    acknowledge(role, ACKNOWLEDGEMENTS.apiGatewayAccountRole);
  }
}
