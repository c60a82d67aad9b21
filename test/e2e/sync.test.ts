/**
 * Offline sync on the twin (issue 17's Done-when): a staff member who is also a recruiter syncs
 * (a full snapshot), goes offline while a recruiter offers her a contract and another nurse one,
 * opens a conversation with her and sends two messages, and an admin takes her recruiter role
 * away. Her next sync with the old cursor brings exactly, in order, the tombstones of what the
 * role showed her and she may no longer read, then her contract, the messages and the
 * conversation; REST shows her each upsert as it came and none of the tombstoned items.
 * Through @shiftline/client her local store follows a role lost and a role gained without
 * starting over. An expired cursor is 410, a forged or foreign one 400.
 */
import { describe, expect, it } from 'vitest';
import { createShiftlineClient, memorySyncStore } from '../../packages/client/src/index.ts';
import { newStaffMember } from './support/staff-members.ts';
import {
  type Change,
  expectRestAgrees,
  expiredCursorOf,
  invite,
  offerTo,
  PASSWORD,
  setRoles,
  syncAll,
} from './support/sync.ts';
import { api, eventually, loginAs, twin } from './support/twin.ts';

/** The changes of these items, as `op:id`, in the order they came. */
const storyOf = (changes: readonly Change[], ids: readonly string[]) =>
  changes.filter((change) => ids.includes(change.id)).map((change) => `${change.op}:${change.id}`);

describe('offline sync', () => {
  it('brings what happened offline and what her lost role showed, in order, and nothing she may not see', async () => {
    // Prepare: as staff and recruiter she syncs everything she may see, another nurse too.
    const nurse = await invite(['staff', 'recruiter']);
    const other = await newStaffMember('sync-other');
    const snapshot = await syncAll(nurse.session.idToken);
    expect(snapshot.changes).toContainEqual(
      expect.objectContaining({ entityType: 'StaffProfile', id: other.staffId, op: 'upsert' }),
    );

    // Act: offline, a recruiter offers her and the other nurse a contract and writes to her,
    // then an admin takes her recruiter role away.
    const recruiter = await loginAs('recruiter');
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
    const session = await setRoles(nurse, ['staff']);
    // Her own profile is left out of the story: its creation, just before the snapshot, may be
    // logged after the snapshot's position and come again (a change during a snapshot may).
    const ids = [other.staffId, theirs, hers, ...messageIds, opened.body.id];
    // The role delta first (profiles are listed before contracts), then her feed oldest first:
    // her contract, the messages, and the conversation (its unread count changed last).
    const expected = [
      `delete:${other.staffId}`,
      `delete:${theirs}`,
      `upsert:${hers}`,
      `upsert:${messageIds[0]}`,
      `upsert:${messageIds[1]}`,
      `upsert:${opened.body.id}`,
    ];
    let next: Change[] = [];
    await expect
      .poll(async () => {
        // The same old cursor every time: the stream consumer may not have logged everything yet.
        next = (await syncAll(session.idToken, snapshot.cursor)).changes;
        return storyOf(next, ids);
      }, eventually)
      .toEqual(expected);
    const expired = await expiredCursorOf(nurse.userId, [`USER#${nurse.userId}`, 'ROLE#recruiter']);
    const gone = await api(`/sync?since=${encodeURIComponent(expired)}`, { token: session.idToken });

    // Assess: each change is what REST shows her now, item by item.
    expect(next.find((change) => change.id === hers)?.data).toMatchObject({
      staffId: nurse.staffId,
      status: 'offered',
    });
    for (let start = 0; start < next.length; start += 20) {
      await Promise.all(
        next.slice(start, start + 20).map((change) => expectRestAgrees(session.idToken, change)),
      );
    }
    expect(next.filter((change) => change.op === 'delete' && 'data' in change)).toEqual([]);
    expect(next.filter((change) => change.id === nurse.staffId && change.op === 'delete')).toEqual([]);
    expect(gone.status, gone.text).toBe(410);
    expect(gone.body).toMatchObject({ type: 'urn:shiftline:problem:gone', status: 410 });
  });

  it('answers 410 to a cursor older than the log keeps, and 400 to a forged or foreign one', async () => {
    // Prepare
    const nurse = await invite(['staff']);
    const stranger = await loginAs('staff');
    const { cursor } = await syncAll(nurse.session.idToken);
    const expired = await expiredCursorOf(nurse.userId);
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

  it("follows a role lost and a role gained in @shiftline/client's store without starting over", async () => {
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

    // Act: an admin takes the recruiter role away (unchanged since: no log entry would say so),
    // she syncs, then gets it back and syncs again; a new device syncs after each change.
    await setRoles(nurse, ['staff']);
    expect(await client.login(nurse.email, PASSWORD)).toHaveProperty('signedIn');
    const lost = await client.sync(store);
    const lostContract = store.get('Contract', theirs);
    const lostProfile = store.get('StaffProfile', other.staffId);
    const kept = store.get('Contract', hers);
    const freshAfterLoss = memorySyncStore();
    await client.sync(freshAfterLoss);
    const sizesAfterLoss = [store.size(), freshAfterLoss.size()];
    await setRoles(nurse, ['staff', 'recruiter']);
    expect(await client.login(nurse.email, PASSWORD)).toHaveProperty('signedIn');
    const gained = await client.sync(store);
    const freshAfterGain = memorySyncStore();
    await client.sync(freshAfterGain);

    // Assess: never started over; what she keeps is what a new device of hers gets.
    expect([lost.resynced, gained.resynced]).toEqual([false, false]);
    expect([lostContract, lostProfile]).toEqual([undefined, undefined]);
    expect(kept).toMatchObject({ staffId: nurse.staffId, status: 'offered' });
    expect(sizesAfterLoss[0]).toBe(sizesAfterLoss[1]);
    expect(store.get('Contract', theirs)).toMatchObject({ staffId: other.staffId, status: 'offered' });
    expect(store.get('StaffProfile', other.staffId)).toMatchObject({ id: other.staffId });
    expect(store.size()).toBe(freshAfterGain.size());
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
