import { Duration, Stack } from 'aws-cdk-lib';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '#runtime/config.ts';
import { CORS } from '#shared/cors.ts';
import { type FunctionDefinition, HTTP_FUNCTIONS, type HttpFunctionName } from '#shared/functions.ts';
import { HTTP_STAGE_THROTTLE } from '#shared/limits.ts';
import { ROUTES, type RouteDefinition, routeKeyOf } from '#shared/routes.ts';
import type { AccessTargets } from './access.ts';
import { accessLogSettings } from './api-logs.ts';
import { ShiftlineFunction } from './lambda.ts';
import { ACKNOWLEDGEMENTS, acknowledge } from './nag.ts';
import { grantSamKey } from './sam-key.ts';
import { readSettings } from './settings.ts';

export interface HttpApiProps {
  /** Must include the identity: the JWT authorizer and the functions need the pool and client. */
  targets: AccessTargets;
  allowedOrigins: string[];
}

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** The request headers the API reads (API.md): tokens, idempotency, optimistic concurrency. */
/**
 * The HTTP API, generated from the route table: one function per capability that has routes,
 * each route behind the JWT authorizer unless the table marks it public.
 */
export class ShiftlineHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Partial<Record<HttpFunctionName, ShiftlineFunction>> = {};
  readonly routes: Record<string, HttpRoute> = {};
  private cursorSecret: Secret | undefined;
  private readonly key: IKey;
  private readonly targets: AccessTargets;
  private readonly jwt: HttpJwtAuthorizer;
  private readonly none = new HttpNoneAuthorizer();
  private readonly integrations: Partial<Record<HttpFunctionName, HttpLambdaIntegration>> = {};

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const { targets } = props;
    if (!targets.identity) throw new Error('ShiftlineHttpApi needs targets.identity');
    this.key = targets.key;

    this.api = new HttpApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-http`,
      description: 'Shiftline HTTP API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: [CorsHttpMethod.ANY],
        allowHeaders: [...CORS.allowHeaders],
        exposeHeaders: [...CORS.exposeHeaders],
        maxAge: Duration.seconds(CORS.maxAgeSeconds),
      },
    });
    const accessLogs = accessLogSettings(this, 'AccessLogs', targets.key, {
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      path: '$context.path',
      status: '$context.status',
      protocol: '$context.protocol',
      responseLength: '$context.responseLength',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integrationLatency',
      sourceIp: '$context.identity.sourceIp',
      requestTime: '$context.requestTime',
      user: '$context.authorizer.claims.sub',
      authorizerError: '$context.authorizer.error',
      integrationError: '$context.integrationErrorMessage',
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: HTTP_STAGE_THROTTLE,
      accessLogSettings: accessLogs.settings,
    });

    this.targets = targets;
    this.jwt = new HttpJwtAuthorizer('CognitoJwt', targets.identity.issuer, {
      jwtAudience: [targets.identity.client.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    for (const route of ROUTES) this.addRoute(route);
    this.throttleRoutes();
  }

  /** The route table's throttle classes as the stage's route settings (totals per route). */
  private throttleRoutes() {
    const { routeThrottles, abuseLimits } = readSettings(this);
    const stage = this.stage.node.defaultChild as CfnStage;
    // RouteSettings is a JSON map in CloudFormation: its keys are written as CloudFormation's.
    const settings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of ROUTES as readonly RouteDefinition[]) {
      if (route.throttle === undefined) continue;
      const { rateLimit, burstLimit } = routeThrottles[route.throttle];
      settings[routeKeyOf(route)] = { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit };
      // A route setting names a route key the stage must already have.
      const httpRoute = this.routes[routeKeyOf(route)];
      if (httpRoute) stage.node.addDependency(httpRoute);
    }
    stage.routeSettings = settings;
    const auth = this.functions.auth;
    if (auth === undefined) return;
    auth.fn.addEnvironment(ENV.loginFailuresPerSource, String(abuseLimits.loginFailuresPerSource));
    auth.fn.addEnvironment(ENV.loginFailuresPerEmail, String(abuseLimits.loginFailuresPerEmail));
    auth.fn.addEnvironment(ENV.mailPerEmail, String(abuseLimits.mailPerEmailPerHour));
    auth.fn.addEnvironment(ENV.mailPerSource, String(abuseLimits.mailPerSourcePerHour));
  }

  /** Serves a route of the route table with its capability's function, built on first use. */
  addRoute(route: RouteDefinition): HttpRoute {
    const isPublic = route.access === 'public';
    const httpRoute = new HttpRoute(this, route.operationId, {
      httpApi: this.api,
      routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
      integration: this.integrationFor(route.fn),
      authorizer: isPublic ? this.none : this.jwt,
    });
    if (isPublic) acknowledge(httpRoute, ACKNOWLEDGEMENTS.publicRoute(route.operationId, route.summary));
    this.routes[routeKeyOf(route)] = httpRoute;
    return httpRoute;
  }

  // One function, one integration and one invoke permission per capability, however many routes.
  private integrationFor(name: HttpFunctionName): HttpLambdaIntegration {
    const existing = this.integrations[name];
    if (existing) return existing;
    const definition: FunctionDefinition = HTTP_FUNCTIONS[name];
    const handler = new ShiftlineFunction(this, pascal(name), {
      definition,
      targets: this.targets,
      failures: { synchronousCaller: 'API Gateway (HTTP API)' },
    });
    if (definition.access.some((access) => access.startsWith('main:'))) this.grantCursorSecret(handler);
    if (name === 'graphql') {
      const { graphqlIntrospection } = readSettings(this);
      handler.fn.addEnvironment(ENV.graphqlIntrospection, String(graphqlIntrospection));
    }
    // Both decide credentialing (GraphQL runs the credentialing operations too).
    if (name === 'credentialing' || name === 'graphql') {
      const { verificationMaxAgeDays, samApiKeySecretArn } = readSettings(this);
      handler.fn.addEnvironment(ENV.verificationMaxAgeDays, String(verificationMaxAgeDays));
      grantSamKey(handler, samApiKeySecretArn);
    }
    this.functions[name] = handler;
    const integration = new HttpLambdaIntegration(`${pascal(name)}Integration`, handler.fn, {
      scopePermissionToRoute: false,
    });
    this.integrations[name] = integration;
    return integration;
  }

  get url(): string {
    return this.stage.url;
  }

  // List cursors are HMAC-signed with a key read at cold start; only functions that read the
  // Main table page through lists.
  private grantCursorSecret(handler: ShiftlineFunction): void {
    this.cursorSecret ??= this.newCursorSecret();
    const { region, urlSuffix } = Stack.of(this);
    handler.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.cursorSecret.secretArn],
      }),
    );
    handler.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.${urlSuffix}` } },
      }),
    );
    handler.fn.addEnvironment(ENV.cursorSecretArn, this.cursorSecret.secretArn);
  }

  private newCursorSecret(): Secret {
    const secret = new Secret(this, 'CursorSecret', {
      description: 'Shiftline: HMAC key of pagination cursors',
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    acknowledge(secret, ACKNOWLEDGEMENTS.cursorSecretRotation);
    return secret;
  }
}
