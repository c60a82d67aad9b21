import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '#domain/context.ts';
import { Forbidden, NotFound } from '#domain/errors.ts';
import type { IdentityUser } from '#domain/identity/ports.ts';
import { createUsersService, type UserListPosition } from '#domain/identity/users-service.ts';
import type { Actor } from '#domain/policy.ts';
import type { Role } from '#domain/roles.ts';
import {
  createInMemoryAccessEvents,
  createInMemoryIdentity,
  type InMemoryIdentityOptions,
} from './support/identity-fakes.ts';

const as = (...roles: Role[]): Actor => ({ userId: 'caller-sub', roles });
const ADMIN = as('admin');
const UNKNOWN_ID = '00000000-0000-4000-8000-999999999999';

const contextOf = (actor: Actor): ServiceContext => ({
  actor,
  now: new Date('2026-03-02T09:00:00.000Z'),
  requestId: 'req-users',
});

const setup = (options?: InMemoryIdentityOptions) => {
  const identity = createInMemoryIdentity(options);
  const accessEvents = createInMemoryAccessEvents();
  return {
    identity,
    accessEvents,
    users: createUsersService({ identity: identity.provider, accessEvents: accessEvents.repository }),
  };
};

const seed = (
  identity: ReturnType<typeof createInMemoryIdentity>,
  count: number,
  roles: Role[] = ['staff'],
) =>
  Array.from({ length: count }, (_, index) =>
    identity.add({ email: `user${index}@example.com`, name: `User ${index}`, roles }),
  );

/** Follows `next` from the first page to the last, as a client following cursors would. */
const walk = async (
  users: ReturnType<typeof createUsersService>,
  input: { role?: Role; limit: number },
): Promise<IdentityUser[][]> => {
  const pages: IdentityUser[][] = [];
  let position: UserListPosition | undefined;
  do {
    const page = await users.list(ADMIN, { ...input, position });
    pages.push(page.users);
    // Through JSON, as the cursor carries it.
    position = page.next && (JSON.parse(JSON.stringify(page.next)) as UserListPosition);
    if (pages.length > 100) throw new Error('the pages never end');
  } while (position);
  return pages;
};

describe('users service: invite', () => {
  const invitation = (roles: Role[]) => ({ email: 'ivy@example.com', name: 'Ivy Invited', roles });

  it('lets a recruiter invite staff', async () => {
    // Prepare
    const { identity, users } = setup();
    // Act
    const user = await users.invite(contextOf(as('recruiter')), invitation(['staff']));
    // Assess
    expect(user).toMatchObject({
      email: 'ivy@example.com',
      name: 'Ivy Invited',
      roles: ['staff'],
      enabled: true,
    });
    expect(identity.calls).toEqual(['inviteUser']);
  });

  it.each<{ roles: Role[] }>([
    { roles: ['recruiter'] },
    { roles: ['admin'] },
    { roles: ['credentialing'] },
    { roles: ['staff', 'recruiter'] },
  ])('refuses a recruiter inviting $roles, without creating anyone', async ({ roles }) => {
    const { identity, users } = setup();

    await expect(users.invite(contextOf(as('recruiter')), invitation(roles))).rejects.toBeInstanceOf(
      Forbidden,
    );

    expect(identity.calls).toEqual([]);
  });

  it.each<{ roles: Role[] }>([
    { roles: ['staff'] },
    { roles: ['recruiter'] },
    { roles: ['credentialing'] },
    { roles: ['admin'] },
    { roles: ['admin', 'recruiter'] },
  ])('lets an admin invite $roles', async ({ roles }) => {
    const { users } = setup();

    const user = await users.invite(contextOf(ADMIN), invitation(roles));

    expect(user.roles).toEqual(roles);
  });

  it.each<Role>(['staff', 'credentialing'])('refuses %s inviting anyone', async (role) => {
    const { identity, users } = setup();

    await expect(users.invite(contextOf(as(role)), invitation(['staff']))).rejects.toBeInstanceOf(Forbidden);

    expect(identity.calls).toEqual([]);
  });
});

