/**
 * Why the twin's JWT authorizer refuses a token, in the words API Gateway's authorizer puts in
 * `www-authenticate` (`Bearer scope="" error="invalid_token" error_description="…"`): a client
 * tells an expired token (refresh it) from one that will never pass (log in again).
 */
import { errors } from 'jose';

const REASONS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'the token has expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'the token signature is invalid',
  ERR_JWKS_NO_MATCHING_KEY: 'the token was not signed by a key of the issuer',
};

export const MISSING_TOKEN = 'the authorization header is missing or is not a Bearer token';

/** The `error_description` for a token the verifier rejected. */
export const refusalReason = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof errors.JOSEError ? error.cause : error;
  if (cause instanceof errors.JWTClaimValidationFailed && cause.claim === 'iss')
    return 'the token does not have a valid issuer';
  if (cause instanceof errors.JWTClaimValidationFailed)
    return `the token has an invalid ${cause.claim} claim`;
  if (cause instanceof errors.JOSEError) return REASONS[cause.code] ?? 'the token is malformed';
  if (error instanceof Error && /another client/.test(error.message))
    return 'the token does not have a valid audience';
  if (error instanceof Error && /^token_use/.test(error.message))
    return 'the token is not an id or access token';
  return 'the token is not valid';
};

/** API Gateway's header for a refused token. */
export const bearerChallenge = (reason: string) =>
  `Bearer scope="" error="invalid_token" error_description="${reason}"`;
