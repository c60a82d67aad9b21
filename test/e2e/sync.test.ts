/**
 * Offline sync on the twin: a staff member who is also a recruiter syncs (a full snapshot),
 * goes offline while a recruiter offers her a contract and another nurse one, opens a
 * conversation with her and sends two messages: her next sync brings them in order. Then an
 * admin takes her recruiter role away: her cursor answers 410, and the resync brings her
 * contract, the conversation and both messages in order, with no item she may not see (not the
 * other nurse's contract); through @shiftline/client her local store keeps no item of the role
 * she lost. An expired cursor is 410, a forged or foreign one 400.
 */
import { describe, expect, it, vi } from 'vitest';
import type { SyncPosition } from '#domain/sync/service.ts';
import { createShiftlineClient, memorySyncStore } from '../../packages/client/src/index.ts';
import { newStaffMember } from './support/staff-members.ts';
import { api, eventually, loginAs, type Session, twin, uniqueEmail } from './support/twin.ts';

const PASSWORD = 'Sync-Nurse-42!';
// The twin's cursor key (local/twin.ts): lets the test mint a cursor the log no longer covers.
const TWIN_CURSOR_SECRET = 'shiftline-local-cursor-secret';

interface Change {
  entityType: string;
  id: string;
  op: 'upsert' | 'delete';
  version: number;
  data?: { staffId?: string; id?: string; status?: string };
}
interface SyncPage {
  changes: Change[];
  nextCursor: string;
  hasMore: boolean;
}

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const content = {
  title: 'Med-surg days, 8 weeks',
  terms: 'Four 10-hour days a week.',
  startDate: future(20),
  endDate: future(76),
  rate: { amountCents: 6400, currency: 'USD', per: 'hour' },
  location: 'Mercy General, 4 West',
};

/** Every page from `since` on, until the feed has nothing more right now. */
const syncAll = async (token: string, since?: string) => {
  const changes: Change[] = [];
  let cursor = since;
  for (;;) {
    const query = `?limit=200${cursor ? `&since=${encodeURIComponent(cursor)}` : ''}`;
    const page = await api<SyncPage>(`/sync${query}`, { token });
    expect(page.status, page.text).toBe(200);
    changes.push(...page.body.changes);
    cursor = page.body.nextCursor;
    if (!page.body.hasMore) return { changes, cursor };
  }
};

const invite = async (roles: string[]) => {
  const admin = await loginAs('admin');
  const email = uniqueEmail('sync-nurse');
  const invited = await api('/users', {
    method: 'POST',
    token: admin.idToken,
    body: { email, name: 'Sync Nurse', roles },
  });
  expect(invited.status, invited.text).toBe(201);
  const challenge = await api('/auth/login', {
    method: 'POST',
    body: { email, password: twin().confirmationCode },
  });
  const tokens = await api<Session>('/auth/new-password', {
    method: 'POST',
    body: { email, session: challenge.body.session, newPassword: PASSWORD },
  });
  expect(tokens.status, tokens.text).toBe(200);
  const me = await api('/me', { token: tokens.body.idToken });
  return {
    email,
    userId: invited.body.id as string,
    staffId: me.body.staffProfileId as string,
    session: tokens.body,
  };
};

/** A cursor signed as the twin signs them, at a position the log no longer keeps. */
const expiredCursorOf = async (userId: string) => {
  vi.stubEnv('CURSOR_SECRET', TWIN_CURSOR_SECRET);
  const { encodeCursor } = await import('#runtime/cursor.ts');
  const { positionAt } = await import('#domain/sync/service.ts');
  const old: SyncPosition = { after: positionAt(Date.now() - 31 * 86_400_000), feeds: [`USER#${userId}`] };
  const cursor = await encodeCursor(old, { userId, routeKey: 'GET /sync', filters: {} });
  vi.unstubAllEnvs();
  return cursor;
};

const offerTo = async (recruiter: Session, staffId: string) => {
  const draft = await api('/contracts', {
    method: 'POST',
    token: recruiter.idToken,
    body: { staffId, ...content },
  });
  expect(draft.status, draft.text).toBe(201);
  const offered = await api(`/contracts/${draft.body.id}/offer`, {
    method: 'POST',
    token: recruiter.idToken,
    body: {},
  });
  expect(offered.status, offered.text).toBe(200);
  return draft.body.id as string;
};

