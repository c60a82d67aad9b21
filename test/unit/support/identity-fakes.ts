/**
 * In-memory implementations of the identity ports (shared/domain/identity/ports.ts), of the
 * access-event repository, and a
 * clock the tests move by hand: the auth and users services run against these without AWS.
 */
import type { AccessEvent, AccessEventRepository } from '#domain/access-events.ts';
import { Forbidden, NotFound, Unauthorized } from '#domain/errors.ts';
import type {
  IdentityProvider,
  IdentityUser,
  LoginOutcome,
  LoginThrottleLimits,
  LoginThrottleStore,
  SessionTokens,
} from '#domain/identity/ports.ts';
import type { Role } from '#domain/roles.ts';

export const createClock = (start = new Date('2026-03-02T09:00:00.000Z')) => {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    advanceSeconds: (seconds: number) => {
      at += seconds * 1000;
    },
  };
};

interface Account {
  user: IdentityUser;
  password: string;
  confirmed: boolean;
  /** Invited users: the first login answers NEW_PASSWORD_REQUIRED with this session. */
  pendingSession?: string;
}

export interface InMemoryIdentityOptions {
  /**
   * How many users one `listUsers` call returns for a requested `limit`: Cognito caps it at 60;
   * a provider may also return more than asked.
   */
  pageSize?: (limit: number) => number;
}

/** Each method call, by name, in order: what the tests check when "the provider is not called". */
export type IdentityCall = Exclude<keyof IdentityProvider, 'userOfIdToken'>;

export const createInMemoryIdentity = ({ pageSize = (limit) => limit }: InMemoryIdentityOptions = {}) => {
  const accounts: Account[] = [];
  const calls: IdentityCall[] = [];
  let issued = 0;

  const byEmail = (email: string) => accounts.find((account) => account.user.email === email);
  const byId = (id: string) => accounts.find((account) => account.user.id === id);
  const tokens = (account: Account): SessionTokens & { refreshToken: string } => {
    issued += 1;
    return {
      idToken: `id-${account.user.id}-${issued}`,
      accessToken: `access-${account.user.id}-${issued}`,
      refreshToken: `refresh-${account.user.id}-${issued}`,
      expiresIn: 3600,
    };
  };
  const add = (input: {
    email: string;
    name?: string;
    password?: string;
    roles?: readonly Role[];
    confirmed?: boolean;
    pendingSession?: string;
  }): IdentityUser => {
    const user: IdentityUser = {
      id: `00000000-0000-4000-8000-${String(accounts.length + 1).padStart(12, '0')}`,
      email: input.email,
      name: input.name ?? input.email,
      roles: [...(input.roles ?? ['staff'])],
      enabled: true,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, accounts.length)).toISOString(),
    };
    accounts.push({
      user,
      password: input.password ?? 'Correct-horse-42!',
      confirmed: input.confirmed ?? true,
      pendingSession: input.pendingSession,
    });
    return user;
  };

  const provider: IdentityProvider = {
    signUp: async ({ email, password, name }) => {
      calls.push('signUp');
      return { userId: add({ email, password, name, roles: [], confirmed: false }).id };
    },
    confirmSignUp: async (email) => {
      calls.push('confirmSignUp');
      const account = byEmail(email);
      if (account) account.confirmed = true;
    },
    passwordLogin: async (email, password): Promise<LoginOutcome> => {
      calls.push('passwordLogin');
      const account = byEmail(email);
      if (!account || account.password !== password || !account.user.enabled) throw new Unauthorized();
      if (!account.confirmed) throw new Forbidden('Confirm your email address before logging in');
      if (account.pendingSession) {
        return { kind: 'challenge', challenge: 'NEW_PASSWORD_REQUIRED', session: account.pendingSession };
      }
      return { kind: 'tokens', tokens: tokens(account) };
    },
    completeNewPassword: async (email, session, newPassword) => {
      calls.push('completeNewPassword');
      const account = byEmail(email);
      if (!account?.pendingSession || account.pendingSession !== session) throw new Unauthorized();
      account.password = newPassword;
      account.pendingSession = undefined;
      return { kind: 'tokens', tokens: tokens(account) };
    },
    refresh: async (refreshToken) => {
      calls.push('refresh');
      const account = accounts.find((candidate) => refreshToken.startsWith(`refresh-${candidate.user.id}-`));
      if (!account) throw new Unauthorized('The token is invalid, expired or revoked');
      const { refreshToken: _unused, ...session } = tokens(account);
      return session;
    },
    revokeRefreshToken: async () => {
      calls.push('revokeRefreshToken');
    },
    // Reads a token this fake issued: no call to the provider, so not in `calls`.
    userOfIdToken: (idToken) => {
      const account = accounts.find((candidate) => idToken.startsWith(`id-${candidate.user.id}-`));
      if (!account) throw new Error(`not an id token of this fake: ${idToken}`);
      const { id, email, name, roles } = account.user;
      return { id, email, name, roles: [...roles] };
    },
    getUser: async (userId) => {
      calls.push('getUser');
      const account = byId(userId);
      return account ? { ...account.user, roles: [...account.user.roles] } : undefined;
    },
    inviteUser: async ({ email, name, roles }) => {
      calls.push('inviteUser');
      return add({ email, name, roles, pendingSession: `session-${email}` });
    },
    listUsers: async ({ role, limit, pageToken }) => {
      calls.push('listUsers');
      const matching = accounts
        .map((account) => account.user)
        .filter((user) => role === undefined || user.roles.includes(role));
      const start = pageToken === undefined ? 0 : Number(pageToken.replace('from-', ''));
      const end = start + pageSize(limit);
      return {
        users: matching.slice(start, end).map(({ roles: _roles, ...record }) => record),
        nextPageToken: end < matching.length ? `from-${end}` : undefined,
      };
    },
    rolesOf: async (userId) => {
      calls.push('rolesOf');
      return [...(byId(userId)?.user.roles ?? [])];
    },
    setRoles: async (userId, roles) => {
      calls.push('setRoles');
      const account = byId(userId);
      if (!account) throw new NotFound('No such user');
      account.user.roles = [...roles];
      return { ...account.user };
    },
    disableUser: async (userId) => {
      calls.push('disableUser');
      const account = byId(userId);
      if (!account) throw new NotFound('No such user');
      account.user.enabled = false;
    },
  };

  return { provider, calls, add };
};

