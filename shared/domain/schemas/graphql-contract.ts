import * as z from 'zod';
import '../zod-openapi.ts';
import { CredentialSchema } from './credentials.ts';

/**
 * One credential type a contract requires, beside the staff member's matching credential
 * (GraphQL's `Contract.requiredCredentials`): the active one if any, else the newest. Apart
 * from the envelope's schemas (graphql.ts) because only the generated schema shape reads it:
 * the graphql function's cold start does not load the credential schemas.
 */
export const RequiredCredentialSchema = z
  .object({
    type: z.string().describe('The credential type code the contract requires'),
    held: z.boolean().describe('An active credential of this type is on file'),
    credential: CredentialSchema.nullable().describe('The matching credential, if any'),
  })
  .openapi('RequiredCredential');
