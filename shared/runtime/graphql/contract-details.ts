/**
 * The single contract request (the template's FAQ: "the latest contract details in a single
 * request"): `Contract` gains its staff member's summary, each required credential type with
 * the staff member's matching credential, and the next appointments under the contract. Reads
 * go through the same services and routes as REST (their policy decides), batched per request:
 * staff summaries in one BatchGetItem, credentials and appointments one Query per staff member.
 */
import type { GraphQLFieldResolver } from 'graphql';
import type * as z from 'zod';
import type { ServiceContext } from '#domain/context.ts';
import { NotFound, ValidationFailed } from '#domain/errors.ts';
import type { AppointmentSchema } from '#domain/schemas/appointments.ts';
import type { Contract } from '#domain/schemas/contracts.ts';
import type { Credential } from '#domain/schemas/credentials.ts';
import { MAX_NEXT_APPOINTMENTS } from '#domain/schemas/graphql.ts';
import type { StaffProfileSchema } from '#domain/schemas/staff.ts';
import { batchLoader, memo } from './batch-loader.ts';
import type { GraphqlContext } from './run-route.ts';

type Appointment = z.infer<typeof AppointmentSchema>;
type StaffProfile = z.infer<typeof StaffProfileSchema>;
type Page<T> = { items: T[]; nextCursor: string | null };

export interface ContractDetailsDeps {
  /** Readable profiles among `staffIds`, without dates of birth, in one batch read. */
  staffSummaries(
    context: ServiceContext,
    staffIds: readonly string[],
  ): Promise<ReadonlyMap<string, StaffProfile>>;
  /** Runs a REST route's operation (its role check and policy included) for the request. */
  run(operationId: string, args: Record<string, unknown>, request: GraphqlContext): Promise<unknown>;
}

// A contract requires at most 20 credential types; a staff member rarely holds more than a page.
const CREDENTIALS_PAGE = 100;
const APPOINTMENTS_PAGE = 100;

const loadersFor = (deps: ContractDetailsDeps, request: GraphqlContext) => ({
  staff: batchLoader((ids: readonly string[]) => deps.staffSummaries(request.context, ids)),
  credentials: memo(
    async (staffId: string) =>
      (
        (await deps.run(
          'listStaffCredentials',
          { id: staffId, limit: CREDENTIALS_PAGE },
          request,
        )) as Page<Credential>
      ).items,
  ),
  upcoming: memo(
    async (staffId: string) =>
      (
        (await deps.run(
          'listAppointments',
          { staffId, from: request.context.now.toISOString(), limit: APPOINTMENTS_PAGE },
          request,
        )) as Page<Appointment>
      ).items,
  ),
});

const requests = new WeakMap<GraphqlContext, ReturnType<typeof loadersFor>>();

/** The active credential of a type if any, else the most recently updated one. */
const matching = (held: readonly Credential[], type: string): Credential | undefined => {
  const ofType = held.filter((credential) => credential.type === type);
  return (
    ofType.find((credential) => credential.status === 'active') ??
    ofType.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0]
  );
};

// A staff member who may not read a credential list or appointments gets none, not an error:
// the contract itself was readable.
const orNone = async <T>(read: Promise<T[]>): Promise<T[]> =>
  read.catch((error: unknown) => {
    if (error instanceof NotFound) return [];
    throw error;
  });

type ContractField = 'staff' | 'requiredCredentials' | 'nextAppointments';

/** The resolvers of the fields `Contract` gains (their types: served-schema.ts). */
export const contractFieldResolvers = (
  deps: ContractDetailsDeps,
): Record<ContractField, GraphQLFieldResolver<unknown, GraphqlContext>> => {
  const loaders = (request: GraphqlContext) => {
    const known = requests.get(request);
    if (known !== undefined) return known;
    const created = loadersFor(deps, request);
    requests.set(request, created);
    return created;
  };
  return {
    staff: (contract, _args, request) => loaders(request).staff.load((contract as Contract).staffId),
    requiredCredentials: async (contract, _args, request) => {
      const { staffId, requiredCredentialTypes } = contract as Contract;
      const held = await orNone(loaders(request).credentials(staffId));
      return requiredCredentialTypes.map((type) => {
        const credential = matching(held, type);
        return { type, held: credential?.status === 'active', credential: credential ?? null };
      });
    },
    nextAppointments: async (contract, args: { limit: number }, request) => {
      if (args.limit < 1 || args.limit > MAX_NEXT_APPOINTMENTS)
        throw new ValidationFailed([{ path: 'limit', message: `From 1 to ${MAX_NEXT_APPOINTMENTS}` }]);
      const { id, staffId } = contract as Contract;
      const upcoming = await orNone(loaders(request).upcoming(staffId));
      return upcoming.filter((appointment) => appointment.contractId === id).slice(0, args.limit);
    },
  };
};
