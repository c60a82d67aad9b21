/**
 * Tokens the identity service would never issue, for the gateway's 401 tests: expired or with
 * another issuer (signed with cognito-local's own published key, so only the claim is wrong),
 * and forged (signed with a key of our own).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decodeJwt, generateKeyPair, importJWK, type JWTPayload, SignJWT } from 'jose';

const cognitoLocalKey = async () => {
  const packageDir = dirname(createRequire(import.meta.url).resolve('cognito-local/package.json'));
  const { jwk } = JSON.parse(
    readFileSync(join(packageDir, 'lib', 'keys', 'cognitoLocal.private.json'), 'utf8'),
  ) as {
    jwk: Record<string, string>;
  };
  return importJWK(jwk, 'RS256');
};

type SigningKey = Parameters<SignJWT['sign']>[0];

const sign = (claims: JWTPayload, key: SigningKey) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal', typ: 'JWT' }).sign(key);

/** A copy of a real token's claims, re-signed with changes. */
export const tamperedTokens = async (realIdToken: string) => {
  const claims = decodeJwt(realIdToken);
  const now = Math.floor(Date.now() / 1000);
  const genuineKey = await cognitoLocalKey();
  const { privateKey: forgedKey } = await generateKeyPair('RS256');
  return {
    expired: await sign({ ...claims, iat: now - 7200, exp: now - 3600 }, genuineKey),
    wrongIssuer: await sign(
      { ...claims, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other' },
      genuineKey,
    ),
    wrongAudience: await sign({ ...claims, aud: 'another-client' }, genuineKey),
    forged: await sign(claims, forgedKey),
    /** The genuine key with the real claims: must be accepted (proves the others fail for their change). */
    resigned: await sign(claims, genuineKey),
  };
};
