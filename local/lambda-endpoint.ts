import { createServer, type Server } from 'node:http';
import type { Context } from 'aws-lambda';
import { createLambdaContext } from './lambda-context.ts';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * The Lambda Invoke API (POST /2015-03-31/functions/<name>/invocations) for the functions
 * cognito-local triggers, so the same trigger modules run as in AWS.
 */
export const startLambdaEndpoint = async (port: number, functions: Record<string, LambdaHandler>) => {
  const server: Server = createServer(async (request, response) => {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(request.url ?? '');
    const handler = match?.[1] ? functions[decodeURIComponent(match[1])] : undefined;
    if (!match || !handler || request.method !== 'POST') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ Type: 'User', message: 'Function not found' }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    try {
      const event: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const result = await handler(event, createLambdaContext(decodeURIComponent(match[1] ?? '')));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(result ?? null));
    } catch (error) {
      // Lambda reports a handler error as 200 with X-Amz-Function-Error: Unhandled.
      const message = error instanceof Error ? error.message : String(error);
      response.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
      response.end(JSON.stringify({ errorType: 'Error', errorMessage: message }));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
