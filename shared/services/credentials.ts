/**
 * The credential service and the expiry sweep wired to their adapters, once: the credentials
 * function, the daily schedule and the demo seeds share them.
 */
import { verificationRepository } from '#data/credentialing.ts';
import { credentialRepository } from '#data/credentials.ts';
import { s3DocumentStore } from '#data/documents.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createExpirySweep } from '#domain/credentials/expiry-sweep.ts';
import { createCredentialService } from '#domain/credentials/service.ts';

export const credentialService = /* @__PURE__ */ createCredentialService({
  credentials: credentialRepository,
  profiles: staffProfileRepository,
  documents: s3DocumentStore,
  verifications: verificationRepository,
});

export const expirySweep = /* @__PURE__ */ createExpirySweep({ credentials: credentialRepository });