describe('offline sync', () => {
  it('brings what happened while offline in order, and after a role change only what she may see', async () => {
    // Prepare: she syncs everything she may see as staff and recruiter.
    const nurse = await invite(['staff', 'recruiter']);
    const other = await newStaffMember('sync-other');
    const snapshot = await syncAll(nurse.session.idToken);
    expect(snapshot.changes).toContainEqual(
      expect.objectContaining({ entityType: 'StaffProfile', id: nurse.staffId, op: 'upsert' }),
    );

    // Act: offline, others change what she sees.
    const recruiter = await loginAs('recruiter');
    const admin = await loginAs('admin');
    const hers = await offerTo(recruiter, nurse.staffId);
    const theirs = await offerTo(recruiter, other.staffId);
    const opened = await api('/conversations', {
      method: 'POST',
      token: recruiter.idToken,
      body: { participantIds: [nurse.userId], subject: 'Your offer' },
    });
    expect(opened.status, opened.text).toBe(201);
    const messageIds: string[] = [];
    for (const body of ['The offer is in your inbox.', 'Call me with questions.']) {
      const sent = await api(`/conversations/${opened.body.id}/messages`, {
        method: 'POST',
        token: recruiter.idToken,
        body: { body },
      });
      expect(sent.status, sent.text).toBe(201);
      messageIds.push(sent.body.id);
    }
    const seen: Change[] = [];
    let cursor = snapshot.cursor;
    await expect
      .poll(async () => {
        const page = await syncAll(nurse.session.idToken, cursor);
        seen.push(...page.changes);
        cursor = page.cursor;
        return (
          seen.some((change) => change.id === messageIds[1]) && seen.some((change) => change.id === theirs)
        );
      }, eventually)
      .toBe(true);
    const roles = await api(`/users/${nurse.userId}/roles`, {
      method: 'PUT',
      token: admin.idToken,
      body: { roles: ['staff'] },
    });
    expect(roles.status, roles.text).toBe(200);
    const back = await api<Session>('/auth/login', {
      method: 'POST',
      body: { email: nurse.email, password: PASSWORD },
    });
    const afterRoleChange = await api(`/sync?since=${encodeURIComponent(cursor)}`, {
      token: back.body.idToken,
    });
    const resync = await syncAll(back.body.idToken);

    // Assess: hers, the conversation and the messages in order (theirs too while she recruited).
    const ours = new Set([hers, theirs, opened.body.id, ...messageIds]);
    const story = seen.filter((change) => ours.has(change.id));
    const index = (id: string, op = 'upsert') =>
      story.findIndex((change) => change.id === id && change.op === op);
    expect(story.find((change) => change.id === hers && change.op === 'upsert')?.data).toMatchObject({
      staffId: nurse.staffId,
      status: 'offered',
    });
    expect(index(hers)).toBeLessThan(index(messageIds[0] ?? ''));
    expect(index(messageIds[0] ?? '')).toBeLessThan(index(messageIds[1] ?? ''));
    expect(index(opened.body.id)).toBeGreaterThanOrEqual(0);
    expect(index(theirs)).toBeGreaterThanOrEqual(0);
    // Her roles changed: the cursor is refused and she starts over (items seen only as a
    // recruiter that did not change would otherwise stay on her device, docs/decisions.md).
    expect(afterRoleChange.status, afterRoleChange.text).toBe(410);
    expect(afterRoleChange.body).toMatchObject({ type: 'urn:shiftline:problem:gone', status: 410 });
    const kept = (id: string) => resync.changes.filter((change) => change.id === id);
    expect(kept(hers).map((change) => change.data)).toEqual([
      expect.objectContaining({ staffId: nurse.staffId, status: 'offered' }),
    ]);
    // A snapshot: every item once, as it is now (its order is the sources', not the log's).
    for (const id of [opened.body.id, ...messageIds]) expect(kept(id)).toHaveLength(1);
    expect(kept(theirs)).toEqual([]);
    // Nothing she may not see: as staff, only her own contracts and profile come as items.
    for (const change of resync.changes.filter((candidate) => candidate.op === 'upsert')) {
      if (change.entityType === 'Contract') expect(change.data?.staffId).toBe(nurse.staffId);
      if (change.entityType === 'StaffProfile') expect(change.id).toBe(nurse.staffId);
      expect(change).toHaveProperty('data');
    }
    for (const change of seen.filter((candidate) => candidate.op === 'delete'))
      expect(change).not.toHaveProperty('data');
  });

  it('answers 410 to a cursor older than the log keeps, and 400 to a forged or foreign one', async () => {
    // Prepare
    const nurse = await invite(['staff']);
    const stranger = await loginAs('staff');
    const { cursor } = await syncAll(nurse.session.idToken);
    vi.stubEnv('CURSOR_SECRET', TWIN_CURSOR_SECRET);
    const { encodeCursor } = await import('#runtime/cursor.ts');
    const { positionAt } = await import('#domain/sync/service.ts');
    const old: SyncPosition = {
      after: positionAt(Date.now() - 31 * 86_400_000),
      feeds: [`USER#${nurse.userId}`],
    };
    const expired = await encodeCursor(old, { userId: nurse.userId, routeKey: 'GET /sync', filters: {} });
    vi.unstubAllEnvs();
    const [payload = '', signature = ''] = cursor.split('.');
    const forged = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;

    // Act
    const gone = await api(`/sync?since=${encodeURIComponent(expired)}`, { token: nurse.session.idToken });
    const tampered = await api(`/sync?since=${encodeURIComponent(forged)}`, { token: nurse.session.idToken });
    const foreign = await api(`/sync?since=${encodeURIComponent(cursor)}`, { token: stranger.idToken });

    // Assess
    expect(gone.status, gone.text).toBe(410);
    expect(gone.body).toMatchObject({ type: 'urn:shiftline:problem:gone', status: 410 });
    expect(tampered.status).toBe(400);
    expect(tampered.body.errors).toEqual([{ path: 'query.since', message: 'invalid' }]);
    expect(foreign.status).toBe(400);
  });

  it("keeps no item of a role she lost in @shiftline/client's store", async () => {
    // Prepare: as staff and recruiter she syncs every profile and contract, another nurse's too.
    const nurse = await invite(['staff', 'recruiter']);
    const other = await newStaffMember('sync-lost-role');
    const recruiter = await loginAs('recruiter');
    const theirs = await offerTo(recruiter, other.staffId);
    const hers = await offerTo(recruiter, nurse.staffId);
    const client = createShiftlineClient({ baseUrl: twin().urls.api });
    expect(await client.login(nurse.email, PASSWORD)).toHaveProperty('signedIn');
    const store = memorySyncStore();
    await client.sync(store);
    expect(store.get('Contract', theirs)).toMatchObject({ staffId: other.staffId });
    expect(store.get('StaffProfile', other.staffId)).toMatchObject({ id: other.staffId });

    // Act: an admin takes the recruiter role away (unchanged since: no log entry would say so).
    const admin = await loginAs('admin');
    const roles = await api(`/users/${nurse.userId}/roles`, {
      method: 'PUT',
      token: admin.idToken,
      body: { roles: ['staff'] },
    });
    expect(roles.status, roles.text).toBe(200);
    expect(await client.login(nurse.email, PASSWORD)).toHaveProperty('signedIn');
    const after = await client.sync(store);
    const fresh = memorySyncStore();
    await client.sync(fresh);

    // Assess: started over; what she kept is exactly what a new device of hers gets.
    expect(after.resynced).toBe(true);
    expect(store.get('Contract', theirs)).toBeUndefined();
    expect(store.get('StaffProfile', other.staffId)).toBeUndefined();
    expect(store.get('Contract', hers)).toMatchObject({ staffId: nurse.staffId, status: 'offered' });
    expect(store.get('StaffProfile', nurse.staffId)).toMatchObject({ id: nurse.staffId });
    expect(store.size()).toBe(fresh.size());
  });

  it('keeps a local store in step through @shiftline/client, starting over when its cursor expired', async () => {
    // Prepare
    const nurse = await invite(['staff']);
    const client = createShiftlineClient({ baseUrl: twin().urls.api });
    const outcome = await client.login(nurse.email, PASSWORD);
    expect(outcome).toHaveProperty('signedIn');
    const store = memorySyncStore();

    // Act
    const first = await client.sync(store);
    const offered = await offerTo(await loginAs('recruiter'), nurse.staffId);
    await expect
      .poll(async () => {
        await client.sync(store);
        return (store.get('Contract', offered) as { status?: string } | undefined)?.status;
      }, eventually)
      .toBe('offered');
    store.apply([], await expiredCursorOf(nurse.userId));
    const again = await client.sync(store);

    // Assess
    expect(first.resynced).toBe(true);
    expect(store.get('StaffProfile', nurse.staffId)).toMatchObject({ id: nurse.staffId });
    expect(again.resynced).toBe(true);
    expect(store.get('Contract', offered)).toMatchObject({ id: offered, status: 'offered' });
  });
});
