/** The `credentialing` function: verification records and primary-source checks. */
import { decisionRepository, monitoringRunRepository, verificationRepository } from '#data/credentialing.ts';
import { credentialRepository } from '#data/credentials.ts';
import { s3EvidenceStore } from '#data/evidence.ts';
import { exclusionRepository } from '#data/leie.ts';
import { nppesRegistry } from '#data/nppes.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createCheckService } from '#domain/credentialing/checks.ts';
import { createDecisionService } from '#domain/credentialing/decisions.ts';
import { createLeieSource } from '#domain/credentialing/leie.ts';
import { createExclusionMonitoring } from '#domain/credentialing/monitoring.ts';
import { createNppesSource } from '#domain/credentialing/nppes.ts';
import { createVerificationService } from '#domain/credentialing/verifications.ts';
import { httpFunction, type Operations } from '#runtime/http.ts';
import { pagedList } from '#runtime/paged-list.ts';

const verifications = createVerificationService({
  verifications: verificationRepository,
  profiles: staffProfileRepository,
  credentials: credentialRepository,
});

const checks = createCheckService({
  verifications: verificationRepository,
  profiles: staffProfileRepository,
  credentials: credentialRepository,
  evidence: s3EvidenceStore,
  sources: { nppes: createNppesSource(nppesRegistry()), leie: createLeieSource(exclusionRepository) },
});

const decisions = createDecisionService({
  decisions: decisionRepository,
  profiles: staffProfileRepository,
  credentials: credentialRepository,
  verifications: verificationRepository,
});

const monitoring = createExclusionMonitoring({
  profiles: staffProfileRepository,
  checks,
  runs: monitoringRunRepository,
});

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

  checkLeie: async ({ context, params }) => ({
    status: 201,
    body: await checks.run(context, params.id, 'leie'),
  }),
};

export const handler = httpFunction('credentialing', operations);
