/**
 * The `graphql` function: `POST /graphql`. Its fields run the REST functions' own operations
 * (their service wiring is imported, never repeated), so both APIs share roles, validation,
 * services, the policy, cursors and idempotency. The middy stack is REST's: token, role, body
 * size, JSON and the batch schema are checked before GraphQL sees the request. The schema is
 * built from generated SDL (served.ts): a cold start loads graphql-js, the HTTP stack and the
 * SDL, not the route table's zod schemas (docs/decisions.md, GraphQL).
 */
import type { Context } from 'aws-lambda';
import { NotFound } from '#domain/errors.ts';
import { optionalEnv } from '#runtime/config.ts';
import { runGraphql } from '#runtime/graphql/execute.ts';
import { SERVED_FIELDS, SERVED_SDL } from '#runtime/graphql/generated/served-schema.ts';
import { type ServedSchemaDeps, servedSchemaOf } from '#runtime/graphql/served.ts';
import { checkSession, createHttpHandler, type Operation } from '#runtime/http.ts';
import type { staticAssets } from '#runtime/static-assets.ts';
import type { HttpFunctionName } from '#shared/functions.ts';
import { GRAPHQL_ROUTES } from '#shared/routes/graphql.ts';
import type { RouteDefinition } from '#shared/routes.ts';

type Capability = { operations: object; routes: readonly RouteDefinition[] };

const capability = async (
  module: Promise<{ operations: object }>,
  routes: Promise<readonly RouteDefinition[]>,
): Promise<Capability> => {
  const [{ operations }, loaded] = await Promise.all([module, routes]);
  return { operations, routes: loaded };
};

// Each capability's routes (with their zod schemas) and operations (with its services,
// repositories and SDK helpers) load on the first field that needs them: a cold start evaluates
// only the schema's SDL and the HTTP stack.
const CAPABILITIES: Partial<Record<HttpFunctionName, () => Promise<Capability>>> = {
  auth: () =>
    capability(
      import('./auth.ts'),
      import('#shared/routes/auth.ts').then((m) => m.AUTH_ROUTES),
    ),
  users: () =>
    capability(
      import('./users.ts'),
      import('#shared/routes/users.ts').then((m) => m.USERS_ROUTES),
    ),
  staff: () =>
    capability(
      import('./staff.ts'),
      import('#shared/routes/staff.ts').then((m) => m.STAFF_ROUTES),
    ),
  credentials: () =>
    capability(
      import('./credentials.ts'),
      import('#shared/routes/credentials.ts').then((m) => m.CREDENTIALS_ROUTES),
    ),
  credentialing: () =>
    capability(
      import('./credentialing.ts'),
      import('#shared/routes/credentialing.ts').then((m) => m.CREDENTIALING_ROUTES),
    ),
  contracts: () =>
    capability(
      import('./contracts.ts'),
      import('#shared/routes/contracts.ts').then((m) => m.CONTRACT_ROUTES),
    ),
  appointments: () =>
    capability(
      import('./appointments.ts'),
      import('#shared/routes/appointments.ts').then((m) => m.APPOINTMENT_ROUTES),
    ),
  messaging: () =>
    capability(
      import('./messaging.ts'),
      import('#shared/routes/messaging.ts').then((m) => m.MESSAGING_ROUTES),
    ),
  audit: () =>
    capability(
      import('./audit.ts'),
      import('#shared/routes/audit.ts').then((m) => m.AUDIT_ROUTES),
    ),
  sync: () =>
    capability(
      import('./sync.ts'),
      import('#shared/routes/sync.ts').then((m) => m.SYNC_ROUTES),
    ),
  webhooks: () =>
    capability(
      import('./webhooks.ts'),
      import('#shared/routes/webhooks.ts').then((m) => m.WEBHOOK_ROUTES),
    ),
};

/** The route and the REST function's own operation for it, imported when first called. */
export const routeOf: ServedSchemaDeps['routeOf'] = async (fn, operationId) => {
  const load = CAPABILITIES[fn];
  if (load === undefined) throw new Error(`GraphQL: no capability ${fn}`);
  const { operations, routes } = await load();
  const route = routes.find((candidate) => candidate.operationId === operationId);
  const operation = (operations as Readonly<Record<string, Operation | undefined>>)[operationId];
  if (route === undefined || operation === undefined)
    throw new Error(`function ${fn} has no operation ${operationId}`);
  return { route, operation };
};

const options = { introspection: optionalEnv('graphqlIntrospection') === 'true' };

// Descriptions show only through introspection: where it is off (AWS unless the context turns
// it on), the schema is built from the SDL without them, and the described one is never loaded.
const sdl = options.introspection
  ? (await import('#runtime/graphql/generated/served-schema-described.ts')).SERVED_SDL_DESCRIBED
  : SERVED_SDL;

const schema = servedSchemaOf(sdl, SERVED_FIELDS, {
  routeOf,
  staffSummaries: async (context, ids) => (await import('./staff.ts')).staff.summaries(context, ids),
});

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

const handle = createHttpHandler('graphql', GRAPHQL_ROUTES, {
  postGraphql,
  getGraphiql,
  getGraphiqlAsset,
});

export const handler = (event: Parameters<typeof handle>[0], context: Context) => {
  lambdaContexts.set(event, context);
  return handle(event, context);
};
