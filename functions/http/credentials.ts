/** The `credentials` function: credentials, their documents, the work queue and the sweep on demand. */
import { accessEventRepository } from '#data/access-events.ts';
import { credentialRepository } from '#data/credentials.ts';
import { s3DocumentStore } from '#data/documents.ts';
import { documentObjectKey } from '#data/entities/credentials.ts';
import type { ServiceContext } from '#domain/context.ts';
import { createCredentialDocuments } from '#domain/credentials/documents.ts';
import type { CredentialDecision } from '#domain/credentials/service.ts';
import { httpFunction, type Operations, withEtag } from '#runtime/http.ts';
import { withIdempotency } from '#runtime/idempotent-routes.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { CREDENTIALS_ROUTES } from '#shared/routes/credentials.ts';
import { credentialService as credentials, expirySweep as sweep } from '#shared/services/credentials.ts';

const documents = createCredentialDocuments({
  credentials: credentialRepository,
  store: s3DocumentStore,
  accessEvents: accessEventRepository,
  objectKeyFor: documentObjectKey,
});

/** verify, reject and revoke: one transition each, answered with the credential and its ETag. */
const decide = async (
  input: { context: ServiceContext; params: { id: string } },
  decision: CredentialDecision,
) => withEtag(await credentials.decide(input.context, input.params.id, decision));

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'credentials'> = {
  createCredential: async ({ context, params, body }) =>
    withEtag(await credentials.create(context, params.id, body), 201),

  listStaffCredentials: async (input) =>
    pagedList(input, (page, { status }) =>
      credentials.listOfStaff(input.context, input.params.id, status, page),
    ),

  listCredentialQueue: async (input) =>
    pagedList(input, (page, filters) => credentials.queue(input.context, filters, page)),

  getCredential: async ({ context, params }) => withEtag(await credentials.get(context, params.id)),

  verifyCredential: async (input) => decide(input, { transition: 'verify', ...input.body }),
  rejectCredential: async (input) => decide(input, { transition: 'reject', ...input.body }),
  revokeCredential: async (input) => decide(input, { transition: 'revoke', ...input.body }),

  requestCredentialDocumentUpload: async ({ context, params, body }) => ({
    status: 200,
    body: await documents.requestUpload(context, params.id, body),
  }),

  getCredentialDocument: async ({ context, params }) => ({
    status: 200,
    body: await documents.download(context, params.id),
  }),

  runCredentialExpirySweep: async ({ context }) => ({ status: 200, body: await sweep.runNow(context) }),
};

export const handler = httpFunction(CREDENTIALS_ROUTES, operations, withIdempotency);
