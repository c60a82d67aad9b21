/** NPI check digits, the NPPES source against the shipped fixtures, and checks kept as evidence. */

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchText } from '#data/outbound.ts';
import { createCheckService } from '#domain/credentialing/checks.ts';
import { createNppesSource, type NppesRegistry } from '#domain/credentialing/nppes.ts';
import { DependencyUnavailable, Forbidden, RuleViolation } from '#domain/errors.ts';
import { CreateStaffProfileBodySchema } from '#domain/schemas/staff.ts';
import { isValidNpi } from '#domain/staff/npi.ts';
import { NPPES_FIXTURES, queryNppes } from '../../local/nppes-stub.ts';
import {
  contextOf,
  createInMemoryCredentials,
  createInMemoryStaff,
  idSequence,
} from './support/credential-fakes.ts';
import { createInMemoryEvidence, createInMemoryVerifications } from './support/credentialing-fakes.ts';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const STAFF_ID = '01J00000000000000000STAFF1';
const credentialing = contextOf('cred-sub', ['credentialing']);
const recruiter = contextOf('recruiter-sub', ['recruiter']);
const FIXTURES = JSON.parse(readFileSync(NPPES_FIXTURES, 'utf8')).results;

/** The registry as the twin's stub answers it: the fixtures through the 2.1 query shape. */
const fixtureRegistry: NppesRegistry = {
  byNumber: async (npi) =>
    JSON.stringify(queryNppes(FIXTURES, new URLSearchParams({ version: '2.1', number: npi, limit: '1' }))),
};

describe('NPI check digit', () => {
  it.each([
    ['1234567893', true],
    ['1043567894', true],
    ['1234567890', false],
    ['1043567849', false],
    ['123456789', false],
    ['12345678930', false],
  ])('%s → %s', (npi, valid) => {
    expect(isValidNpi(npi)).toBe(valid);
    const body = { userId: '3f1c2a4e-0000-4000-8000-000000000001', name: 'Nia', npi };
    expect(CreateStaffProfileBodySchema.safeParse(body).success).toBe(valid);
  });
});

describe('the NPPES stub', () => {
  it('answers the 2.1 query shape: by number, by name prefix and state, and refuses what the API refuses', () => {
    const ask = (query: Record<string, string>) => queryNppes(FIXTURES, new URLSearchParams(query));
    expect(ask({ version: '2.1', number: '1043567894' })).toMatchObject({
      result_count: 1,
      results: [{ basic: { first_name: 'NINA', last_name: 'OKAFOR', status: 'A' } }],
    });
    expect(ask({ version: '2.1', last_name: 'RAM*', state: 'CA' })).toMatchObject({ result_count: 1 });
    expect(ask({ version: '2.1', number: '1234567893' })).toEqual({ result_count: 0, results: [] });
    expect(ask({ version: '2.1', number: '1043567894', limit: '201' })).toHaveProperty('Errors');
    expect(ask({ version: '2.0', number: '1043567894' })).toHaveProperty('Errors');
  });
});

