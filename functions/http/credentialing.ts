/** The `credentialing` function: verification records and primary-source checks. */
import { verificationRepository } from '#data/credentialing.ts';
import { credentialRepository } from '#data/credentials.ts';
import { staffProfileRepository } from '#data/staff.ts';
import { createVerificationService } from '#domain/credentialing/verifications.ts';
import { httpFunction } from '#runtime/http.ts';
import { pagedList } from '#runtime/paged-list.ts';

const verifications = createVerificationService({
  verifications: verificationRepository,
  profiles: staffProfileRepository,
  credentials: credentialRepository,
});

export const handler = httpFunction('credentialing', {
  createVerification: async ({ context, params, body }) => ({
    status: 201,
    body: await verifications.createManual(context, params.id, body),
  }),

  listVerifications: async (input) =>
    pagedList(input, (page) => verifications.listOfStaff(input.context, input.params.id, page)),
});
