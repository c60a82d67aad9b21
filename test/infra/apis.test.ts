import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { HTTP_FUNCTIONS, WS_FUNCTIONS } from '#shared/functions.ts';
import { HTTP_STAGE_THROTTLE, WS_STAGE_THROTTLE } from '#shared/limits.ts';
import { ROUTES, type RouteDefinition, routeKeyOf } from '#shared/routes.ts';
import { WS_STAGE_NAME } from '../../infra/realtime.ts';
import { arnOf, logicalId, ref, resources, synthShiftline } from './synth.ts';

const { stack, template } = synthShiftline();
const { http, realtime } = stack;

const routesOfApi = (api: object) =>
  Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).filter(
    (route) => JSON.stringify(route.Properties?.ApiId) === JSON.stringify(api),
  );
const integrationOf = (route: { Properties?: Record<string, unknown> }) => {
  const target = JSON.stringify(route.Properties?.Target);
  const id = Object.keys(resources(template, 'AWS::ApiGatewayV2::Integration')).find((key) =>
    target.includes(`"${key}"`),
  );
  return id ? resources(template)[id]?.Properties : undefined;
};
const accessLogFormat = (stage: IConstruct): Record<string, string> => {
  const settings = resources(template)[logicalId(stage)]?.Properties?.AccessLogSettings as { Format: string };
  return JSON.parse(settings.Format);
};

describe('HTTP API', () => {
  const apiRef = ref(http.api);
  const httpRoutes = () => routesOfApi(apiRef);

  it('serves exactly the routes of the route table', () => {
    expect(
      httpRoutes()
        .map((route) => route.Properties?.RouteKey)
        .sort(),
    ).toEqual(ROUTES.map(routeKeyOf).sort());
  });

  it('leaves the routes the route table marks public open, and nothing else', () => {
    for (const route of ROUTES) {
      const deployed = httpRoutes().find((candidate) => candidate.Properties?.RouteKey === routeKeyOf(route));
      const isPublic = (route.access as RouteDefinition['access']) === 'public';
      expect(deployed?.Properties?.AuthorizationType).toBe(isPublic ? 'NONE' : 'JWT');
    }
  });

  it('puts a role-restricted route behind the JWT authorizer of the pool and app client', () => {
    // The table has no protected route yet, so add one the way the stack adds them.
    const probe: RouteDefinition = {
      method: 'GET',
      path: '/probe/{id}',
      operationId: 'getProbe',
      summary: 'probe',
      tag: 'probe',
      fn: 'docs',
      access: { roles: ['admin'] },
      responses: { 200: { description: 'ok' } },
    };
    const withProbe = synthShiftline({}, (shiftline) => shiftline.http.addRoute(probe));
    const probeTemplate = withProbe.template;
    const jwt = Object.entries(resources(probeTemplate, 'AWS::ApiGatewayV2::Authorizer')).find(
      ([, authorizer]) => authorizer.Properties?.AuthorizerType === 'JWT',
    );
    expect(jwt?.[1].Properties).toMatchObject({
      ApiId: ref(withProbe.stack.http.api),
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [ref(withProbe.stack.auth.client)] },
    });
    expect(JSON.stringify(jwt?.[1].Properties?.JwtConfiguration)).toContain(
      JSON.stringify([
        'https://cognito-idp.',
        { Ref: 'AWS::Region' },
        '.',
        { Ref: 'AWS::URLSuffix' },
        '/',
        ref(withProbe.stack.auth.userPool),
      ]),
    );
    probeTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /probe/{id}',
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: jwt?.[0] },
    });
    // Still one function for the capability.
    expect(Object.keys(withProbe.stack.http.functions)).toEqual(Object.keys(stack.http.functions));
  });

  it('has one function per capability, serving all its routes', () => {
    const capabilities = [...new Set(ROUTES.map((route) => route.fn))];
    expect(Object.keys(http.functions).sort()).toEqual(capabilities.sort());
    for (const route of ROUTES) {
      const deployed = httpRoutes().find((candidate) => candidate.Properties?.RouteKey === routeKeyOf(route));
      const handler = http.functions[route.fn];
      if (!deployed || !handler) throw new Error(`${routeKeyOf(route)} is not deployed`);
      expect(integrationOf(deployed)).toMatchObject({
        IntegrationUri: arnOf(handler.fn),
        PayloadFormatVersion: '2.0',
      });
    }
    for (const name of capabilities) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: HTTP_FUNCTIONS[name].description,
      });
    }
  });

  it('deploys the $default stage with throttling and JSON access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: apiRef,
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingBurstLimit: HTTP_STAGE_THROTTLE.burstLimit,
        ThrottlingRateLimit: HTTP_STAGE_THROTTLE.rateLimit,
      },
      AccessLogSettings: {
        DestinationArn: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }),
        Format: Match.anyValue(),
      },
    });
    expect(accessLogFormat(http.stage)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
  });

  it('answers CORS preflights for the configured origins and the headers the API reads', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: ['http://localhost:5173'],
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'idempotency-key', 'if-match']),
        ExposeHeaders: Match.arrayWith(['etag', 'x-request-id', 'idempotent-replayed', 'location']),
      },
    });
  });
});

