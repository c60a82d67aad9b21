/**
 * POST /staff/search on the twin: names (any word, case and accents ignored), an exact NPI or
 * licence number, exact matches first, paging with cursors bound to the caller and the query,
 * terms following a rename, the access matrix and bad input.
 */
import { randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#domain/roles.ts';
import { isValidNpi } from '#domain/staff/npi.ts';
import { credentialOf, newStaffMember, type StaffMember } from './support/staff-members.ts';
import { api, loginAs } from './support/twin.ts';

const token = async (role: Role) => (await loginAs(role)).idToken;
/** A word no other test's name holds: the search partitions are shared by the whole twin. */
const tag = Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join('');
const digits = String(randomInt(10 ** 8, 10 ** 9));
const npi = Array.from({ length: 10 }, (_, check) => `${digits}${check}`).find(isValidNpi) ?? '';

const search = async (role: Role, body: unknown) =>
  api('/staff/search', { method: 'POST', token: await token(role), body });

let first: StaffMember;
let second: StaffMember;

beforeAll(async () => {
  [first, second] = await Promise.all([newStaffMember('search-a'), newStaffMember('search-b')]);
  const admin = await token('admin');
  const renames = [
    api(`/staff/${first.staffId}`, {
      method: 'PATCH',
      token: admin,
      body: { name: `Zoë Ångel${tag}`, npi },
      headers: { 'if-match': '"1"' },
    }),
    api(`/staff/${second.staffId}`, {
      method: 'PATCH',
      token: admin,
      body: { name: `Ångel${tag}b Rn${tag}` },
      headers: { 'if-match': '"1"' },
    }),
  ];
  for (const renamed of await Promise.all(renames)) expect(renamed.status).toBe(200);
  const created = await api(`/staff/${second.staffId}/credentials`, {
    method: 'POST',
    token: second.session.idToken,
    body: { type: 'RN', number: `RN-${tag}` },
  });
  expect(created.status).toBe(201);
  await credentialOf(first, 'BLS', { pending: true });
}, 60_000);

describe('POST /staff/search', () => {
  it('finds a name prefix of any word, case and accents ignored', async () => {
    // Act
    const byFirstWord = await search('credentialing', { q: 'ZOE' });
    const byTwoWords = await search('credentialing', { q: `zoe ANGEL${tag.slice(0, 4)}` });

    // Assess
    expect(byFirstWord.body.items).toContainEqual(
      expect.objectContaining({ id: first.staffId, name: `Zoë Ångel${tag}`, matchedBy: 'name' }),
    );
    expect(byTwoWords.body.items.map((item: { id: string }) => item.id)).toEqual([first.staffId]);
  });

  it('puts an exact NPI or licence number first, then names', async () => {
    // Act
    const byNpi = await search('admin', { q: npi });
    const byLicence = await search('credentialing', { q: `rn ${tag}` });
    const byLicenceOrName = await search('credentialing', { q: `rn${tag}` });

    // Assess
    expect(byNpi.body.items).toEqual([expect.objectContaining({ id: first.staffId, matchedBy: 'npi' })]);
    expect(byLicence.body.items).toEqual([
      expect.objectContaining({ id: second.staffId, matchedBy: 'licence' }),
    ]);
    expect(byLicenceOrName.body.items).toEqual([
      expect.objectContaining({ id: second.staffId, matchedBy: 'licence' }),
    ]);
  });

  it('pages in word order with cursors bound to the caller and the query', async () => {
    // Act
    const page1 = await search('credentialing', { q: `angel${tag}`, limit: 1 });
    const page2 = await search('credentialing', {
      q: `angel${tag}`,
      limit: 1,
      cursor: page1.body.nextCursor,
    });
    const otherQuery = await search('credentialing', { q: `zoe`, cursor: page1.body.nextCursor });
    const otherCaller = await search('admin', { q: `angel${tag}`, limit: 1, cursor: page1.body.nextCursor });

    // Assess
    expect(page1.body.items.map((item: { id: string }) => item.id)).toEqual([first.staffId]);
    expect(page2.body.items.map((item: { id: string }) => item.id)).toEqual([second.staffId]);
    // DynamoDB may hand a cursor on a full page with nothing after it: that page is empty.
    const page3 = page2.body.nextCursor
      ? await search('credentialing', { q: `angel${tag}`, limit: 1, cursor: page2.body.nextCursor })
      : { body: { items: [] } };
    expect(page3.body.items).toEqual([]);
    expect([otherQuery.status, otherCaller.status]).toEqual([400, 400]);
  });

  it('follows a rename: the old words find nothing, the new ones the profile', async () => {
    // Prepare
    const current = await api(`/staff/${second.staffId}`, { token: await token('admin') });

    // Act
    const renamed = await api(`/staff/${second.staffId}`, {
      method: 'PATCH',
      token: await token('admin'),
      body: { name: `Renamed${tag}` },
      headers: { 'if-match': `"${current.body.version}"` },
    });
    const byOld = await search('credentialing', { q: `angel${tag}b` });
    const byNew = await search('credentialing', { q: `renamed${tag}` });

    // Assess
    expect(renamed.status).toBe(200);
    expect(byOld.body.items).toEqual([]);
    expect(byNew.body.items.map((item: { id: string }) => item.id)).toEqual([second.staffId]);
  });

  it('answers recruiters summaries without PHI, and refuses staff', async () => {
    // Act
    const answers = await Promise.all(
      (['staff', 'recruiter', 'credentialing', 'admin'] as const).map((role) => search(role, { q: npi })),
    );
    const own = await api('/staff/search', {
      method: 'POST',
      token: first.session.idToken,
      body: { q: npi },
    });

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([403, 200, 200, 200]);
    expect(own.status).toBe(403);
    expect(Object.keys(answers[1]?.body.items[0] ?? {}).sort()).toEqual(
      ['credentialingStatus', 'id', 'isActive', 'matchedBy', 'name'].sort(),
    );
  });

  it.each([
    ['too short', { q: 'a' }],
    ['too long', { q: 'x'.repeat(101) }],
    ['blank', { q: '   ' }],
    ['missing', {}],
    ['an unknown field', { q: 'zoe', npi }],
    ['a limit too high', { q: 'zoe', limit: 101 }],
    ['a forged cursor', { q: 'zoe', cursor: 'not-a-cursor' }],
  ])('refuses %s with 400', async (_label, body) => {
    const answer = await search('credentialing', body);
    expect(answer.status).toBe(400);
  });

  it('is not a GET: a query string never carries the search', async () => {
    const answer = await api(`/staff/search?q=${tag}`, { token: await token('credentialing') });
    expect(answer.status).toBe(400);
  });
});
