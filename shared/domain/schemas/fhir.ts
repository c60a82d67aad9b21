import * as z from 'zod';
import '../zod-openapi.ts';

/** A FHIR R4 resource, as far as the API describes it: the FHIR specification says the rest. */
const FhirResourceSchema = z
  .object({ resourceType: z.string(), id: z.string() })
  .catchall(z.unknown())
  .describe('A FHIR R4 resource (Practitioner, PractitionerRole)');

export const FhirBundleSchema = z
  .object({
    resourceType: z.literal('Bundle'),
    type: z.literal('collection'),
    timestamp: z.string(),
    entry: z.array(z.object({ fullUrl: z.string(), resource: FhirResourceSchema })),
  })
  .openapi('FhirBundle', {
    description:
      'FHIR R4 Bundle (collection): a Practitioner (names, NPI as identifier with system http://hl7.org/fhir/sid/us-npi, qualifications from active credentials with issuer and period) and its PractitionerRole',
  });

export type FhirBundle = z.infer<typeof FhirBundleSchema>;
