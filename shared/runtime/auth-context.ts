/**
 * The caller, from the claims the gateway verified. HTTP API's JWT authorizer hands every claim
 * to the function as a string and array claims as one bracketed, space-separated string
 * (`cognito:groups` = `"[admin recruiter]"`); the twin's gateway does the same. Both that form,
 * a real array and a JSON array string are accepted, and unknown group names are ignored.
 */
import { decodeJwt } from 'jose';
import { Unauthorized } from '#domain/errors.ts';
import type { AccessTokenCaller } from '#domain/identity/recovery.ts';
import type { TokenSession } from '#domain/identity/sessions.ts';
import type { Actor } from '#domain/policy.ts';
import { isRole, ROLES, type Role } from '#domain/roles.ts';

export type TokenUse = 'id' | 'access';

export interface AuthContext extends Actor {
  /** The Cognito `sub`. */
  userId: string;
  roles: Role[];
  email?: string;
  name?: string;
  tokenUse: TokenUse;
  username?: string;
  /** The token's session (`iat`, `origin_jti`): what revocation is checked against. */
  session?: TokenSession;
}

export type Claims = Readonly<Record<string, unknown>>;

const splitGroups = (value: string): unknown[] => {
  const text = value.trim();
  if (text.startsWith('[') && text.includes('"')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }
  return text
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((part) => part !== '');
};

/** The known roles in a groups claim, each once, in ROLES order. */
export const parseGroups = (value: unknown): Role[] => {
  const names = Array.isArray(value) ? value : typeof value === 'string' ? splitGroups(value) : [];
  const found = new Set(names.filter((name): name is string => typeof name === 'string' && isRole(name)));
  return ROLES.filter((role) => found.has(role));
};

/** The bracketed, space-separated form API Gateway uses for array claims and context values. */
export const formatGroups = (roles: readonly Role[]): string => `[${roles.join(' ')}]`;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The session a token belongs to. A token without `iat` counts as issued at 0, so any
 * revocation of all sessions refuses it (Cognito's tokens always carry one).
 */
export const tokenSessionOf = (claims: Claims): TokenSession => {
  const issuedAt = Number(claims.iat);
  const originJti = text(claims.origin_jti);
  return {
    issuedAt: Number.isFinite(issuedAt) ? issuedAt : 0,
    ...(originJti === undefined ? {} : { originJti }),
  };
};

/** Throws Unauthorized when the claims lack a subject or a known token use. */
export const authContextFromClaims = (claims: Claims): AuthContext => {
  const userId = text(claims.sub);
  const tokenUse = claims.token_use;
  if (userId === undefined || (tokenUse !== 'id' && tokenUse !== 'access')) {
    throw new Unauthorized('The token does not identify a user');
  }
  const context: AuthContext = { userId, roles: parseGroups(claims['cognito:groups']), tokenUse };
  if (claims.iat !== undefined || claims.origin_jti !== undefined) context.session = tokenSessionOf(claims);
  const email = text(claims.email);
  const name = text(claims.name);
  const username = text(claims['cognito:username']) ?? text(claims.username);
  if (email !== undefined) context.email = email;
  if (name !== undefined) context.name = name;
  if (username !== undefined) context.username = username;
  return context;
};

/**
 * The JWT claims of an HTTP API event, or undefined on a public route (which has no authorizer
 * in AWS; the twin passes empty claims there).
 */
export const claimsOf = (event: {
  requestContext?: { authorizer?: { jwt?: { claims?: Claims } } | null };
}): Claims | undefined => {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  return claims === undefined || Object.keys(claims).length === 0 ? undefined : claims;
};

/** The WebSocket authorizer's context: scalars only (API Gateway refuses arrays there). */
export interface WsAuthorizerContext {
  sub: string;
  roles: string;
  exp: number;
  // Also `iat` and `ojti` (the token's `origin_jti`, '' when absent): revocation is checked against them.
  [key: string]: string | number | boolean;
}

export interface WsAuthContext extends Actor {
  userId: string;
  roles: Role[];
  /** Token expiry, epoch seconds. */
  exp: number;
  /** Absent only for a context without `iat` (it then counts as issued at 0). */
  session?: TokenSession;
}

export const wsAuthorizerContext = (
  userId: string,
  roles: readonly Role[],
  exp: number,
  session?: TokenSession,
): WsAuthorizerContext => ({
  sub: userId,
  roles: formatGroups(roles),
  exp,
  ...(session === undefined ? {} : { iat: session.issuedAt, ojti: session.originJti ?? '' }),
});

/** Parses the context the `$connect` authorizer returned (the gateway may stringify numbers). */
export const wsAuthContextOf = (context: Claims | null | undefined): WsAuthContext => {
  const userId = text(context?.sub);
  const exp = Number(context?.exp);
  if (userId === undefined || !Number.isFinite(exp)) throw new Unauthorized('No authorizer context');
  const auth: WsAuthContext = { userId, roles: parseGroups(context?.roles), exp };
  if (context?.iat !== undefined)
    auth.session = tokenSessionOf({ iat: context.iat, origin_jti: context.ojti });
  return auth;
};

/** The token of an `Authorization: Bearer …` header. */
export const bearerTokenOf = (header: string | undefined): string | undefined => {
  const match = /^Bearer\s+(\S+)$/i.exec(header?.trim() ?? '');
  return match?.[1];
};

/**
 * The caller an access token names, read without verifying it: only for routes whose Cognito
 * call verifies the token itself (ChangePassword), so a forged one gains nothing but a refusal.
 */
export const accessTokenCallerOf = (token: string): AccessTokenCaller | undefined => {
  try {
    const claims = decodeJwt(token);
    const userId = text(claims.sub);
    if (userId === undefined || claims.token_use !== 'access') return undefined;
    return { userId, session: tokenSessionOf(claims) };
  } catch {
    return undefined;
  }
};