describe('users service: roles and disabling', () => {
  it('sets the roles of an existing user', async () => {
    const { identity, users } = setup();
    const user = identity.add({ email: 'nora@example.com', roles: ['staff'] });

    const updated = await users.setRoles(contextOf(ADMIN), user.id, ['recruiter', 'credentialing']);

    expect(updated).toMatchObject({ id: user.id, roles: ['recruiter', 'credentialing'] });
  });

  it('answers NotFound for the roles of an unknown user, without asking to change them', async () => {
    const { identity, users } = setup();

    await expect(users.setRoles(contextOf(ADMIN), UNKNOWN_ID, ['staff'])).rejects.toBeInstanceOf(NotFound);

    expect(identity.calls).not.toContain('setRoles');
  });

  it('disables an existing user', async () => {
    const { identity, users } = setup();
    const user = identity.add({ email: 'nora@example.com' });

    await users.disable(contextOf(ADMIN), user.id);

    expect((await identity.provider.getUser(user.id))?.enabled).toBe(false);
  });

  it('answers NotFound when disabling an unknown user', async () => {
    const { identity, users } = setup();

    await expect(users.disable(contextOf(ADMIN), UNKNOWN_ID)).rejects.toBeInstanceOf(NotFound);

    expect(identity.calls).not.toContain('disableUser');
  });

  it.each<Role>(['recruiter', 'credentialing', 'staff'])(
    'refuses %s changing roles, disabling or listing (403 before any lookup, even for unknown ids)',
    async (role) => {
      const { identity, users } = setup();
      const user = identity.add({ email: 'nora@example.com' });

      await expect(users.setRoles(contextOf(as(role)), user.id, ['admin'])).rejects.toBeInstanceOf(Forbidden);
      await expect(users.setRoles(contextOf(as(role)), UNKNOWN_ID, ['admin'])).rejects.toBeInstanceOf(
        Forbidden,
      );
      await expect(users.disable(contextOf(as(role)), UNKNOWN_ID)).rejects.toBeInstanceOf(Forbidden);
      await expect(users.list(as(role), { limit: 10 })).rejects.toBeInstanceOf(Forbidden);

      expect(identity.calls).toEqual([]);
    },
  );
});

