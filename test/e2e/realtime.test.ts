/**
 * The WebSocket API on the twin: the $connect authorizer (and how @shiftline/client reports a
 * refusal a browser cannot read), the connection registry, the @connections endpoint the notify
 * code posts through, and API Gateway's frame limit. Connections go through the client's
 * WebSocket; raw `ws` only where a test needs the upgrade's HTTP status or a close code, or
 * sends a frame the client's types refuse.
 */
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { connectionEntity, presenceAttribute, presenceEntity } from '#data/entities/connections.ts';
import { MAIN_INDEX } from '#data/tables.ts';
import { LOCAL_REGION, localCredentials } from '../../local/local-aws.ts';
import { TABLE_NAMES } from '../../local/twin.ts';
import { createShiftlineClient, type ServerFrame, SocketRefused } from '../../packages/client/src/index.ts';
import { clientAs, clientOf, openLive } from './support/clients.ts';
import { tamperedTokens } from './support/tokens.ts';
import { eventually, loginAs, openWs, twin, WsRefused } from './support/twin.ts';

/** The first refusal the client reports for a token (it would go on retrying: closed here). */
const refusalOf = async (token: () => string | undefined, url?: string) => {
  const staff = await clientAs('staff');
  const socket = staff.socket({
    token,
    backoff: { initialMs: 60_000, maxMs: 60_000 },
    ...(url ? { url } : {}),
  });
  try {
    return await new Promise<SocketRefused>((resolve) => socket.onRefused(resolve));
  } finally {
    socket.close();
  }
};

const documents = () =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: twin().urls.dynamodb,
      region: LOCAL_REGION,
      credentials: localCredentials,
    }),
  );

const connectionsOf = async (userId: string) => {
  const { gsi1pk, gsi1sk } = connectionEntity.indexKey('byUser', { userId });
  const { Items = [] } = await documents().send(
    new QueryCommand({
      TableName: TABLE_NAMES.main,
      IndexName: MAIN_INDEX.byParent.indexName,
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :sk)',
      ExpressionAttributeValues: { ':pk': gsi1pk, ':sk': gsi1sk },
    }),
  );
  return Items;
};

const management = () =>
  new ApiGatewayManagementApiClient({
    endpoint: twin().urls.ws.replace(/^ws/, 'http'),
    region: LOCAL_REGION,
    credentials: localCredentials,
  });

describe('WebSocket $connect', () => {
  it('refuses the upgrade with 401 for a missing, expired, forged or access token', async () => {
    const staff = await loginAs('staff');
    const tokens = await tamperedTokens(staff.idToken);
    for (const token of [
      '',
      'garbage',
      tokens.expired,
      tokens.forged,
      tokens.wrongIssuer,
      staff.accessToken,
    ]) {
      const refusal = await openWs(token).then(
        async (client) => {
          await client.close();
          return undefined;
        },
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(WsRefused);
      expect((refusal as WsRefused).status).toBe(401);
    }
  });

  it('reports through the client why a connection was refused, which a browser only sees as 1006', async () => {
    // Prepare
    const staff = await loginAs('staff');
    const tokens = await tamperedTokens(staff.idToken);
    const signedOut = createShiftlineClient({ baseUrl: twin().urls.api, wsUrl: twin().urls.ws });

    // Act
    const expired = await refusalOf(() => tokens.expired);
    const forged = await refusalOf(() => tokens.forged);
    const wrongEndpoint = await refusalOf(() => staff.idToken, 'ws://127.0.0.1:9');
    const noSession = await signedOut
      .socket()
      .opened()
      .catch((error: unknown) => error);

    // Assess
    expect(expired).toMatchObject({ reason: 'unauthorized', status: 401 });
    expect(expired.message).toContain('expired');
    expect(forged).toMatchObject({ reason: 'unauthorized', status: 401 });
    expect(forged.message).not.toBe(expired.message);
    expect(wrongEndpoint).toMatchObject({ reason: 'unreachable', status: undefined });
    expect(noSession).toBeInstanceOf(SocketRefused);
    expect(noSession).toMatchObject({ reason: 'signed-out' });
  });

  it("registers each of a user's connections (one Query finds them) and removes them on close", async () => {
    const staff = await loginAs('staff');
    const staffClient = clientOf(staff);
    const before = (await connectionsOf(staff.user.id)).length;
    const tab1 = await openLive(staffClient);
    const tab2 = await openLive(staffClient);

    const open = await vi.waitFor(async () => {
      const items = await connectionsOf(staff.user.id);
      expect(items).toHaveLength(before + 2);
      return items;
    }, eventually);
    const exp = JSON.parse(Buffer.from(staff.idToken.split('.')[1] ?? '', 'base64url').toString())
      .exp as number;
    for (const item of open) {
      expect(item).toMatchObject({ kind: 'Connection', userId: staff.user.id, roles: ['staff'] });
      expect(item.ttl).toBeLessThanOrEqual(exp);
      expect(item.ttl).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 2 * 60 * 60);
    }

    tab1.close();
    tab2.close();
    await expect.poll(() => connectionsOf(staff.user.id), eventually).toHaveLength(before);
  });
});

