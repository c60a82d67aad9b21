/**
 * Opaque list cursors: base64url of the last key plus an HMAC over it, the caller and the
 * query, so a cursor that was altered or belongs to another caller or query is a 400, never a
 * DynamoDB (or Cognito) error.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequest } from '#domain/errors.ts';
import { optionalEnv, requireEnv } from './config.ts';

/** What a cursor is bound to: who asked, which route, with which filters. */
export interface CursorBinding {
  userId: string;
  routeKey: string;
  /** The query's filters (not limit or cursor). */
  filters: Record<string, unknown>;
}

let secret: Promise<string> | undefined;

/** Read once per container, and never in the twin: the client is loaded then, not at cold start. */
const readSecret = async (secretId: string): Promise<string | undefined> => {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const { SecretString } = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: secretId }),
  );
  return SecretString;
};

/** The HMAC key: CURSOR_SECRET in the twin, else read once from Secrets Manager. */
const cursorSecret = (): Promise<string> => {
  secret ??= (async () => {
    const direct = optionalEnv('cursorSecret');
    if (direct !== undefined) return direct;
    const SecretString = await readSecret(requireEnv('cursorSecretArn'));
    if (!SecretString) throw new Error('the cursor secret is empty');
    return SecretString;
  })().catch((error: unknown) => {
    // Only the secret is cached, never a failure: a throttled or timed-out read must not make
    // every later list request of this container fail until its next cold start.
    secret = undefined;
    throw error;
  });
  return secret;
};

const canonicalFilters = (filters: Record<string, unknown>) =>
  JSON.stringify(
    Object.keys(filters)
      .sort()
      .map((key) => [key, filters[key] ?? null]),
  );

const mac = (key: string, payload: string, binding: CursorBinding) =>
  createHmac('sha256', key)
    .update(`${payload}\n${binding.userId}\n${binding.routeKey}\n${canonicalFilters(binding.filters)}`)
    .digest();

export const encodeCursor = async (position: unknown, binding: CursorBinding): Promise<string> => {
  const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${payload}.${mac(await cursorSecret(), payload, binding).toString('base64url')}`;
};

/** The position a cursor holds; 400 when it was altered or minted for another caller or query. */
export const decodeCursor = async <T = unknown>(cursor: string, binding: CursorBinding): Promise<T> => {
  const invalid = new BadRequest('The cursor is invalid for this query', [
    { path: 'query.cursor', message: 'invalid' },
  ]);
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined) throw invalid;
  // Compared as text: base64url decoding ignores stray characters and the spare bits of the last
  // one, so comparing decoded bytes would accept altered signatures.
  const expected = Buffer.from(mac(await cursorSecret(), payload, binding).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as T;
  } catch {
    throw invalid;
  }
};
