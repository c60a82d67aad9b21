/**
 * The `graphql` function: `POST /graphql`. Its fields run the REST functions' own operations
 * (their service wiring is imported, never repeated), so both APIs share roles, validation,
 * services, the policy, cursors and idempotency. The middy stack is REST's: token, role, body
 * size, JSON and the batch schema are checked before GraphQL sees the request.
 */
import type { Context } from 'aws-lambda';
import { NotFound } from '#domain/errors.ts';
import { optionalEnv } from '#runtime/config.ts';
import { runGraphql } from '#runtime/graphql/execute.ts';
import { isGraphqlRoute, type OperationsById } from '#runtime/graphql/schema.ts';
import { buildServedGraphqlSchema } from '#runtime/graphql/served-schema.ts';
import { checkSession, createHttpHandler, type Operation } from '#runtime/http.ts';
import type { staticAssets } from '#runtime/static-assets.ts';
import type { HttpFunctionName } from '#shared/functions.ts';
import { ROUTES, type RouteDefinition, routesOf } from '#shared/routes.ts';

// Each capability's operations (and its services, repositories and SDK helpers) load on the
// first field that needs them: a cold start evaluates only the schema and the HTTP stack.
const CAPABILITIES: Partial<Record<HttpFunctionName, () => Promise<{ operations: object }>>> = {
  auth: () => import('./auth.ts'),
  users: () => import('./users.ts'),
  staff: () => import('./staff.ts'),
  credentials: () => import('./credentials.ts'),
  credentialing: () => import('./credentialing.ts'),
  contracts: () => import('./contracts.ts'),
  appointments: () => import('./appointments.ts'),
  messaging: () => import('./messaging.ts'),
  audit: () => import('./audit.ts'),
  sync: () => import('./sync.ts'),
  webhooks: () => import('./webhooks.ts'),
};

/** The REST function's own operation for `route`, imported when first called. */
const operationOf = (route: RouteDefinition): Operation | undefined => {
  const load = CAPABILITIES[route.fn];
  if (load === undefined) return undefined;
  return async (input) => {
    const { operations } = await load();
    const operation = (operations as Readonly<Record<string, Operation | undefined>>)[route.operationId];
    if (operation === undefined)
      throw new Error(`function ${route.fn} has no operation ${route.operationId}`);
    return operation(input);
  };
};

const operations: OperationsById = Object.fromEntries(
  ROUTES.filter(isGraphqlRoute).map((route) => [route.operationId, operationOf(route)]),
);

const schema = buildServedGraphqlSchema(operations, async (context, ids) =>
  (await import('./staff.ts')).staff.summaries(context, ids),
);

const options = { introspection: optionalEnv('graphqlIntrospection') === 'true' };

// Middy hands operations the event, not the Lambda context idempotency needs: keyed by event,
// as concurrent requests share this module in the twin.
const lambdaContexts = new WeakMap<object, Context>();

const postGraphql: Operation = async (input) => {
  if (input.auth === undefined || input.context === undefined) throw new Error('postGraphql runs signed in');
  const request = {
    auth: input.auth,
    context: input.context,
    requestId: input.requestId,
    event: input.event,
    lambdaContext: lambdaContexts.get(input.event) as Context,
  };
  const { auth } = input;
  // REST's revocation check (401 session-revoked), made once the documents passed their limits
  // and validation: a refused document costs no read at all, and nothing runs for a revoked token.
  const beforeExecution = () => checkSession(auth.userId, auth.session ?? { issuedAt: 0 });
  return runGraphql(schema, input.body as Parameters<typeof runGraphql>[1], request, {
    ...options,
    beforeExecution,
  });
};

// The playground's files and page load with the first request for them (the twin; AWS only when
// introspection is on): a cold start for POST /graphql never evaluates them.
type StaticAssets = ReturnType<typeof staticAssets>;
let assets: Promise<StaticAssets> | undefined;
const playgroundAssets = (): Promise<StaticAssets> => {
  assets ??= Promise.all([import('#runtime/static-assets.ts'), import('#shared/functions.ts')]).then(
    ([{ staticAssets }, { assetCopiesOf, HTTP_FUNCTIONS }]) =>
      staticAssets(assetCopiesOf(HTTP_FUNCTIONS.graphql)),
  );
  return assets;
};

// The playground exists where introspection does (the twin; AWS only when the context says so).
const playground = (): void => {
  if (!options.introspection) throw new NotFound('No route GET /graphql: the playground is off here');
};

const getGraphiql: Operation = async ({ event }) => {
  playground();
  const stage = event.requestContext.stage;
  const base = stage === undefined || stage === '$default' ? '' : `/${stage}`;
  return {
    status: 200,
    contentType: 'text/html; charset=utf-8',
    headers: { 'cache-control': 'no-cache' },
    body: (await import('#runtime/graphql/graphiql-page.ts')).graphiqlPage(base),
  };
};

const getGraphiqlAsset: Operation = async ({ params }) => {
  playground();
  const name = String(params.asset);
  const asset = await (await playgroundAssets()).read(name);
  if (asset === undefined) throw new NotFound(`No asset ${name}`);
  return {
    status: 200,
    contentType: asset.contentType,
    headers: { 'cache-control': 'public, max-age=86400' },
    body: asset.body,
  };
};

const handle = createHttpHandler('graphql', routesOf('graphql'), {
  postGraphql,
  getGraphiql,
  getGraphiqlAsset,
});

export const handler = (event: Parameters<typeof handle>[0], context: Context) => {
  lambdaContexts.set(event, context);
  return handle(event, context);
};