describe('@connections', () => {
  it('delivers a posted frame to the live connection and answers 410 once it is gone', async () => {
    const recruiter = await loginAs('recruiter');
    const client = await openLive(clientOf(recruiter));
    const [registered] = await vi.waitFor(async () => {
      const items = await connectionsOf(recruiter.user.id);
      expect(items).not.toHaveLength(0);
      return items;
    }, eventually);
    const connectionId = String(registered?.connectionId);

    const frame = { type: 'test.frame', value: 42 };
    await management().send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(JSON.stringify(frame)) }),
    );
    // A frame type the client does not know still reaches `onAny` listeners as sent.
    expect(await client.next((received) => (received as { type: string }).type === 'test.frame')).toEqual(
      frame,
    );

    client.close();
    await expect.poll(() => connectionsOf(recruiter.user.id), eventually).toHaveLength(0);
    const gone = await management()
      .send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('{}') }))
      .catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(GoneException);
  });

  // Raw `ws`: the client's typed actions cannot carry padding, and it does not expose close codes.
  it('closes a connection that sends a frame over 32 KB with 1009', async () => {
    const admin = await loginAs('admin');
    const client = await openWs(admin.idToken);
    const closed = new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)));
    client.send({ action: 'ping', padding: 'x'.repeat(33 * 1024) });
    expect(await closed).toBe(1009);
  });
});

describe('presence items (LIVE#<sub>) without a migration', () => {
  it('delivers a message to tabs opened before presence items existed, and completes the item', async () => {
    // Prepare: tab 1 as a connection registered before the change (no presence item), tab 2
    // opened after it (its connect creates a presence item that does not know tab 1).
    const [recruiter, staff] = await Promise.all([clientAs('recruiter'), clientAs('staff')]);
    const staffId = staff.session()?.user.id ?? '';
    const key = presenceEntity.key({ userId: staffId });
    const presence = async () =>
      (await documents().send(new GetCommand({ TableName: TABLE_NAMES.main, Key: key }))).Item;
    const tab1 = await openLive(staff);
    await vi.waitFor(
      async () => expect((await connectionsOf(staffId)).length).toBeGreaterThan(0),
      eventually,
    );
    await documents().send(new DeleteCommand({ TableName: TABLE_NAMES.main, Key: key }));
    const tab2 = await openLive(staff);
    await expect.poll(presence, eventually).toBeDefined();
    const opened = await recruiter.api.POST('/conversations', {
      body: { participantIds: [staffId], subject: 'Before the deploy' },
    });
    const conversationId = opened.data?.id ?? '';

    try {
      // Act
      const sent = await recruiter.api.POST('/conversations/{id}/messages', {
        params: { path: { id: conversationId } },
        body: { body: 'Still there?' },
      });
      const messageId = sent.data?.id ?? '';

      // Assess
      const isIt = (frame: ServerFrame) => frame.type === 'message.created' && frame.message.id === messageId;
      await Promise.all([tab1.next(isIt), tab2.next(isIt)]);
      const completed = await presence();
      expect(completed).toMatchObject({ kind: 'Presence', userId: staffId, complete: true });
      const ids = (await connectionsOf(staffId)).map((item) => String(item.connectionId));
      for (const id of ids) expect(completed?.[presenceAttribute(id)]).toMatchObject({ connectionId: id });
    } finally {
      tab1.close();
      tab2.close();
    }
  });
});
