/** A staff member flagged by exclusion monitoring cannot acknowledge contracts until the flag is resolved. */
import { describe, expect, it } from 'vitest';
import { createContractsService } from '#domain/contracts/service.ts';
import { RuleViolation } from '#domain/errors.ts';
import { ContractContentSchema } from '#domain/schemas/contracts.ts';
import {
  contextOf,
  createInMemoryContracts,
  createStaffDirectory,
  sequentialIds,
} from './support/scheduling-fakes.ts';

const STAFF_ID = '01JSTAFF00000000000000000A';
const FLAG_ID = '01JFLAG000000000000000000A';
const recruiter = contextOf('recruiter-sub', ['recruiter']);
const staffMember = contextOf('staff-sub', ['staff']);

const setup = (flags: Map<string, string>) => {
  const store = createInMemoryContracts();
  const directory = createStaffDirectory();
  directory.owners.set(STAFF_ID, 'staff-sub');
  directory.held.set(STAFF_ID, [{ type: 'RN', status: 'active' }]);
  const service = createContractsService({
    contracts: store.repository,
    staff: directory.staff,
    credentials: directory.credentials,
    holds: { openFlagOf: async (staffId) => flags.get(staffId) },
    newId: sequentialIds,
  });
  const offered = async () => {
    const draft = await service.create(recruiter, {
      staffId: STAFF_ID,
      ...ContractContentSchema.parse({
        title: 'Med-surg, 8 weeks',
        terms: 'Days, 4×10h.',
        startDate: '2026-04-06',
        endDate: '2026-05-29',
        requiredCredentialTypes: ['RN'],
      }),
    });
    return service.transition(recruiter, draft.id, 'offer');
  };
  const acknowledge = (contract: { id: string; currentVersion: number; contentHash: string }) =>
    service.transition(staffMember, contract.id, 'acknowledge', {
      acknowledges: { version: contract.currentVersion, contentHash: contract.contentHash },
    });
  return { store, offered, acknowledge };
};

describe('contract acknowledgement while flagged', () => {
  it('is a 422 naming the flag, and nothing changes', async () => {
    // Prepare
    const flags = new Map([[STAFF_ID, FLAG_ID]]);
    const { store, offered, acknowledge } = setup(flags);
    const contract = await offered();

    // Act
    const refused = await acknowledge(contract).catch((error: unknown) => error);

    // Assess
    expect(refused).toBeInstanceOf(RuleViolation);
    expect(refused).toMatchObject({
      status: 422,
      details: { credentialingFlagId: FLAG_ID },
      message: expect.stringContaining('flagged by exclusion monitoring'),
    });
    expect(store.heads.get(contract.id)).toMatchObject({ status: 'offered', version: contract.version });
  });

  it('goes through once the flag is resolved', async () => {
    // Prepare
    const flags = new Map([[STAFF_ID, FLAG_ID]]);
    const { offered, acknowledge } = setup(flags);
    const contract = await offered();
    await expect(acknowledge(contract)).rejects.toBeInstanceOf(RuleViolation);

    // Act
    flags.delete(STAFF_ID);
    const acknowledged = await acknowledge(contract);

    // Assess
    expect(acknowledged.status).toBe('acknowledged');
  });
});
