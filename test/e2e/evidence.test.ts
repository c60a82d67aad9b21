/**
 * Evidence that cannot be swapped (issue 13) on the twin: an Idempotency-Key bound to the request
 * it first answered.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#domain/roles.ts';
import { api, loginAs, uniqueEmail } from './support/twin.ts';

const token = async (role: Role) => (await loginAs(role)).idToken;

const newStaffMember = async (name: string) => {
  const user = await api('/users', {
    method: 'POST',
    token: await token('admin'),
    body: { email: uniqueEmail('evidence'), name, roles: ['recruiter'] },
  });
  const profile = await api('/staff', {
    method: 'POST',
    token: await token('admin'),
    body: { userId: user.body.id, name },
  });
  expect(profile.status, profile.text).toBe(201);
  return profile.body.id as string;
};

let staffA: string;
let staffB: string;

beforeAll(async () => {
  staffA = await newStaffMember('Ada Evidence');
  staffB = await newStaffMember('Bea Evidence');
});

describe('Idempotency-Key', () => {
  it('answers 422, never a replay, to the same key and body on another staff member', async () => {
    // Prepare
    const headers = { 'idempotency-key': `cross-path-${Date.now()}` };
    const body = { type: 'BLS', issuedBy: 'Board', expiryDate: '2099-01-01' };
    const request = { method: 'POST', token: await token('credentialing'), body, headers };
    const forA = await api(`/staff/${staffA}/credentials`, request);
    // Act
    const forB = await api(`/staff/${staffB}/credentials`, request);
    const againForA = await api(`/staff/${staffA}/credentials`, request);
    // Assess
    expect(forA.status, forA.text).toBe(201);
    expect(forB.status, forB.text).toBe(422);
    expect(forB.body).toMatchObject({ details: { idempotencyKey: 'reused with another path' } });
    const listB = await api(`/staff/${staffB}/credentials`, { token: await token('credentialing') });
    expect(listB.body.items).toEqual([]);
    expect(againForA.status).toBe(201);
    expect(againForA.body.id).toBe(forA.body.id);
    expect(againForA.headers.get('idempotent-replayed')).toBe('true');
  });
});
