import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CursorBinding } from '#runtime/cursor.ts';
import { rejectionOf } from './support/rejection.ts';

type CursorModule = typeof import('#runtime/cursor.ts');

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:cursor-AbCdEf';
const secretsManager = mockClient(SecretsManagerClient);

/** A fresh copy of the module: it caches the secret at module level, once per cold start. */
const loadCursor = async (env: { secret?: string; secretArn?: string }): Promise<CursorModule> => {
  vi.stubEnv('CURSOR_SECRET', env.secret ?? '');
  vi.stubEnv('CURSOR_SECRET_ARN', env.secretArn ?? '');
  vi.resetModules();
  return import('#runtime/cursor.ts');
};

beforeEach(() => {
  secretsManager.reset();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const binding: CursorBinding = { userId: 'admin-sub', routeKey: 'GET /users', filters: { role: 'staff' } };
const position = { pageToken: 'cognito-token', offset: 3 };
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The error a promise rejects with (fails the test when it resolves). */
// By shape, not instanceof: each loadCursor() brings its own copy of the error classes.
const expectInvalidCursor = (error: unknown) => {
  expect(error).toMatchObject({
    name: 'BadRequest',
    status: 400,
    code: 'bad-request',
    errors: [{ path: 'query.cursor', message: 'invalid' }],
  });
};

describe('cursor', () => {
  it('gives back the position it was minted with, for the same caller, route and filters', async () => {
    // Prepare
    const { encodeCursor, decodeCursor } = await loadCursor({ secret: 'twin-secret' });
    const cursor = await encodeCursor(position, binding);
    // Act
    const decoded = await decodeCursor(cursor, { ...binding, filters: { role: 'staff' } });
    // Assess
    expect(decoded).toEqual(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('does not depend on the order of the filters', async () => {
    const { encodeCursor, decodeCursor } = await loadCursor({ secret: 'twin-secret' });
    const cursor = await encodeCursor(position, { ...binding, filters: { role: 'staff', active: true } });

    const decoded = await decodeCursor(cursor, { ...binding, filters: { active: true, role: 'staff' } });

    expect(decoded).toEqual(position);
  });

  it('refuses a cursor whose position was altered', async () => {
    const { encodeCursor, decodeCursor } = await loadCursor({ secret: 'twin-secret' });
    const [, signature] = (await encodeCursor(position, binding)).split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...position, offset: 0 })).toString('base64url');

    expectInvalidCursor(await rejectionOf(decodeCursor(`${forgedPayload}.${signature}`, binding)));
  });

  it('refuses a cursor whose signature was altered, in any character', async () => {
    const { encodeCursor, decodeCursor } = await loadCursor({ secret: 'twin-secret' });
    const cursor = await encodeCursor(position, binding);
    const [payload = '', signature = ''] = cursor.split('.');
    const swap = (char: string) => (char === 'A' ? 'B' : 'A');
    // The last of 43 characters carries two spare bits: flipping one decodes to the same 32 bytes.
    const lastIndex = BASE64URL.indexOf(signature.at(-1) ?? 'A');
    const lastChanged = `${signature.slice(0, -1)}${BASE64URL[lastIndex ^ 1]}`;
    const firstChanged = `${swap(signature[0] ?? 'A')}${signature.slice(1)}`;

    for (const altered of [
      lastChanged,
      firstChanged,
      `${signature}=`,
      `${signature}!`,
      signature.slice(0, -1),
    ]) {
      expectInvalidCursor(await rejectionOf(decodeCursor(`${payload}.${altered}`, binding)));
    }
  });

  it.each(['', 'no-signature', 'a.b.c', '.sig', 'payload.', 'not json.at all'])(
    'refuses the malformed cursor %j',
    async (cursor) => {
      const { decodeCursor } = await loadCursor({ secret: 'twin-secret' });

      expectInvalidCursor(await rejectionOf(decodeCursor(cursor, binding)));
    },
  );

  it.each<{ case: string; other: CursorBinding }>([
    { case: 'another caller', other: { ...binding, userId: 'other-admin-sub' } },
    { case: 'another route', other: { ...binding, routeKey: 'GET /staff' } },
    { case: 'another filter value', other: { ...binding, filters: { role: 'admin' } } },
    { case: 'no filter', other: { ...binding, filters: {} } },
    { case: 'an extra filter', other: { ...binding, filters: { role: 'staff', active: true } } },
  ])('refuses a cursor minted for $case', async ({ other }) => {
    const { encodeCursor, decodeCursor } = await loadCursor({ secret: 'twin-secret' });
    const cursor = await encodeCursor(position, binding);

    expectInvalidCursor(await rejectionOf(decodeCursor(cursor, other)));
  });

  it('refuses a cursor signed with another secret', async () => {
    const minted = await (await loadCursor({ secret: 'old-secret' })).encodeCursor(position, binding);
    const { decodeCursor } = await loadCursor({ secret: 'new-secret' });

    expectInvalidCursor(await rejectionOf(decodeCursor(minted, binding)));
  });
});

describe('cursor secret from Secrets Manager', () => {
  it('reads the secret once and signs with it', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'stored-secret' });
    const fromSecretsManager = await loadCursor({ secretArn: SECRET_ARN });
    // Act
    const cursor = await fromSecretsManager.encodeCursor(position, binding);
    const decoded = await fromSecretsManager.decodeCursor(cursor, binding);
    await fromSecretsManager.encodeCursor({ offset: 9 }, binding);
    const direct = await loadCursor({ secret: 'stored-secret' });
    // Assess
    expect(decoded).toEqual(position);
    expect(secretsManager.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input)).toEqual([
      { SecretId: SECRET_ARN },
    ]);
    expect(await direct.decodeCursor(cursor, binding)).toEqual(position);
  });

  it('prefers CURSOR_SECRET when both are set', async () => {
    const { encodeCursor } = await loadCursor({ secret: 'twin-secret', secretArn: SECRET_ARN });

    await encodeCursor(position, binding);

    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('tries again after a failed read instead of failing until the next cold start', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('Rate exceeded'))
      .resolves({ SecretString: 'stored-secret' });
    const { encodeCursor, decodeCursor } = await loadCursor({ secretArn: SECRET_ARN });

    const failed = await rejectionOf(encodeCursor(position, binding));
    const cursor = await encodeCursor(position, binding);

    expect(failed).toMatchObject({ message: 'Rate exceeded' });
    expect(await decodeCursor(cursor, binding)).toEqual(position);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('fails on an empty secret', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: '' });
    const { encodeCursor } = await loadCursor({ secretArn: SECRET_ARN });

    await expect(encodeCursor(position, binding)).rejects.toThrow('the cursor secret is empty');
  });

  it('names the missing setting when neither is set', async () => {
    const { encodeCursor } = await loadCursor({});

    await expect(encodeCursor(position, binding)).rejects.toThrow('CURSOR_SECRET_ARN');
  });
});
