/**
 * Tokens as Cognito issues them, where cognito-local differs:
 * - id tokens carry the user's standard attributes such as `name` (cognito-local puts only email
 *   and custom attributes in them);
 * - every token of one authentication carries the same `origin_jti`, kept by the tokens a refresh
 *   issues, so a logout can revoke that session and no other (cognito-local has no origin_jti).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { type Request, require, wrap } from './targets.ts';

/** Standard attributes Cognito copies into id tokens (the app client may read them all). */
const ID_TOKEN_ATTRIBUTES = ['name', 'given_name', 'family_name', 'phone_number', 'phone_number_verified'];

interface Triggers {
  enabled(trigger: string): boolean;
  preTokenGeneration(
    ctx: unknown,
    event: { userAttributes: Array<{ Name: string; Value?: string }> },
  ): Promise<{
    claimsOverrideDetails?: { claimsToAddOrOverride?: Record<string, string> };
  }>;
}
interface Tokens {
  AccessToken: string;
  IdToken: string;
  RefreshToken: string;
}
const { JwtTokenGenerator } = require('cognito-local/lib/services/tokenGenerator') as {
  JwtTokenGenerator: {
    prototype: { generate: (...args: unknown[]) => Promise<Tokens>; triggers: Triggers };
  };
};
const jwt = require('jsonwebtoken') as {
  decode(token: string): Record<string, unknown> | null;
  sign(payload: object, key: string, options: { algorithm: 'RS256'; keyid: string }): string;
};
const { pem } = require('cognito-local/lib/keys/cognitoLocal.private.json') as { pem: string };

// The session a refresh continues: its refresh token's origin_jti, for the tokens it issues.
const refreshedSession = new AsyncLocalStorage<string | undefined>();

const originOf = (token: string | undefined): string | undefined => {
  const claim = token === undefined ? undefined : jwt.decode(token)?.origin_jti;
  return typeof claim === 'string' ? claim : undefined;
};

const withOrigin = (token: string, origin: string): string =>
  jwt.sign({ ...jwt.decode(token), origin_jti: origin }, pem, { algorithm: 'RS256', keyid: 'CognitoLocal' });

wrap('InitiateAuth', (_services, inner) => async (ctx, request: Request) => {
  const origin = request.AuthFlow?.startsWith('REFRESH_TOKEN')
    ? originOf(request.AuthParameters?.REFRESH_TOKEN)
    : undefined;
  return refreshedSession.run(origin, () => inner(ctx, request));
});

const withAttributes = (triggers: Triggers): Triggers => ({
  enabled: (trigger) => trigger === 'PreTokenGeneration' || triggers.enabled(trigger),
  preTokenGeneration: async (ctx, event) => {
    const configured = triggers.enabled('PreTokenGeneration')
      ? await triggers.preTokenGeneration(ctx, event)
      : {};
    const attributes = Object.fromEntries(
      event.userAttributes
        .filter((attribute) => ID_TOKEN_ATTRIBUTES.includes(attribute.Name) && attribute.Value !== undefined)
        .map((attribute) => [attribute.Name, attribute.Value ?? '']),
    );
    const added = configured.claimsOverrideDetails?.claimsToAddOrOverride ?? {};
    return {
      ...configured,
      claimsOverrideDetails: {
        ...configured.claimsOverrideDetails,
        claimsToAddOrOverride: { ...attributes, ...added },
      },
    };
  },
});

const generate = JwtTokenGenerator.prototype.generate;
// The generator adds claims only through its PreTokenGeneration hook: answer that hook with the
// attributes (and still call a real PreTokenGeneration trigger when one is configured).
JwtTokenGenerator.prototype.generate = async function (this: { triggers: Triggers }, ...args: unknown[]) {
  const tokens = await generate.apply({ ...this, triggers: withAttributes(this.triggers) }, args);
  const origin = refreshedSession.getStore() ?? randomUUID();
  return {
    ...tokens,
    AccessToken: withOrigin(tokens.AccessToken, origin),
    IdToken: withOrigin(tokens.IdToken, origin),
    RefreshToken: withOrigin(tokens.RefreshToken, origin),
  };
};
