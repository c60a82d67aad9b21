import { Duration, Stack } from 'aws-cdk-lib';
import { WebSocketApi, type WebSocketRoute, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct, type IDependable } from 'constructs';
import { type FunctionDefinition, WS_FUNCTIONS } from '#shared/functions.ts';
import { WS_STAGE_THROTTLE } from '#shared/limits.ts';
import type { AccessTargets } from './access.ts';
import { accessLogSettings } from './api-logs.ts';
import { ShiftlineFunction } from './lambda.ts';
import { ACKNOWLEDGEMENTS, acknowledge } from './nag.ts';

export const WS_STAGE_NAME = 'live';

export interface RealtimeProps {
  targets: AccessTargets;
  /** The account's API Gateway logging role, which WebSocket access logs need to exist first. */
  accountLogging?: IDependable;
}

export type Connections = NonNullable<AccessTargets['connections']>;

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * The WebSocket API: `$connect` authorized by the id token in `?token=` (browsers cannot set
 * headers on the upgrade), one function per route, and the @connections endpoint that any
 * function granted `connections:manage` posts to.
 */
export class Realtime extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly connections: Connections;
  /** Targets for functions of this API: the stack's, plus this stage's @connections. */
  readonly targets: AccessTargets;
  readonly functions: Record<string, ShiftlineFunction> = {};
  readonly routes: Record<string, WebSocketRoute> = {};
  private readonly authorizer: WebSocketLambdaAuthorizer;

  constructor(scope: Construct, id: string, props: RealtimeProps) {
    super(scope, id);
    this.api = new WebSocketApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-ws`,
      routeSelectionExpression: '$request.body.action',
    });
    const accessLogs = accessLogSettings(this, 'AccessLogs', props.targets.key, {
      requestId: '$context.requestId',
      connectionId: '$context.connectionId',
      eventType: '$context.eventType',
      routeKey: '$context.routeKey',
      status: '$context.status',
      sourceIp: '$context.identity.sourceIp',
      requestTime: '$context.requestTime',
      user: '$context.authorizer.sub',
      error: '$context.error.message',
    });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: WS_STAGE_NAME,
      autoDeploy: true,
      throttle: WS_STAGE_THROTTLE,
      accessLogSettings: accessLogs.settings,
    });
    if (props.accountLogging) this.stage.node.addDependency(props.accountLogging);

    this.connections = {
      apiId: this.api.apiId,
      stageName: this.stage.stageName,
      endpoint: this.stage.callbackUrl,
    };
    this.targets = { ...props.targets, connections: this.connections };

    const { authorize, ...routeFunctions } = WS_FUNCTIONS;
    const authorizerFunction = new ShiftlineFunction(this, 'Authorizer', {
      definition: authorize,
      targets: this.targets,
      failures: { synchronousCaller: 'API Gateway ($connect authorizer)' },
      timeout: Duration.seconds(5),
    });
    this.functions.authorize = authorizerFunction;
    this.authorizer = new WebSocketLambdaAuthorizer('TokenAuthorizer', authorizerFunction.fn, {
      identitySource: ['route.request.querystring.token'],
    });
    // Registry names are the route keys without their `$`: connect, disconnect, default.
    for (const [name, definition] of Object.entries(routeFunctions)) {
      this.addRoute(`$${name}`, name, definition);
    }
  }

  /** Serves a route with a registry function; `$connect` is the only route API Gateway authorizes. */
  addRoute(routeKey: string, name: string, definition: FunctionDefinition): ShiftlineFunction {
    const handler = new ShiftlineFunction(this, pascal(name), {
      definition,
      targets: this.targets,
      failures: { synchronousCaller: `API Gateway (WebSocket ${routeKey})` },
    });
    const authorized = routeKey === '$connect';
    const route = this.api.addRoute(routeKey, {
      integration: new WebSocketLambdaIntegration(`${pascal(name)}Integration`, handler.fn),
      ...(authorized ? { authorizer: this.authorizer } : {}),
    });
    if (!authorized) acknowledge(route, ACKNOWLEDGEMENTS.webSocketRouteAfterConnect);
    this.functions[name] = handler;
    this.routes[routeKey] = route;
    return handler;
  }
}
