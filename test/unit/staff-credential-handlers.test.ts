/**
 * The staff and credentials functions, /me, invitations and the scheduled sweep with the AWS
 * clients mocked: the DynamoDB calls and conditions they make, the S3 URLs they sign, and the
 * problems they answer.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { staffProfileRepository } from '#data/staff.ts';
import { createUsersService } from '#domain/identity/users-service.ts';
import { createStaffProfileProvisioner } from '#domain/staff/service.ts';
import { assigned, partitionOf, readable } from '../support/expressions.ts';
import { createInMemoryStaff } from './support/credential-fakes.ts';
import { createInMemoryAccessEvents, createInMemoryIdentity } from './support/identity-fakes.ts';
import { captureLogs, claimsFor, httpEvent, jsonOf, lambdaContext } from './support/lambda.ts';

type Handler = typeof import('../../functions/http/staff.ts')['handler'];

const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
let staff: Handler;
let credentials: Handler;
let auth: Handler;
let sweep: typeof import('../../functions/schedule/credential-expiry.ts')['handler'];
let logs: ReturnType<typeof captureLogs>;

const OWNER = '0b6c6a8e-5f0e-4c55-9f0a-3c1f5c2d7e11';
const STAFF_ID = '01J0000000000000000000STAF';
const CRED_ID = '01J0000000000000000000CRED';
const lastActor = { userId: 'x', roles: ['admin'], requestId: 'r', action: 'create' };
const credentialItem = (fields: Record<string, unknown> = {}) => ({
  pk: `CRED#${CRED_ID}`,
  sk: `CRED#${CRED_ID}`,
  gsi1pk: `STAFF#${STAFF_ID}`,
  kind: 'Credential',
  id: CRED_ID,
  staffId: STAFF_ID,
  ownerUserId: OWNER,
  type: 'RN',
  status: 'pending',
  expiryWarning: null,
  expiryDate: '2099-01-31',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  lastActor,
  ...fields,
});

beforeAll(async () => {
  vi.stubEnv('MAIN_TABLE_NAME', 'Main');
  vi.stubEnv('DOCUMENTS_BUCKET_NAME', 'documents');
  vi.stubEnv('CURSOR_SECRET', 'unit-test-secret');
  vi.stubEnv('USER_POOL_ID', 'us-east-1_pool');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'unit');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'unit');
  ({ handler: staff } = await import('../../functions/http/staff.ts'));
  ({ handler: credentials } = await import('../../functions/http/credentials.ts'));
  ({ handler: auth } = await import('../../functions/http/auth.ts'));
  ({ handler: sweep } = await import('../../functions/schedule/credential-expiry.ts'));
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  dynamo.reset();
  s3.reset();
  logs = captureLogs();
});
afterEach(() => logs.restore());

const call = (handler: Handler, options: Parameters<typeof httpEvent>[0]) =>
  handler(httpEvent(options), lambdaContext());

describe('staff function', () => {
  it('writes the profile and its user link in one transaction; a second profile for the user is 409', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );
    const profile = {
      id: STAFF_ID,
      userId: OWNER,
      name: 'Nia',
      email: 'nia@example.org',
      specialty: 'ICU',
      isActive: true,
      version: 1,
      createdAt: 'c',
      updatedAt: 'c',
      lastActor,
    };
    await expect(staffProfileRepository.create(profile)).rejects.toMatchObject({ status: 409 });
    const [item, link] = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(item?.Put?.Item).toMatchObject({
      pk: `STAFF#${STAFF_ID}`,
      gsi1pk: 'STAFF#SPECIALTY#icu',
      gsi1sk: `ACTIVE#${STAFF_ID}`,
      gsi3pk: 'STAFF',
      kind: 'StaffProfile',
    });
    expect(link?.Put?.Item).toEqual({
      pk: `USER#${OWNER}`,
      sk: 'STAFF',
      kind: 'StaffProfileLink',
      userId: OWNER,
      staffId: STAFF_ID,
      createdAt: 'c',
    });
  });

  it('reads a profile with its ETag and hides the date of birth from recruiters', async () => {
    dynamo.on(GetCommand).resolves({
      Item: {
        pk: `STAFF#${STAFF_ID}`,
        kind: 'StaffProfile',
        id: STAFF_ID,
        userId: OWNER,
        name: 'Nia',
        email: 'nia@example.org',
        dateOfBirth: '1990-05-01',
        isActive: true,
        version: 3,
        createdAt: 'c',
        updatedAt: 'u',
        lastActor,
      },
    });
    const result = await call(staff, {
      routeKey: 'GET /staff/{id}',
      pathParameters: { id: STAFF_ID },
      claims: claimsFor(['recruiter']),
    });
    expect(result.statusCode).toBe(200);
    expect(result.headers?.etag).toBe('"3"');
    expect(jsonOf(result)).not.toHaveProperty('dateOfBirth');
    expect(jsonOf(result)).not.toHaveProperty('lastActor');
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('records an access event when credentialing reads a date of birth', async () => {
    dynamo.on(GetCommand).resolves({
      Item: {
        id: STAFF_ID,
        userId: OWNER,
        name: 'N',
        email: 'e',
        dateOfBirth: '1990-05-01',
        isActive: true,
        version: 1,
      },
    });
    dynamo.on(UpdateCommand).resolves({});
    const result = await call(staff, {
      routeKey: 'GET /staff/{id}',
      pathParameters: { id: STAFF_ID },
      claims: claimsFor(['credentialing'], 'cred-sub'),
    });
    expect(jsonOf(result).dateOfBirth).toBe('1990-05-01');
    const recorded = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(recorded && assigned(recorded)).toMatchObject({
      kind: 'AccessEvent',
      action: 'read.dateOfBirth',
      entityType: 'StaffProfile',
      entityId: STAFF_ID,
    });
    expect(JSON.stringify(recorded)).not.toContain('1990-05-01');
  });

  it('lists with one Query on the specialty index, active first', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const result = await call(staff, {
      routeKey: 'GET /staff',
      query: { specialty: 'ICU', active: 'true' },
      claims: claimsFor(['recruiter']),
    });
    expect(jsonOf(result)).toEqual({ items: [], nextCursor: null });
    const query = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query?.IndexName).toBe('gsi1');
    expect(query && readable(query, 'KeyConditionExpression')).toBe(
      'gsi1pk = "STAFF#SPECIALTY#icu" AND begins_with(gsi1sk, "ACTIVE#")',
    );
  });
});

describe('credentials function', () => {
  it('verifies with an update conditional on the pending state', async () => {
    dynamo.on(GetCommand).resolves({ Item: credentialItem() });
    dynamo.on(UpdateCommand).resolves({ Attributes: credentialItem({ status: 'active', version: 2 }) });
    const result = await call(credentials, {
      routeKey: 'POST /credentials/{id}/verify',
      pathParameters: { id: CRED_ID },
      body: { method: 'primary source' },
      claims: claimsFor(['credentialing'], 'cred-sub'),
    });
    expect(result.statusCode).toBe(200);
    const update = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update && readable(update, 'ConditionExpression')).toBe(
      'status IN ("pending") AND attribute_exists(pk)',
    );
    expect(Object.values(update?.ExpressionAttributeValues ?? {})).toContain('CREDSTATUS#active');
    expect(jsonOf(result)).not.toHaveProperty('ownerUserId');
  });

  it('answers 409 with the current state when a racing request changed it first', async () => {
    dynamo.on(GetCommand).resolves({ Item: credentialItem() });
    dynamo.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'failed',
        $metadata: {},
        Item: { status: { S: 'rejected' } },
      }),
    );
    const result = await call(credentials, {
      routeKey: 'POST /credentials/{id}/verify',
      pathParameters: { id: CRED_ID },
      body: { method: 'x' },
      claims: claimsFor(['admin']),
    });
    expect(result.statusCode).toBe(409);
    expect(jsonOf(result).currentState).toBe('rejected');
  });

  it('signs the upload with content type, length and If-None-Match: *, under an id-only object key', async () => {
    dynamo.on(GetCommand).resolves({ Item: credentialItem() });
    dynamo.on(UpdateCommand).resolves({ Attributes: credentialItem() });
    const result = await call(credentials, {
      routeKey: 'POST /credentials/{id}/document',
      pathParameters: { id: CRED_ID },
      body: { name: 'Nia licence.pdf', contentType: 'application/pdf', size: 2048 },
      claims: claimsFor(['staff'], OWNER),
    });
    expect(result.statusCode).toBe(200);
    const body = jsonOf(result) as { uploadUrl: string; uploadHeaders: Record<string, string> };
    const url = new URL(body.uploadUrl);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host;if-none-match',
    );
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    expect(url.pathname).toMatch(new RegExp(`credentials/${CRED_ID}/[0-9A-Z]{26}$`));
    expect(body.uploadUrl).not.toContain('licence');
    expect(url.searchParams.get('x-amz-checksum-crc32')).toBeNull();
    expect(body.uploadHeaders).toEqual({
      'Content-Type': 'application/pdf',
      'Content-Length': '2048',
      'If-None-Match': '*',
    });
  });

  it('treats a 403 from HeadObject as "not uploaded yet" (409), and records no access event', async () => {
    dynamo.on(GetCommand).resolves({
      Item: credentialItem({
        document: { name: 'a.pdf', contentType: 'application/pdf', size: 1, status: 'pending' },
        documentKey: `credentials/${CRED_ID}/01J0000000000000000000UPLD`,
      }),
    });
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: { httpStatusCode: 403 } }),
    );
    const result = await call(credentials, {
      routeKey: 'GET /credentials/{id}/document',
      pathParameters: { id: CRED_ID },
      claims: claimsFor(['recruiter']),
    });
    expect(result.statusCode).toBe(409);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('queries the work queue on the status index, never a Scan', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [credentialItem()] });
    // The queue names each credential's staff member from the profiles, read in one batch (absent here).
    dynamo.on(BatchGetCommand).resolves({});
    const result = await call(credentials, {
      routeKey: 'GET /credentials',
      query: { status: 'pending' },
      claims: claimsFor(['credentialing']),
    });
    expect((jsonOf(result).items as unknown[]).length).toBe(1);
    const query = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query?.IndexName).toBe('gsi3');
    expect(query && readable(query, 'KeyConditionExpression')).toBe(
      'gsi3pk = "CREDSTATUS#pending" AND begins_with(gsi3sk, "CRED#")',
    );
  });
});

describe('/me, invitations and the scheduled sweep', () => {
  it('/me answers the staff profile id from the user link', async () => {
    dynamo.on(GetCommand).resolves({ Item: { staffId: STAFF_ID } });
    const result = await call(auth, {
      routeKey: 'GET /me',
      claims: { ...claimsFor(['staff'], OWNER), name: 'Nia' },
    });
    expect(jsonOf(result).staffProfileId).toBe(STAFF_ID);
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
      pk: `USER#${OWNER}`,
      sk: 'STAFF',
    });
  });

  it('an invitation of staff creates their profile, and records no User access event', async () => {
    const identity = createInMemoryIdentity();
    const events = createInMemoryAccessEvents();
    const profiles = createInMemoryStaff();
    const users = createUsersService({
      identity: identity.provider,
      accessEvents: events.repository,
      profiles: createStaffProfileProvisioner({ profiles: profiles.repository }),
    });
    const context = {
      actor: { userId: 'recruiter-sub', roles: ['recruiter' as const] },
      now: new Date(),
      requestId: 'r',
    };
    const user = await users.invite(context, { email: 'sam@example.org', name: 'Sam', roles: ['staff'] });
    expect([...profiles.profiles.values()]).toEqual([
      expect.objectContaining({ userId: user.id, name: 'Sam', email: 'sam@example.org', version: 1 }),
    ]);
    expect(events.events).toEqual([]);
    await users.invite(
      { ...context, actor: { userId: 'admin', roles: ['admin'] } },
      {
        email: 'rae@example.org',
        name: 'Rae',
        roles: ['recruiter'],
      },
    );
    expect(profiles.profiles.size).toBe(1);
  });

  it('the scheduled sweep takes "now" from the event time', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const result = await sweep({
      version: '0',
      id: 'event-1',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2031-06-15T06:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: {},
    });
    expect(result).toEqual({ examined: 0, warned: 0, expired: 0 });
    const buckets = dynamo.commandCalls(QueryCommand).map((c) => partitionOf(c.args[0].input));
    expect(buckets[0]).toBe('EXP#2031-05-15');
    expect(buckets.at(-1)).toBe('EXP#2031-09-13');
    expect(buckets).toHaveLength(31 + 1 + 90);
  });
});
