/** The `credentials` function: credentials, their documents, the work queue and the sweep on demand. */
import { accessEventRepository } from '#data/access-events.ts';
import { credentialRepository } from '#data/credentials.ts';
import { s3DocumentStore } from '#data/documents.ts';
import { documentObjectKey } from '#data/entities/credentials.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createCredentialDocuments } from '#domain/credentials/documents.ts';
import { createExpirySweep } from '#domain/credentials/expiry-sweep.ts';
import { type CredentialDecision, createCredentialService } from '#domain/credentials/service.ts';
import type { AuthContext } from '#runtime/auth-context.ts';
import { etagHeader, httpFunction } from '#runtime/http.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { serviceContextOf } from '#runtime/service-context.ts';

const credentials = createCredentialService({
  credentials: credentialRepository,
  profiles: staffProfileRepository,
});
const documents = createCredentialDocuments({
  credentials: credentialRepository,
  store: s3DocumentStore,
  accessEvents: accessEventRepository,
  objectKeyFor: documentObjectKey,
});
const sweep = createExpirySweep({ credentials: credentialRepository });

const one = <T extends { version: number }>(status: number, credential: T) => ({
  status,
  headers: etagHeader(credential.version),
  body: credential,
});

/** verify, reject and revoke: one transition each, answered with the credential and its ETag. */
const decide = async (
  input: { auth: AuthContext; requestId: string; params: { id: string } },
  decision: CredentialDecision,
) => one(200, await credentials.decide(serviceContextOf(input), input.params.id, decision));

export const handler = httpFunction('credentials', {
  createCredential: async (input) =>
    one(201, await credentials.create(serviceContextOf(input), input.params.id, input.body)),

  listStaffCredentials: async (input) =>
    pagedList(input, { staffId: input.params.id, status: input.query.status }, (page) =>
      credentials.listOfStaff(serviceContextOf(input), input.params.id, input.query.status, page),
    ),

  listCredentialQueue: async (input) => {
    const filters = { status: input.query.status, expiringWithinDays: input.query.expiringWithinDays };
    return pagedList(input, filters, (page) => credentials.queue(serviceContextOf(input), filters, page));
  },

  getCredential: async (input) => one(200, await credentials.get(serviceContextOf(input), input.params.id)),

  verifyCredential: async (input) => decide(input, { transition: 'verify', ...input.body }),
  rejectCredential: async (input) => decide(input, { transition: 'reject', ...input.body }),
  revokeCredential: async (input) => decide(input, { transition: 'revoke', ...input.body }),

  requestCredentialDocumentUpload: async (input) => ({
    status: 200,
    body: await documents.requestUpload(serviceContextOf(input), input.params.id, input.body),
  }),

  getCredentialDocument: async (input) => ({
    status: 200,
    body: await documents.download(serviceContextOf(input), input.params.id),
  }),

  runCredentialExpirySweep: async (input) => ({
    status: 200,
    body: await sweep.runNow(serviceContextOf(input)),
  }),
});