describe('users service: list paging', () => {
  it('cuts a provider page longer than the limit and continues where it stopped', async () => {
    // Prepare: the provider answers 7 users whatever it is asked.
    const { identity, users } = setup({ pageSize: () => 7 });
    const all = seed(identity, 10);
    // Act
    const first = await users.list(ADMIN, { limit: 3 });
    const second = await users.list(ADMIN, { limit: 3, position: first.next });
    // Assess
    expect(first.users.map((user) => user.id)).toEqual(all.slice(0, 3).map((user) => user.id));
    expect(first.next).toEqual({ pageToken: undefined, offset: 3 });
    expect(second.users.map((user) => user.id)).toEqual(all.slice(3, 6).map((user) => user.id));
    expect(second.next).toEqual({ pageToken: undefined, offset: 6 });
  });

  it('moves to the provider’s next page once its current page is used up', async () => {
    const { identity, users } = setup({ pageSize: () => 7 });
    const all = seed(identity, 10);

    const third = await users.list(ADMIN, { limit: 3, position: { offset: 6 } });
    const fourth = await users.list(ADMIN, { limit: 3, position: third.next });

    expect(third.users.map((user) => user.id)).toEqual([all[6]?.id]);
    expect(third.next).toEqual({ pageToken: 'from-7', offset: 0 });
    expect(fourth.users.map((user) => user.id)).toEqual(all.slice(7, 10).map((user) => user.id));
    expect(fourth.next).toBeUndefined();
  });

  it.each([
    { provider: 'returning 7 whatever the limit', pageSize: () => 7, limit: 3 },
    { provider: 'returning 7 whatever the limit', pageSize: () => 7, limit: 10 },
    { provider: 'returning twice the limit', pageSize: (limit: number) => 2 * limit, limit: 4 },
    { provider: 'capped at 60, like Cognito', pageSize: (limit: number) => Math.min(limit, 60), limit: 25 },
    { provider: 'capped at 60, like Cognito', pageSize: (limit: number) => Math.min(limit, 60), limit: 100 },
  ])('walks every user exactly once with a provider $provider, limit $limit', async ({ pageSize, limit }) => {
    const { identity, users } = setup({ pageSize });
    const all = seed(identity, 131);

    const pages = await walk(users, { limit });

    expect(pages.every((page) => page.length <= limit)).toBe(true);
    expect(pages.flat().map((user) => user.id)).toEqual(all.map((user) => user.id));
  });

  it('pages through the users of one role only', async () => {
    const { identity, users } = setup({ pageSize: () => 5 });
    const staff = seed(identity, 8, ['staff']);
    identity.add({ email: 'rita@example.com', roles: ['recruiter'] });
    const moreStaff = seed(identity, 4, ['staff', 'credentialing']);

    const pages = await walk(users, { role: 'staff', limit: 2 });

    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.flat().map((user) => user.id)).toEqual([...staff, ...moreStaff].map((user) => user.id));
  });

  it('answers an empty page without a next position when there are no users', async () => {
    const { users } = setup();

    const page = await users.list(ADMIN, { limit: 25 });

    expect(page).toEqual({ users: [], next: undefined });
  });
});

describe('users service: the ledger entry of each change', () => {
  it.each<{ roles: Role[]; recorded: boolean }>([
    { roles: ['recruiter'], recorded: true },
    { roles: ['admin', 'credentialing'], recorded: true },
    // The staff profile created with the invitation is that request's entry.
    { roles: ['staff'], recorded: false },
  ])('an invitation as $roles records an access event: $recorded', async ({ roles, recorded }) => {
    const { accessEvents, users } = setup();

    const user = await users.invite(contextOf(ADMIN), { email: 'ivy@example.com', name: 'Ivy', roles });

    expect(accessEvents.events).toEqual(
      recorded
        ? [
            expect.objectContaining({
              entityType: 'User',
              entityId: user.id,
              action: 'invite',
              lastActor: { userId: 'caller-sub', roles: ['admin'], requestId: 'req-users', action: 'invite' },
            }),
          ]
        : [],
    );
  });

  it('records a role change and a disabling on the user, with the request id and no PHI', async () => {
    const { identity, accessEvents, users } = setup();
    const user = identity.add({ email: 'nora@example.com', name: 'Nora Nurse', roles: ['staff'] });

    await users.setRoles(contextOf(ADMIN), user.id, ['recruiter']);
    await users.disable(contextOf(ADMIN), user.id);

    expect(
      accessEvents.events.map(({ entityType, entityId, action }) => ({ entityType, entityId, action })),
    ).toEqual([
      { entityType: 'User', entityId: user.id, action: 'roles.change' },
      { entityType: 'User', entityId: user.id, action: 'disable' },
    ]);
    expect(accessEvents.events.every((event) => event.lastActor.requestId === 'req-users')).toBe(true);
    expect(JSON.stringify(accessEvents.events)).not.toMatch(/nora@example\.com|Nora Nurse/);
  });

  it('records nothing when the change is refused', async () => {
    const { accessEvents, users } = setup();

    await expect(users.setRoles(contextOf(ADMIN), UNKNOWN_ID, ['staff'])).rejects.toBeInstanceOf(NotFound);
    await expect(users.disable(contextOf(as('recruiter')), UNKNOWN_ID)).rejects.toBeInstanceOf(Forbidden);

    expect(accessEvents.events).toEqual([]);
  });
});