describe('WebSocket API', () => {
  const apiRef = ref(realtime.api);
  const { authorize, ...routeFunctions } = WS_FUNCTIONS;

  it('has $connect behind the token authorizer and one route per WebSocket function', () => {
    const routes = routesOfApi(apiRef);
    expect(routes.map((route) => route.Properties?.RouteKey).sort()).toEqual(
      Object.keys(routeFunctions)
        .map((name) => `$${name}`)
        .sort(),
    );
    for (const route of routes) {
      const name = String(route.Properties?.RouteKey).slice(1);
      const handler = realtime.functions[name];
      if (!handler) throw new Error(`no function for ${name}`);
      expect(JSON.stringify(integrationOf(route)?.IntegrationUri)).toContain(logicalId(handler.fn));
      expect(route.Properties?.AuthorizationType).toBe(name === 'connect' ? 'CUSTOM' : 'NONE');
    }
  });

  it('verifies the token from the query string with the authorize function', () => {
    const authorizerFunction = realtime.functions.authorize;
    if (!authorizerFunction) throw new Error('no authorizer function');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      ApiId: apiRef,
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.token'],
      AuthorizerUri: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([arnOf(authorizerFunction.fn)])],
      }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: authorize.description });
  });

  it('deploys its stage with throttling and JSON access logs, after the account logging role', () => {
    template.hasResource('AWS::ApiGatewayV2::Stage', {
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^ApiGatewayLoggingAccount')]),
      Properties: Match.objectLike({
        ApiId: apiRef,
        StageName: WS_STAGE_NAME,
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingBurstLimit: WS_STAGE_THROTTLE.burstLimit,
          ThrottlingRateLimit: WS_STAGE_THROTTLE.rateLimit,
        },
      }),
    });
    expect(accessLogFormat(realtime.stage)).toMatchObject({ connectionId: '$context.connectionId' });
    template.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
  });

  it('publishes the @connections endpoint of its stage', () => {
    template.hasOutput('WebSocketManagementEndpoint', {
      Value: {
        'Fn::Join': ['', Match.arrayWith(['https://', apiRef, '.execute-api.', `/${WS_STAGE_NAME}`])],
      },
    });
  });
});

describe('outputs', () => {
  it('name every endpoint and resource a client or operator needs', () => {
    for (const name of [
      'HttpApiUrl',
      'WebSocketUrl',
      'WebSocketManagementEndpoint',
      'UserPoolId',
      'UserPoolClientId',
      'JwtIssuer',
      'DocumentsBucket',
      'MainTable',
      'LedgerTable',
    ]) {
      template.hasOutput(name, {});
    }
  });
});
