/**
 * Verifies Cognito tokens with jose against the pool's JWKS: the twin's HTTP gateway (id or
 * access tokens, as the JWT authorizer accepts) and the WebSocket authorizer (id tokens only).
 * jose rather than aws-jwt-verify because the twin's issuer is plain http (DESIGN.md).
 *
 * Checks: RS256 signature, issuer, expiry, `token_use` in the allowed set, and the app client:
 * `aud` for id tokens, `client_id` for access tokens (Cognito access tokens carry no `aud`).
 */
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { TokenUse } from './auth-context.ts';

export interface TokenVerifierOptions {
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`, or the twin's `http://localhost:<port>/<poolId>`. */
  issuer: string;
  /** The app client id. */
  clientId: string;
  /** Key source; defaults to the issuer's `/.well-known/jwks.json` (fetched once, cached by jose). */
  jwks?: JWTVerifyGetKey;
}

export type VerifiedClaims = JWTPayload & { sub: string; exp: number; token_use: TokenUse };

export interface TokenVerifier {
  /** The verified claims; throws InvalidToken for anything else. */
  verify(token: string, tokenUses?: readonly TokenUse[]): Promise<VerifiedClaims>;
}

/** The token is missing, malformed, forged, expired or not for this client. */
export class InvalidToken extends Error {
  override name = 'InvalidToken';
}

const ALL_TOKEN_USES: readonly TokenUse[] = ['id', 'access'];

export const createTokenVerifier = (options: TokenVerifierOptions): TokenVerifier => {
  // Made with the first token, not at cold start: jose's remote key set builds a `Headers`, and
  // that loads Node's fetch (undici, ~10–20 ms of a cold import) — which only the key fetch needs.
  let jwks = options.jwks;
  const keys = (): JWTVerifyGetKey => {
    jwks ??= createRemoteJWKSet(new URL(`${options.issuer}/.well-known/jwks.json`));
    return jwks;
  };
  return {
    verify: async (token, tokenUses = ALL_TOKEN_USES) => {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys(), {
          issuer: options.issuer,
          algorithms: ['RS256'],
          requiredClaims: ['sub', 'exp', 'token_use'],
        }));
      } catch (error) {
        // A JWKS that cannot be fetched is an outage, not a bad token: let it surface as such.
        if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) {
          throw new InvalidToken(error.code, { cause: error });
        }
        throw error;
      }
      const tokenUse = payload.token_use;
      if (!tokenUses.some((use) => use === tokenUse))
        throw new InvalidToken(`token_use ${String(tokenUse)} not accepted`);
      const client = tokenUse === 'id' ? payload.aud : payload.client_id;
      if (client !== options.clientId) throw new InvalidToken('token issued to another client');
      return payload as VerifiedClaims;
    },
  };
};
