/** SAM.gov exclusions as a primary source (off unless configured), answered by the twin's fixture. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '#domain/context.ts';
import { createCheckService } from '#domain/credentialing/checks.ts';
import { createExclusionMonitoring } from '#domain/credentialing/monitoring.ts';
import { createSamSource, type SamExclusions } from '#domain/credentialing/sam.ts';
import { DependencyUnavailable } from '#domain/errors.ts';
import type { StoredStaffProfile } from '#domain/staff/ports.ts';
import { querySam, SAM_FIXTURES } from '../../local/nppes-stub.ts';
import { createInMemoryCredentials, createInMemoryStaff } from './support/credential-fakes.ts';
import {
  createInMemoryEvidence,
  createInMemoryFlags,
  createInMemoryVerifications,
} from './support/credentialing-fakes.ts';

const RECORDS = JSON.parse(readFileSync(SAM_FIXTURES, 'utf8')).excludedEntity;

/** The stub's answers, as the adapter would fetch them (with a key). */
const fixtureSam = (asked: unknown[] = []): SamExclusions => ({
  search: async (query) => {
    asked.push(query);
    const params = new URLSearchParams({
      api_key: 'twin',
      ...('npi' in query ? { npi: query.npi } : { exclusionName: query.name }),
    });
    return JSON.stringify(querySam(RECORDS, params));
  },
});

const profile = (name: string, npi?: string): StoredStaffProfile => ({
  id: '01J0000000000000000000SAM1',
  userId: 'sub',
  name,
  email: 'x@example.org',
  isActive: true,
  version: 1,
  createdAt: '2026-03-02T09:00:00.000Z',
  updatedAt: '2026-03-02T09:00:00.000Z',
  lastActor: { userId: 'x', roles: [], requestId: 'r', action: 'create' },
  ...(npi ? { npi } : {}),
});

const check = (sam: SamExclusions, subject: StoredStaffProfile) =>
  createSamSource(sam).check({ profile: subject, activeCredentials: [] });

describe('SAM.gov exclusions', () => {
  it('matches by NPI, keeping the answer as evidence', async () => {
    // Act
    const answer = await check(fixtureSam(), profile('Priya Raman', '1582947309'));

    // Assess
    expect(answer).toMatchObject({ result: 'match', sourceRef: 'SAM.gov Exclusions API v4 by NPI' });
    expect(JSON.parse(answer.snapshot)[0].excludedEntity[0].exclusionIdentification.lastName).toBe('RAMAN');
  });

  it('suspects a listed name (SAM has no date of birth), and clears everyone else', async () => {
    // Prepare
    const asked: unknown[] = [];

    // Act
    const namesake = await check(fixtureSam(asked), profile('Leo Martins'));
    const clear = await check(fixtureSam(asked), profile('Grace Ann Lindqvist', '1938475625'));

    // Assess
    expect(namesake).toMatchObject({ result: 'suspected', sourceRef: 'SAM.gov Exclusions API v4 by name' });
    expect(clear).toMatchObject({
      result: 'no_match',
      sourceRef: 'SAM.gov Exclusions API v4 by NPI and name',
    });
    expect(asked).toEqual([{ name: 'Leo Martins' }, { npi: '1938475625' }, { name: 'Grace Lindqvist' }]);
  });

  it('lets an unreachable API through as DependencyUnavailable (an error record)', async () => {
    const down: SamExclusions = {
      search: async () => {
        throw new DependencyUnavailable('api.sam.gov unreachable');
      },
    };
    await expect(check(down, profile('Leo Martins'))).rejects.toBeInstanceOf(DependencyUnavailable);
  });

  it('the stub refuses a query without an API key, as SAM.gov does', () => {
    expect(querySam(RECORDS, new URLSearchParams({ npi: '1582947309' }))).toHaveProperty('error');
  });
});

describe('monitoring with SAM configured', () => {
  it('screens approved staff against SAM too, and flags on a SAM match with its evidence', async () => {
    // Prepare
    const staff = createInMemoryStaff();
    const approved = {
      credentialingStatus: 'approved',
      recredentialDueAt: '2029-01-01T00:00:00.000Z',
    } as const;
    await staff.repository.create({ ...profile('Priya Raman', '1582947309'), ...approved });
    const verifications = createInMemoryVerifications();
    const evidence = createInMemoryEvidence();
    const flags = createInMemoryFlags(staff.repository);
    const checks = createCheckService({
      verifications: verifications.repository,
      profiles: staff.repository,
      credentials: createInMemoryCredentials().repository,
      evidence: evidence.store,
      sources: { sam: createSamSource(fixtureSam()) },
    });
    const monitoring = createExclusionMonitoring({
      profiles: staff.repository,
      checks,
      runs: { create: async () => undefined, list: async () => ({ items: [] }) },
      flags: flags.repository,
      sources: ['sam'],
    });

    // Act
    const run = await monitoring.run({
      actor: SYSTEM_ACTOR,
      now: new Date('2026-01-02T07:00:00Z'),
      requestId: 'm',
    });

    // Assess
    expect(run).toMatchObject({
      sources: ['sam'],
      checked: 1,
      matches: 1,
      flaggedStaffIds: ['01J0000000000000000000SAM1'],
    });
    const [flag] = flags.items.values();
    expect(flag).toMatchObject({ source: 'sam', result: 'match', status: 'open' });
    const record = verifications.items.get(flag?.id ?? '');
    expect(record?.evidence?.snapshotKey).toMatch(/^evidence\/sam\//);
    expect(evidence.objects.size).toBe(1);
  });
});
