/**
 * Migrations (scripts/migrations/, listed in CHANGELOG.md) run on the twin against items as
 * they were written before the change: each brings them to what new writes store, and a second
 * run finds nothing left to do.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { conversationEntity, membershipEntity } from '#data/entities/messaging.ts';
import { staffSearchTermEntity } from '#data/entities/staff-search.ts';
import { credentialTerms, profileTerms } from '#domain/staff/search-terms.ts';
import { LOCAL_REGION, localCredentials } from '../../local/local-aws.ts';
import { TABLE_NAMES } from '../../local/twin.ts';
import { clientAs } from './support/clients.ts';
import { newStaffMember } from './support/staff-members.ts';
import { api, loginAs, twin } from './support/twin.ts';

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

describe('staff-search-terms', () => {
  it('gives profiles and credentials written before the search index their terms', async () => {
    // Prepare: a profile and a credential as written before the change (no search terms).
    const member = await newStaffMember('migrate-search');
    const word = `premigration${Date.now().toString(36).replace(/\d/g, '')}`;
    const admin = (await loginAs('admin')).idToken;
    await api(`/staff/${member.staffId}`, {
      method: 'PATCH',
      token: admin,
      body: { name: `Mara ${word}` },
      headers: { 'if-match': '"1"' },
    });
    const credential = await api(`/staff/${member.staffId}/credentials`, {
      method: 'POST',
      token: member.session.idToken,
      body: { type: 'RN', number: `${word}-7` },
    });
    const terms = [
      ...profileTerms({ id: member.staffId, name: `Mara ${word}` }),
      ...credentialTerms({ id: credential.body.id, staffId: member.staffId, number: `${word}-7` }),
    ];
    for (const term of terms)
      await documents().send(
        new DeleteCommand({ TableName: TABLE_NAMES.main, Key: staffSearchTermEntity.key(term) }),
      );
    const find = async (q: string) =>
      (await api('/staff/search', { method: 'POST', token: admin, body: { q } })).body.items.map(
        (item: { id: string; matchedBy: string }) => `${item.id}/${item.matchedBy}`,
      );
    const before = [await find(word), await find(`${word}7`)];

    // Act
    const first = await migrate('staff-search-terms.ts');
    const second = await migrate('staff-search-terms.ts');

    // Assess
    expect(before).toEqual([[], []]);
    expect(await find(word)).toEqual([`${member.staffId}/name`]);
    expect(await find(`${word}7`)).toEqual([`${member.staffId}/licence`]);
    expect(first).toMatch(/, [3-9]\d* search term\(s\) written/);
    expect(second).toContain(', 0 search term(s) written');
  });
});
