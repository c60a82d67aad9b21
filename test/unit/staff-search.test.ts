import { describe, expect, it } from 'vitest';
import { Forbidden } from '#domain/errors.ts';
import type { StoredStaffProfile } from '#domain/staff/ports.ts';
import { createStaffSearch } from '#domain/staff/search.ts';
import {
  credentialTerms,
  licenceKey,
  nameWords,
  profileTerms,
  type SearchTerm,
} from '#domain/staff/search-terms.ts';
import { contextOf } from './support/credential-fakes.ts';

describe('search terms', () => {
  it('fold case and accents and split every word of a name', () => {
    // Act
    const words = nameWords("  José  ÉLODIE-Ångström o'Brien José ");

    // Assess
    expect(words).toEqual(['jose', 'elodie', 'angstrom', 'o', 'brien']);
  });

  it('keep a licence number to its letters and digits in upper case', () => {
    expect(licenceKey('rn-123 456')).toBe('RN123456');
    expect(credentialTerms({ id: 'c1', staffId: 's1', number: ' - ' })).toEqual([]);
  });

  it('give a profile one term per word and one for its NPI', () => {
    // Act
    const terms = profileTerms({ id: 's1', name: 'Ana María', npi: '1234567893' });

    // Assess
    expect(terms.map((term) => `${term.field}#${term.bucket}/${term.value}`)).toEqual([
      'NAME#an/ana',
      'NAME#ma/maria',
      'NPI#1234567893/PROFILE',
    ]);
  });
});

const profile = (id: string, name: string): StoredStaffProfile => ({
  id,
  userId: `user-${id}`,
  name,
  email: `${id}@example.org`,
  isActive: true,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  lastActor: { userId: 'admin', roles: ['admin'], requestId: 'r1', action: 'create' },
});

/** An index over term lists as the repository writes them, sorted as the table sorts them. */
const searchOver = (profiles: StoredStaffProfile[], licences: SearchTerm[] = []) => {
  const terms = [...profiles.flatMap(profileTerms), ...licences];
  const names = terms
    .filter((term) => term.field === 'NAME')
    .sort((left, right) => `${left.value}#${left.staffId}`.localeCompare(`${right.value}#${right.staffId}`));
  return createStaffSearch({
    profiles: { getMany: async (ids) => profiles.filter((one) => ids.includes(one.id)) },
    index: {
      byNpi: async (npi) => terms.filter((t) => t.field === 'NPI' && t.bucket === npi).map((t) => t.staffId),
      byLicence: async (number) =>
        terms.filter((t) => t.field === 'LIC' && t.bucket === number).map((t) => t.staffId),
      byNamePrefix: async (prefix, page) => {
        const matching = names.filter((term) => term.value.startsWith(prefix));
        const start = Number(page.position?.at ?? 0);
        const items = matching.slice(start, start + page.limit);
        const end = start + items.length;
        return { items, ...(end < matching.length ? { next: { at: end } } : {}) };
      },
    },
  });
};

const credentialing = contextOf('cred-sub', ['credentialing']);

describe('staff search', () => {
  const people = [
    profile('s1', 'Joan Jones'),
    profile('s2', 'Élodie Jourdain'),
    { ...profile('s3', 'Nia Nurse'), npi: '1234567893' },
    profile('s4', 'Jo Adams'),
  ];
  const licence = credentialTerms({ id: 'c1', staffId: 's4', number: 'RN 1234567893' });

  it('answers a profile once though two of its words match, in word order, accents ignored', async () => {
    // Act
    const page = await searchOver(people, licence).search(credentialing, 'JO', { limit: 10 });

    // Assess
    expect(page.items.map((item) => [item.id, item.matchedBy])).toEqual([
      ['s4', 'name'],
      ['s1', 'name'],
      ['s2', 'name'],
    ]);
    expect(page.items[0]).toEqual({
      id: 's4',
      name: 'Jo Adams',
      isActive: true,
      credentialingStatus: 'none',
      matchedBy: 'name',
    });
  });

  it('needs every word of a query to start a word of the name', async () => {
    const page = await searchOver(people).search(credentialing, 'jour elo', { limit: 10 });
    expect(page.items.map((item) => item.id)).toEqual(['s2']);
  });

  it('puts exact NPI and licence matches first, then names, paging on', async () => {
    // Prepare
    const search = searchOver(people, credentialTerms({ id: 'c2', staffId: 's2', number: 'jones' }));

    // Act
    const first = await search.search(credentialing, 'Jones', { limit: 1 });
    const second = await search.search(credentialing, 'Jones', { limit: 1, position: first.next });
    const byNpi = await search.search(credentialing, '1234567893', { limit: 5 });

    // Assess
    expect(first.items.map((item) => [item.id, item.matchedBy])).toEqual([['s2', 'licence']]);
    expect(second.items.map((item) => [item.id, item.matchedBy])).toEqual([['s1', 'name']]);
    expect(second.next).toBeUndefined();
    expect(byNpi.items.map((item) => [item.id, item.matchedBy])).toEqual([['s3', 'npi']]);
  });

  it('pages name matches', async () => {
    // Act
    const search = searchOver(people);
    const first = await search.search(credentialing, 'jo', { limit: 2 });
    const second = await search.search(credentialing, 'jo', { limit: 2, position: first.next });

    // Assess
    expect([...first.items, ...second.items].map((item) => item.id)).toEqual(['s4', 's1', 's2']);
  });

  it('refuses staff members (their own profile is GET /me)', async () => {
    await expect(
      searchOver(people).search(contextOf('staff-sub', ['staff']), 'jo', { limit: 5 }),
    ).rejects.toBeInstanceOf(Forbidden);
  });
});
