/** Builders for Lambda events and contexts, shaped as API Gateway and Lambda send them. */
import type { Context } from 'aws-lambda';
import { vi } from 'vitest';
import type { Role } from '#domain/roles.ts';
import type { HttpEvent } from '#runtime/http.ts';

export const lambdaContext = (functionName = 'test-fn'): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
  memoryLimitInMB: '256',
  awsRequestId: 'lambda-request-1',
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** Claims as the HTTP API JWT authorizer passes them: strings, groups bracketed. */
export const claimsFor = (roles: readonly Role[], sub = 'user-1'): Record<string, string> => ({
  sub,
  token_use: 'id',
  'cognito:groups': `[${roles.join(' ')}]`,
  email: `${sub}@example.com`,
  'cognito:username': sub,
});

export interface HttpEventOptions {
  routeKey: string;
  path?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON with `Content-Type: application/json`. */
  body?: string | object;
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  claims?: Record<string, string>;
  requestId?: string;
  stage?: string;
}

let counter = 0;

export const httpEvent = (options: HttpEventOptions): HttpEvent => {
  const [method = 'GET', routePath = '/'] = options.routeKey.split(' ');
  const json = options.body !== undefined && typeof options.body !== 'string';
  const headers: Record<string, string> = {
    host: 'api.example.com',
    ...(json ? { 'content-type': 'application/json' } : {}),
    ...options.headers,
  };
  counter += 1;
  return {
    version: '2.0',
    routeKey: options.routeKey,
    rawPath: options.path ?? routePath,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers,
    queryStringParameters: options.query,
    pathParameters: options.pathParameters,
    body: json ? JSON.stringify(options.body) : (options.body as string | undefined),
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: {
        method,
        path: options.path ?? routePath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
      requestId: options.requestId ?? `req-${counter}`,
      routeKey: options.routeKey,
      stage: options.stage ?? '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 1_767_225_600_000,
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: null } } } : {}),
    },
  };
};

/** The parsed JSON body of a response. */
export const jsonOf = (result: { body?: string }): Record<string, unknown> =>
  JSON.parse(result.body ?? 'null');

/** Captures what the Powertools logger prints (info to stdout, warnings and errors to stderr). */
export const captureLogs = () => {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const text = () => [...out.mock.calls, ...err.mock.calls].map(([chunk]) => String(chunk)).join('');
  return {
    text,
    entries: (): Record<string, unknown>[] =>
      text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line)),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
};
