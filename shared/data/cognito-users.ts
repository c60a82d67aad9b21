/**
 * User administration on Cognito: reading users with their groups (the roles), invitations,
 * pages of users, role changes and disabling.
 */
import type { AttributeType, UserType } from '@aws-sdk/client-cognito-identity-provider';
import { NotFound } from '#domain/errors.ts';
import type { IdentityProvider, IdentityUser, UserRecord } from '#domain/identity/ports.ts';
import { isRole, type Role } from '#domain/roles.ts';
import { adminCall, cognito, commands, isCognitoException, translate, userPoolId } from './cognito-client.ts';

export type CognitoUsers = Pick<
  IdentityProvider,
  'getUser' | 'inviteUser' | 'listUsers' | 'rolesOf' | 'setRoles' | 'disableUser'
>;

const attribute = (attributes: readonly AttributeType[] | undefined, name: string): string =>
  attributes?.find((entry) => entry.Name === name)?.Value ?? '';

const rolesOf = async (userId: string): Promise<Role[]> => {
  const { Groups = [] } = await adminCall(
    (await cognito()).send(
      new (await commands()).AdminListGroupsForUserCommand({
        UserPoolId: userPoolId(),
        Username: userId,
        Limit: 10,
      }),
    ),
  );
  return Groups.map((group) => group.GroupName ?? '').filter(isRole);
};

const toRecord = (
  user:
    | UserType
    | { Username?: string; UserAttributes?: AttributeType[]; Enabled?: boolean; UserCreateDate?: Date },
): UserRecord => {
  const attributes =
    'Attributes' in user ? user.Attributes : 'UserAttributes' in user ? user.UserAttributes : [];
  return {
    id: attribute(attributes, 'sub') || (user.Username ?? ''),
    email: attribute(attributes, 'email'),
    name: attribute(attributes, 'name'),
    enabled: user.Enabled ?? true,
    createdAt: (user.UserCreateDate ?? new Date(0)).toISOString(),
  };
};

const toUser = async (user: Parameters<typeof toRecord>[0]): Promise<IdentityUser> => {
  const record = toRecord(user);
  return { ...record, roles: await rolesOf(record.id) };
};

const getUser: CognitoUsers['getUser'] = async (userId) => {
  const user = await (await cognito())
    .send(new (await commands()).AdminGetUserCommand({ UserPoolId: userPoolId(), Username: userId }))
    .catch((error: unknown) => {
      if (isCognitoException(error) && error.name === 'UserNotFoundException') {
        return undefined;
      }
      return translate(error, 'admin');
    });
  return user && toUser(user);
};

export const cognitoUsers: CognitoUsers = {
  getUser,

  inviteUser: async ({ email, name, roles }) => {
    const { User } = await (await cognito())
      .send(
        new (await commands()).AdminCreateUserCommand({
          UserPoolId: userPoolId(),
          Username: email,
          DesiredDeliveryMediums: ['EMAIL'],
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: name },
          ],
        }),
      )
      .catch((error: unknown) => translate(error, 'signup'));
    const id = attribute(User?.Attributes, 'sub') || (User?.Username ?? '');
    try {
      for (const role of roles) {
        await adminCall(
          (await cognito()).send(
            new (await commands()).AdminAddUserToGroupCommand({
              UserPoolId: userPoolId(),
              Username: id,
              GroupName: role,
            }),
          ),
        );
      }
    } catch (error) {
      // A user without their roles must not linger (a retry would find the email taken): undo.
      await (await cognito())
        .send(new (await commands()).AdminDeleteUserCommand({ UserPoolId: userPoolId(), Username: id }))
        .catch(() => undefined);
      throw error;
    }
    return {
      id,
      email,
      name,
      roles: [...roles],
      enabled: true,
      createdAt: (User?.UserCreateDate ?? new Date()).toISOString(),
    };
  },

  listUsers: async ({ role, limit, pageToken }) => {
    const page = role
      ? await adminCall(
          (await cognito()).send(
            new (await commands()).ListUsersInGroupCommand({
              UserPoolId: userPoolId(),
              GroupName: role,
              Limit: Math.min(limit, 60),
              NextToken: pageToken,
            }),
          ),
        ).then((response) => ({ users: response.Users ?? [], next: response.NextToken }))
      : await adminCall(
          (await cognito()).send(
            new (await commands()).ListUsersCommand({
              UserPoolId: userPoolId(),
              Limit: Math.min(limit, 60),
              PaginationToken: pageToken,
            }),
          ),
        ).then((response) => ({ users: response.Users ?? [], next: response.PaginationToken }));
    return { users: page.users.map(toRecord), nextPageToken: page.next };
  },

  rolesOf,

  setRoles: async (userId, roles) => {
    const current = await rolesOf(userId);
    const user = { UserPoolId: userPoolId(), Username: userId };
    for (const role of roles.filter((role) => !current.includes(role))) {
      await adminCall(
        (await cognito()).send(
          new (await commands()).AdminAddUserToGroupCommand({ ...user, GroupName: role }),
        ),
      );
    }
    for (const role of current.filter((role) => !roles.includes(role))) {
      await adminCall(
        (await cognito()).send(
          new (await commands()).AdminRemoveUserFromGroupCommand({ ...user, GroupName: role }),
        ),
      );
    }
    const updated = await getUser(userId);
    if (!updated) throw new NotFound('No such user');
    return updated;
  },

  disableUser: async (userId) => {
    await (await cognito())
      .send(new (await commands()).AdminDisableUserCommand({ UserPoolId: userPoolId(), Username: userId }))
      .catch((error: unknown) => translate(error, 'admin'));
  },
};

/** Cognito's own end of every session: the user's refresh tokens stop working. */
export const signOutEverywhere = async (userId: string): Promise<void> => {
  await (await cognito())
    .send(
      new (await commands()).AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId(), Username: userId }),
    )
    .catch((error: unknown) => translate(error, 'admin'));
};
