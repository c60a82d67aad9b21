import { describe, expect, it } from 'vitest';
import { Unauthorized } from '#domain/errors.ts';
import {
  authContextFromClaims,
  claimsOf,
  formatGroups,
  parseGroups,
  wsAuthContextOf,
  wsAuthorizerContext,
} from '#runtime/auth-context.ts';

describe('parseGroups', () => {
  it.each([
    ['the JWT authorizer string', '[admin recruiter]', ['admin', 'recruiter']],
    ['a single group', '[staff]', ['staff']],
    ['no groups', '[]', []],
    ['a real array', ['credentialing', 'staff'], ['credentialing', 'staff']],
    ['a JSON array string', '["recruiter","admin"]', ['admin', 'recruiter']],
    ['a bare name', 'staff', ['staff']],
    ['unknown names, ignored', '[admin us-east-1_pool_Google superuser]', ['admin']],
    ['duplicates, once', '[staff staff]', ['staff']],
    ['a malformed JSON string', '["admin"', []],
    ['a missing claim', undefined, []],
    ['a number', 3, []],
  ])('reads %s', (_case, value, expected) => {
    expect(parseGroups(value)).toEqual(expected);
  });

  it('formats roles the way API Gateway passes arrays', () => {
    expect(formatGroups(['admin', 'recruiter'])).toBe('[admin recruiter]');
    expect(parseGroups(formatGroups(['credentialing', 'staff']))).toEqual(['credentialing', 'staff']);
  });
});

describe('authContextFromClaims', () => {
  it('reads an id token as the HTTP API passes it', () => {
    // Prepare
    const claims = {
      sub: 'u-1',
      token_use: 'id',
      'cognito:groups': '[recruiter]',
      email: 'r@example.com',
      name: 'Rita',
      'cognito:username': 'u-1',
      exp: '1767225600',
    };
    // Act
    const auth = authContextFromClaims(claims);
    // Assess
    expect(auth).toEqual({
      userId: 'u-1',
      roles: ['recruiter'],
      tokenUse: 'id',
      email: 'r@example.com',
      name: 'Rita',
      username: 'u-1',
    });
  });

  it('reads an access token (username, no email)', () => {
    const auth = authContextFromClaims({
      sub: 'u-2',
      token_use: 'access',
      username: 'u-2',
      'cognito:groups': ['staff'],
    });
    expect(auth).toEqual({ userId: 'u-2', roles: ['staff'], tokenUse: 'access', username: 'u-2' });
  });

  it.each([
    ['no sub', { token_use: 'id' }],
    ['an unknown token use', { sub: 'u', token_use: 'refresh' }],
    ['no token use', { sub: 'u' }],
  ])('refuses claims with %s', (_case, claims) => {
    expect(() => authContextFromClaims(claims)).toThrow(Unauthorized);
  });

  it('finds no claims on a public route, with or without the empty claims the twin passes', () => {
    expect(claimsOf({ requestContext: {} })).toBeUndefined();
    expect(claimsOf({ requestContext: { authorizer: { jwt: { claims: {} } } } })).toBeUndefined();
    expect(claimsOf({ requestContext: { authorizer: { jwt: { claims: { sub: 'x' } } } } })).toEqual({
      sub: 'x',
    });
  });
});

describe('WebSocket authorizer context', () => {
  it('holds scalars only and round-trips', () => {
    // Act
    const context = wsAuthorizerContext('u-1', ['admin', 'recruiter'], 1_767_225_600);
    // Assess
    expect(context).toEqual({ sub: 'u-1', roles: '[admin recruiter]', exp: 1_767_225_600 });
    expect(Object.values(context).every((value) => typeof value !== 'object')).toBe(true);
    expect(wsAuthContextOf(context)).toEqual({
      userId: 'u-1',
      roles: ['admin', 'recruiter'],
      exp: 1_767_225_600,
    });
  });

  it('accepts an expiry the gateway turned into a string', () => {
    expect(wsAuthContextOf({ sub: 'u', roles: '[staff]', exp: '1767225600' }).exp).toBe(1_767_225_600);
  });

  it('refuses a context without subject or expiry', () => {
    expect(() => wsAuthContextOf(undefined)).toThrow(Unauthorized);
    expect(() => wsAuthContextOf({ sub: 'u', roles: '[staff]' })).toThrow(Unauthorized);
  });
});
