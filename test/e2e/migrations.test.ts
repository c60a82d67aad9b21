/**
 * Migrations (scripts/migrations/, listed in CHANGELOG.md) run on the twin against items as
 * they were written before the change: each brings them to what new writes store, and a second
 * run finds nothing left to do.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { presenceAttribute, presenceEntity } from '#data/entities/connections.ts';
import { conversationEntity, membershipEntity } from '#data/entities/messaging.ts';
import { LOCAL_REGION, localCredentials } from '../../local/local-aws.ts';
import { TABLE_NAMES } from '../../local/twin.ts';
import { clientAs, openLive } from './support/clients.ts';
import { twin } from './support/twin.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

const documents = () =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: twin().urls.dynamodb,
      region: LOCAL_REGION,
      credentials: localCredentials,
    }),
  );

/** Takes an attribute off an item, as items written before it was introduced lack it. */
const strip = (key: { pk: string; sk: string }, attribute: string) =>
  documents().send(
    new UpdateCommand({
      TableName: TABLE_NAMES.main,
      Key: key,
      UpdateExpression: 'REMOVE #attribute',
      ExpressionAttributeNames: { '#attribute': attribute },
    }),
  );

const migrate = async (script: string) =>
  (
    await run(process.execPath, [resolve(ROOT, 'scripts/migrations', script)], {
      cwd: ROOT,
      env: { ...process.env, SHIFTLINE_DATA_DIR: twin().dataDir },
    })
  ).stdout;

describe('conversation-participant-names', () => {
  it("gives conversations written before display names their participants' names", async () => {
    // Prepare: a conversation as written before the change (no `participants` anywhere).
    const [recruiter, staff] = await Promise.all([clientAs('recruiter'), clientAs('staff')]);
    const [recruiterUser, staffUser] = [recruiter.session()?.user, staff.session()?.user];
    const opened = await recruiter.api.POST('/conversations', {
      body: { participantIds: [staffUser?.id ?? ''], subject: 'Before names' },
    });
    const conversationId = opened.data?.id ?? '';
    await strip(conversationEntity.key({ id: conversationId }), 'participants');
    for (const userId of [recruiterUser?.id ?? '', staffUser?.id ?? ''])
      await strip(membershipEntity.key({ conversationId, userId }), 'participants');
    const read = () => staff.api.GET('/conversations/{id}', { params: { path: { id: conversationId } } });
    const before = await read();

    // Act
    const first = await migrate('conversation-participant-names.ts');
    const second = await migrate('conversation-participant-names.ts');

    // Assess
    expect(before.data?.participants).toEqual([{ id: recruiterUser?.id }, { id: staffUser?.id }]);
    expect((await read()).data?.participants).toEqual([
      { id: recruiterUser?.id, name: recruiterUser?.name },
      { id: staffUser?.id, name: staffUser?.name },
    ]);
    expect(first).toMatch(/: [1-9]\d* conversation\(s\)/);
    expect(second).toContain(': 0 conversation(s)');
  });
});

describe('connection-presence', () => {
  it("adds connections opened before presence items to their user's presence item", async () => {
    // Prepare: a live connection as registered before the change (not in the presence item).
    const staff = await clientAs('staff');
    const userId = staff.session()?.user.id ?? '';
    const presenceKey = presenceEntity.key({ userId });
    const presence = async () =>
      (await documents().send(new GetCommand({ TableName: TABLE_NAMES.main, Key: presenceKey }))).Item ?? {};
    const live = await openLive(staff);
    const attributes = Object.keys(await presence()).filter((name) => name.startsWith('live:'));
    for (const attribute of attributes) await strip(presenceKey, attribute);

    // Act
    const first = await migrate('connection-presence.ts');
    const second = await migrate('connection-presence.ts');

    // Assess
    expect(attributes.length).toBeGreaterThan(0);
    const restored = await presence();
    live.close();
    expect(restored[attributes[0] ?? '']).toMatchObject({ userId, roles: ['staff'] });
    expect(attributes[0]).toBe(presenceAttribute(String(restored[attributes[0] ?? '']?.connectionId)));
    expect(first).toMatch(/: [1-9]\d* connection\(s\)/);
    expect(second).toContain(': 0 connection(s)');
  });
});
