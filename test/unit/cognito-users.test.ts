import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  TooManyRequestsException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { cognitoUsers as identity } from '#data/cognito-users.ts';
import { DependencyUnavailable } from '#domain/errors.ts';
import {
  cognito,
  cognitoError,
  cognitoUser,
  groupsOf,
  inputsOf,
  POOL,
  SUB,
  useCognitoPool,
} from './support/cognito.ts';
import { rejectionOf } from './support/rejection.ts';

useCognitoPool();

describe('cognito identity: users', () => {
  it('invites by email with a temporary password sent by EMAIL, then joins each group by sub', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: cognitoUser(SUB, 'ivy@example.com', 'Ivy') });
    cognito.on(AdminAddUserToGroupCommand).resolves({});

    const user = await identity.inviteUser({
      email: 'ivy@example.com',
      name: 'Ivy',
      roles: ['recruiter', 'staff'],
    });

    expect(inputsOf(AdminCreateUserCommand)).toEqual([
      {
        UserPoolId: POOL,
        Username: 'ivy@example.com',
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [
          { Name: 'email', Value: 'ivy@example.com' },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: 'Ivy' },
        ],
      },
    ]);
    expect(inputsOf(AdminAddUserToGroupCommand)).toEqual([
      { UserPoolId: POOL, Username: SUB, GroupName: 'recruiter' },
      { UserPoolId: POOL, Username: SUB, GroupName: 'staff' },
    ]);
    expect(user).toEqual({
      id: SUB,
      email: 'ivy@example.com',
      name: 'Ivy',
      roles: ['recruiter', 'staff'],
      enabled: true,
      createdAt: '2026-01-05T10:00:00.000Z',
    });
  });

  it('reads a user with their roles, ignoring groups that are not roles', async () => {
    cognito.on(AdminGetUserCommand).resolves({
      Username: SUB,
      UserAttributes: cognitoUser(SUB, 'nora@example.com', 'Nora').Attributes,
      Enabled: false,
      UserCreateDate: new Date('2026-01-05T10:00:00.000Z'),
    });
    groupsOf({ [SUB]: ['staff', 'us-east-1_pool_Google'] });

    const user = await identity.getUser(SUB);

    expect(user).toEqual({
      id: SUB,
      email: 'nora@example.com',
      name: 'Nora',
      roles: ['staff'],
      enabled: false,
      createdAt: '2026-01-05T10:00:00.000Z',
    });
    expect(inputsOf(AdminGetUserCommand)).toEqual([{ UserPoolId: POOL, Username: SUB }]);
  });

  it('answers undefined for an unknown user', async () => {
    cognito.on(AdminGetUserCommand).rejects(cognitoError(UserNotFoundException));

    expect(await identity.getUser(SUB)).toBeUndefined();
  });

  it('lists all users with ListUsers, at most 60 a call, passing the page token on, without role lookups', async () => {
    cognito.on(ListUsersCommand).resolves({
      Users: [cognitoUser('sub-a', 'a@example.com', 'A'), cognitoUser('sub-b', 'b@example.com', 'B')],
      PaginationToken: 'next-page',
    });
    groupsOf({ 'sub-a': ['admin'], 'sub-b': ['staff', 'credentialing'] });

    const page = await identity.listUsers({ limit: 100, pageToken: 'this-page' });

    expect(inputsOf(ListUsersCommand)).toEqual([
      { UserPoolId: POOL, Limit: 60, PaginationToken: 'this-page' },
    ]);
    expect(cognito.commandCalls(ListUsersInGroupCommand)).toHaveLength(0);
    expect(page.nextPageToken).toBe('next-page');
    expect(page.users.map((user) => [user.id, user.email])).toEqual([
      ['sub-a', 'a@example.com'],
      ['sub-b', 'b@example.com'],
    ]);
    expect(cognito.commandCalls(AdminListGroupsForUserCommand)).toHaveLength(0);
    expect(await identity.rolesOf('sub-b')).toEqual(['staff', 'credentialing']);
  });

  it('undoes an invitation whose group assignment fails, so a retry can succeed', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: cognitoUser(SUB, 'ivy@example.com', 'Ivy') });
    cognito.on(AdminAddUserToGroupCommand).rejects(cognitoError(TooManyRequestsException));
    cognito.on(AdminDeleteUserCommand).resolves({});

    const error = await rejectionOf(
      identity.inviteUser({ email: 'ivy@example.com', name: 'Ivy', roles: ['staff'] }),
    );

    expect(error).toBeInstanceOf(DependencyUnavailable);
    expect(inputsOf(AdminDeleteUserCommand)).toEqual([{ UserPoolId: POOL, Username: SUB }]);
  });

  it('lists the users of one role with ListUsersInGroup', async () => {
    cognito.on(ListUsersInGroupCommand).resolves({ Users: [cognitoUser('sub-a', 'a@example.com', 'A')] });
    groupsOf({ 'sub-a': ['recruiter'] });

    const page = await identity.listUsers({ role: 'recruiter', limit: 25 });

    expect(inputsOf(ListUsersInGroupCommand)).toEqual([
      { UserPoolId: POOL, GroupName: 'recruiter', Limit: 25, NextToken: undefined },
    ]);
    expect(cognito.commandCalls(ListUsersCommand)).toHaveLength(0);
    expect(page).toEqual({ users: [expect.objectContaining({ id: 'sub-a', email: 'a@example.com' })] });
  });

  it('sets roles by adding the missing groups and removing the extra ones, leaving the rest', async () => {
    let groups = ['staff', 'recruiter'];
    cognito
      .on(AdminListGroupsForUserCommand)
      .callsFake(async () => ({ Groups: groups.map((GroupName) => ({ GroupName })) }));
    cognito.on(AdminAddUserToGroupCommand).callsFake(async (input: { GroupName: string }) => {
      groups = [...groups, input.GroupName];
      return {};
    });
    cognito.on(AdminRemoveUserFromGroupCommand).callsFake(async (input: { GroupName: string }) => {
      groups = groups.filter((group) => group !== input.GroupName);
      return {};
    });
    cognito.on(AdminGetUserCommand).resolves({
      Username: SUB,
      UserAttributes: cognitoUser(SUB, 'nora@example.com', 'Nora').Attributes,
    });

    const user = await identity.setRoles(SUB, ['recruiter', 'admin']);

    expect(inputsOf(AdminAddUserToGroupCommand)).toEqual([
      { UserPoolId: POOL, Username: SUB, GroupName: 'admin' },
    ]);
    expect(inputsOf(AdminRemoveUserFromGroupCommand)).toEqual([
      { UserPoolId: POOL, Username: SUB, GroupName: 'staff' },
    ]);
    expect([...user.roles].sort()).toEqual(['admin', 'recruiter']);
  });

  it('disables a user by sub', async () => {
    cognito.on(AdminDisableUserCommand).resolves({});

    await identity.disableUser(SUB);

    expect(inputsOf(AdminDisableUserCommand)).toEqual([{ UserPoolId: POOL, Username: SUB }]);
  });
});
