import { resolve } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import {
  type AddToPrincipalPolicyResult,
  ManagedPolicy,
  type PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '#runtime/config.ts';
import { assetCopiesOf, type FunctionDefinition } from '#shared/functions.ts';
import { type AccessTargets, accessEnvironment, accessGrants } from './access.ts';
import {
  BUNDLE_TARGET,
  ESM_REQUIRE_BANNER,
  EXTERNAL_MODULES,
  MAIN_FIELDS,
  splitBundleCommand,
} from './bundling.ts';
import { ACKNOWLEDGEMENTS, acknowledge, acknowledgeWildcardResources, WILDCARD_REASONS } from './nag.ts';
import { readSettings } from './settings.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..');

// Logs are operational evidence (who called what, when; never PHI): kept a year, as the
// HIPAA review period asks, encrypted with the stack's key.
export const LOG_RETENTION = RetentionDays.ONE_YEAR;

/**
 * A role whose grants land in one customer managed policy instead of an inline default policy
 * (HIPAA.Security-IAMNoInlinePolicy). The policy is a child of the role, so a function built
 * with the role still waits for its permissions.
 */
export class ManagedPolicyRole extends Role {
  private policy: ManagedPolicy | undefined;

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.policy ??= new ManagedPolicy(this, 'Policy', { roles: [this] });
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}

export type FailureHandling =
  /** Invoked asynchronously (EventBridge): failed events go to this queue after Lambda's retries. */
  | { deadLetterQueue: IQueue }
  /** Invoked synchronously (API Gateway, Cognito, a stream poller): the caller sees the error. */
  | { synchronousCaller: string };

export interface ShiftlineFunctionProps {
  definition: FunctionDefinition;
  targets: AccessTargets;
  failures: FailureHandling;
  environment?: Record<string, string>;
  timeout?: Duration;
}

/** A function from the registry: bundled with the local esbuild, traced, logged, least privilege. */
export class ShiftlineFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: ManagedPolicyRole;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ShiftlineFunctionProps) {
    super(scope, id);
    const { definition, targets, failures } = props;
    const settings = readSettings(this);
    const copies = assetCopiesOf(definition);
    const assetsInto = copies[0]?.into;

    this.logGroup = new LogGroup(this, 'Logs', { retention: LOG_RETENTION, encryptionKey: targets.key });
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: resolve(PROJECT_ROOT, definition.entry),
      description: definition.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: definition.memoryMb ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: settings.reservedConcurrency,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      role: this.role,
      deadLetterQueue: 'deadLetterQueue' in failures ? failures.deadLetterQueue : undefined,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        [ENV.serviceVersion]: settings.serviceVersion,
        ...accessEnvironment(definition.access, targets),
        ...(assetsInto ? { [ENV.docsAssetsDir]: `/var/task/${assetsInto}` } : {}),
        ...props.environment,
      },
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: resolve(PROJECT_ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE_TARGET,
        mainFields: MAIN_FIELDS,
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        externalModules: EXTERNAL_MODULES,
        forceDockerBundling: false,
        ...(assetsInto || definition.splitting
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [
                  ...(definition.splitting
                    ? [
                        `rm -f "${outputDir}/index.mjs" "${outputDir}/index.mjs.map"`,
                        splitBundleCommand(
                          `${inputDir}/node_modules/.bin/esbuild`,
                          `${inputDir}/${definition.entry}`,
                          outputDir,
                        ),
                      ]
                    : []),
                  ...(assetsInto ? [`mkdir -p "${outputDir}/${assetsInto}"`] : []),
                  ...copies.flatMap((copy) =>
                    copy.files.map(
                      (file) =>
                        `cp "${inputDir}/node_modules/${copy.fromPackage}/${file}" "${outputDir}/${copy.into}/"`,
                    ),
                  ),
                ],
              },
            }
          : {}),
      },
    });

    if ('deadLetterQueue' in failures) {
      // Lambda's own DLQ grant covers sqs:SendMessage only, not the queue's KMS key.
      failures.deadLetterQueue.encryptionMasterKey?.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    } else {
      acknowledge(this, ACKNOWLEDGEMENTS.synchronousInvocation(failures.synchronousCaller));
    }

    for (const { statement, wildcardReason } of accessGrants(definition.access, targets, definition)) {
      this.role.addToPrincipalPolicy(statement);
      if (wildcardReason) acknowledgeWildcardResources(this.role, statement.resources, wildcardReason);
    }
    // Tracing.ACTIVE adds xray:PutTraceSegments/PutTelemetryRecords, which take no resource ARN.
    acknowledgeWildcardResources(this.role, ['*'], WILDCARD_REASONS.noResourceArn);
    acknowledge(this, ACKNOWLEDGEMENTS.noVpc);
  }
}
