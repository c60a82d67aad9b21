import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, InvalidToken } from '#runtime/token-verifier.ts';

const ISSUER = 'http://localhost:9229/local_pool';
const CLIENT_ID = 'client-abc';
const KID = 'test-key';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let keys: KeyPair;
let forger: KeyPair;
let jwk: JWK;

beforeAll(async () => {
  keys = await generateKeyPair('RS256');
  forger = await generateKeyPair('RS256');
  jwk = { ...(await exportJWK(keys.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
});

const sign = (
  claims: Record<string, unknown>,
  options: { key?: KeyPair; issuer?: string; expiresIn?: string | number } = {},
) =>
  new SignJWT({ token_use: 'id', aud: CLIENT_ID, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .setSubject('user-1')
    .setIssuer(options.issuer ?? ISSUER)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign((options.key ?? keys).privateKey);

const idToken = (claims: Record<string, unknown> = {}, options = {}) => sign(claims, options);
const accessToken = (claims: Record<string, unknown> = {}) =>
  sign({ token_use: 'access', aud: undefined, client_id: CLIENT_ID, ...claims });

const verifier = () =>
  createTokenVerifier({ issuer: ISSUER, clientId: CLIENT_ID, jwks: createLocalJWKSet({ keys: [jwk] }) });

describe('token verifier', () => {
  it('returns the claims of a valid id token', async () => {
    // Act
    const claims = await verifier().verify(await idToken({ 'cognito:groups': ['staff'] }), ['id']);
    // Assess
    expect(claims).toMatchObject({
      sub: 'user-1',
      token_use: 'id',
      iss: ISSUER,
      'cognito:groups': ['staff'],
    });
  });

  it('accepts an access token whose client_id is the app client', async () => {
    const claims = await verifier().verify(await accessToken(), ['id', 'access']);
    expect(claims.token_use).toBe('access');
  });

  it.each([
    ['an expired token', () => idToken({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
    ['another issuer', () => idToken({}, { issuer: 'http://localhost:9229/other_pool' })],
    ['an id token for another client', () => idToken({ aud: 'other-client' })],
    ['an access token for another client', () => accessToken({ client_id: 'other-client' })],
    ['a forged signature', () => idToken({}, { key: forger })],
    ['an unknown token use', () => idToken({ token_use: 'refresh' })],
    ['a token that is not a JWT', async () => 'not.a.jwt'],
  ])('refuses %s', async (_case, token) => {
    await expect(verifier().verify(await token())).rejects.toThrow(InvalidToken);
  });

  it('refuses an access token where only id tokens are allowed', async () => {
    await expect(verifier().verify(await accessToken(), ['id'])).rejects.toThrow(InvalidToken);
  });

  it('refuses a token signed with another algorithm', async () => {
    const hs = await new SignJWT({ token_use: 'id', aud: CLIENT_ID })
      .setProtectedHeader({ alg: 'HS256', kid: KID })
      .setSubject('user-1')
      .setIssuer(ISSUER)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
    await expect(verifier().verify(hs)).rejects.toThrow(InvalidToken);
  });

  describe('against the issuer JWKS over http (as in the twin)', () => {
    let server: Server;
    let issuer: string;
    beforeAll(async () => {
      server = createServer((request, response) => {
        const found = request.url === '/local_pool/.well-known/jwks.json';
        response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
        response.end(found ? JSON.stringify({ keys: [jwk] }) : '{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/local_pool`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('fetches the keys from <issuer>/.well-known/jwks.json', async () => {
      const remote = createTokenVerifier({ issuer, clientId: CLIENT_ID });
      const claims = await remote.verify(await idToken({}, { issuer }));
      expect(claims.sub).toBe('user-1');
    });
  });
});
