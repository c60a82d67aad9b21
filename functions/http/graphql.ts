/**
 * The `graphql` function: `POST /graphql`. Its fields run the REST functions' own operations
 * (their service wiring is imported, never repeated), so both APIs share roles, validation,
 * services, the policy, cursors and idempotency. The middy stack is REST's: token, role, body
 * size, JSON and the batch schema are checked before GraphQL sees the request.
 */
import type { Context } from 'aws-lambda';
import { NotFound } from '#domain/errors.ts';
import { optionalEnv } from '#runtime/config.ts';
import { extendContract } from '#runtime/graphql/contract-details.ts';
import { runGraphql } from '#runtime/graphql/execute.ts';
import { graphiqlPage } from '#runtime/graphql/graphiql-page.ts';
import { buildGraphqlSchema } from '#runtime/graphql/schema.ts';
import { createHttpHandler, type Operation } from '#runtime/http.ts';
import { staticAssets } from '#runtime/static-assets.ts';
import { assetCopiesOf, HTTP_FUNCTIONS } from '#shared/functions.ts';
import { ROUTES, routesOf } from '#shared/routes.ts';
import { operations as appointments } from './appointments.ts';
import { operations as audit } from './audit.ts';
import { operations as auth } from './auth.ts';
import { operations as contracts } from './contracts.ts';
import { operations as credentialing } from './credentialing.ts';
import { operations as credentials } from './credentials.ts';
import { operations as messaging } from './messaging.ts';
import { operations as staff, staff as staffService } from './staff.ts';
import { operations as users } from './users.ts';
import { operations as webhooks } from './webhooks.ts';

const schema = buildGraphqlSchema(
  ROUTES,
  {
    ...auth,
    ...users,
    ...staff,
    ...credentials,
    ...credentialing,
    ...contracts,
    ...appointments,
    ...messaging,
    ...audit,
    ...webhooks,
  } as unknown as Readonly<Record<string, Operation | undefined>>,
  (types, run) => extendContract(types, { staffSummaries: staffService.summaries, run }),
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
  return runGraphql(schema, input.body as Parameters<typeof runGraphql>[1], request, options);
};

const assets = staticAssets(assetCopiesOf(HTTP_FUNCTIONS.graphql));

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
    body: graphiqlPage(base),
  };
};

const getGraphiqlAsset: Operation = async ({ params }) => {
  playground();
  const name = String(params.asset);
  const asset = await assets.read(name);
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