describe('NPPES checks', () => {
  let staff: ReturnType<typeof createInMemoryStaff>;
  let credentials: ReturnType<typeof createInMemoryCredentials>;
  let evidence: ReturnType<typeof createInMemoryEvidence>;
  let verifications: ReturnType<typeof createInMemoryVerifications>;
  let registry: NppesRegistry;
  let newId: () => string;

  const service = () =>
    createCheckService({
      verifications: verifications.repository,
      profiles: staff.repository,
      credentials: credentials.repository,
      evidence: evidence.store,
      sources: { nppes: createNppesSource({ byNumber: (npi) => registry.byNumber(npi) }) },
      newId,
    });

  const withProfile = (name: string, npi?: string) =>
    staff.repository.create({
      id: STAFF_ID,
      userId: 'owner-sub',
      name,
      ...(npi ? { npi } : {}),
      email: 'nina@example.org',
      isActive: true,
      version: 1,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      lastActor: { userId: 'x', roles: [], requestId: 'r', action: 'create' },
    });

  beforeEach(() => {
    staff = createInMemoryStaff();
    credentials = createInMemoryCredentials();
    evidence = createInMemoryEvidence();
    verifications = createInMemoryVerifications();
    registry = fixtureRegistry;
    newId = idSequence();
  });

  it('records a match with the registry answer kept as evidence', async () => {
    await withProfile('Nina Okafor', '1043567894');

    const record = await service().run(credentialing, STAFF_ID, 'nppes');

    expect(record).toMatchObject({
      subject: { staffId: STAFF_ID },
      source: 'nppes',
      method: 'api',
      result: 'match',
      verifier: 'cred-sub',
      sourceRef: 'NPPES NPI Registry API 2.1',
    });
    const kept = evidence.objects.get(record.evidence?.snapshotKey ?? '');
    expect(JSON.parse(kept ?? '{}')).toMatchObject({ result_count: 1 });
  });

  it('records a no_match naming each differing field: name, an unlisted licence, an unknown NPI', async () => {
    // Prepare
    await withProfile('Leo Martins', '1769382015');
    await credentials.repository.create({
      id: '01J0000000000000000000CRED',
      staffId: STAFF_ID,
      ownerUserId: 'owner-sub',
      type: 'RN',
      jurisdiction: 'TX',
      number: '111111',
      status: 'active',
      expiryWarning: null,
      version: 2,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      lastActor: { userId: 'x', roles: [], requestId: 'r', action: 'verify' },
    });

    // Act
    const record = await service().run(credentialing, STAFF_ID, 'nppes');

    // Assess
    expect(record.result).toBe('no_match');
    expect(record.differences).toEqual([
      { field: 'name', profileValue: 'Leo Martins', sourceValue: 'LEONARDO MARTINEZ' },
      { field: 'taxonomies.license (RN, TX)', profileValue: '111111', sourceValue: null },
    ]);
  });

  it('records an unknown NPI as no_match, an unreachable registry as error, and refuses a profile without NPI', async () => {
    await withProfile('Nia Nobody', '1234567893');
    expect(await service().run(credentialing, STAFF_ID, 'nppes')).toMatchObject({
      result: 'no_match',
      differences: [{ field: 'npi', profileValue: '1234567893', sourceValue: null }],
    });
    registry = { byNumber: async () => Promise.reject(new DependencyUnavailable('down')) };
    const failed = await service().run(credentialing, STAFF_ID, 'nppes');
    expect(failed).toMatchObject({ result: 'error' });
    expect(failed).not.toHaveProperty('evidence');
    await expect(service().run(recruiter, STAFF_ID, 'nppes')).rejects.toBeInstanceOf(Forbidden);

    staff = createInMemoryStaff();
    await withProfile('Nia Nobody');
    await expect(service().run(credentialing, STAFF_ID, 'nppes')).rejects.toBeInstanceOf(RuleViolation);
  });
});

describe('outbound calls', () => {
  // The stub listens on loopback: the twin's rules (AWS refuses it: outbound-guard.test.ts).
  const TWIN = { allowLocal: true };
  let server: ReturnType<typeof createServer>;
  let base: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/redirect') response.writeHead(302, { location: '/ok' }).end();
      else if (request.url === '/slow') setTimeout(() => response.end('late'), 2_000);
      else response.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('never follows a redirect and gives up after its time limit', async () => {
    expect(await fetchText(new URL(`${base}/ok`), undefined, undefined, TWIN)).toBe('{"ok":true}');
    await expect(fetchText(new URL(`${base}/redirect`), undefined, undefined, TWIN)).rejects.toBeInstanceOf(
      DependencyUnavailable,
    );
    await expect(fetchText(new URL(`${base}/slow`), 100, undefined, TWIN)).rejects.toBeInstanceOf(
      DependencyUnavailable,
    );
  });
});