interface ThrottleEntry {
  failures: number;
  windowEndsAt: number;
  lockedUntil?: number;
}

/** The LoginThrottleStore contract in memory: a fixed window from the first failure, then a lock. */
export const createInMemoryThrottle = () => {
  const entries = new Map<string, ThrottleEntry>();
  const live = (key: string, now: Date) => {
    const entry = entries.get(key);
    return entry && (entry.lockedUntil ?? entry.windowEndsAt) > now.getTime() ? entry : undefined;
  };
  const store: LoginThrottleStore = {
    lockedUntil: async (key, now) => {
      const lockedUntil = live(key, now)?.lockedUntil;
      return lockedUntil !== undefined && lockedUntil > now.getTime() ? new Date(lockedUntil) : undefined;
    },
    recordFailure: async (key, now, limits: LoginThrottleLimits) => {
      const entry = live(key, now) ?? {
        failures: 0,
        windowEndsAt: now.getTime() + limits.windowSeconds * 1000,
      };
      entry.failures += 1;
      if (entry.failures >= limits.maxFailures && entry.lockedUntil === undefined) {
        entry.lockedUntil = now.getTime() + limits.lockSeconds * 1000;
      }
      entries.set(key, entry);
    },
    clear: async (key) => {
      entries.delete(key);
    },
  };
  return { store, entries };
};

/** Access events recorded by the services, in order. */
export const createInMemoryAccessEvents = () => {
  const events: AccessEvent[] = [];
  const repository: AccessEventRepository = {
    record: async (event) => {
      events.push(event);
    },
  };
  return { repository, events };
};
