/** The `credentialing` function: verification records and primary-source checks. */

import { httpFunction, type Operations } from '#runtime/http.ts';
import { withIdempotency } from '#runtime/idempotent-routes.ts';
import { pagedList } from '#runtime/paged-list.ts';
import { CREDENTIALING_ROUTES } from '#shared/routes/credentialing.ts';
import {
  checkService as checks,
  decisionService as decisions,
  exclusionMonitoring as monitoring,
  verificationService as verifications,
} from '#shared/services/credentialing.ts';

/** Also run by the GraphQL function: one wiring of the services for both APIs. */
export const operations: Operations<'credentialing'> = {
  createVerification: async ({ context, params, body }) => ({
    status: 201,
    body: await verifications.createManual(context, params.id, body),
  }),

  listVerifications: async (input) =>
    pagedList(input, (page) => verifications.listOfStaff(input.context, input.params.id, page)),

  checkNppes: async ({ context, params }) => ({
    status: 201,
    body: await checks.run(context, params.id, 'nppes'),
  }),

  createCredentialingDecision: async ({ context, params, body }) => ({
    status: 201,
    body: await decisions.decide(context, params.id, body),
  }),

  listCredentialingDecisions: async (input) =>
    pagedList(input, (page) => decisions.listOfStaff(input.context, input.params.id, page)),

  resolveCredentialingFlag: async ({ context, params, body }) => ({
    status: 200,
    body: await decisions.resolveFlag(context, params.id, params.flagId, body),
  }),

  listMonitoringRuns: async (input) => pagedList(input, (page) => monitoring.list(input.context, page)),

  listCredentialingFlags: async (input) =>
    pagedList(input, (page, { status }) => monitoring.listFlags(input.context, status, page)),

  checkLeie: async ({ context, params }) => ({
    status: 201,
    body: await checks.run(context, params.id, 'leie'),
  }),
};

export const handler = httpFunction(CREDENTIALING_ROUTES, operations, withIdempotency);
