/**
 * Offline sync on the twin: pages drained from a cursor, users invited with chosen roles,
 * cursors minted as the twin mints them, and each change checked against what REST shows.
 */
import { expect, vi } from 'vitest';
import type { SyncPosition } from '#domain/sync/service.ts';
import { invitedUser, PASSWORD } from './staff-members.ts';
import { api, loginAs, type Session } from './twin.ts';

export { PASSWORD };

// The twin's cursor key (local/twin.ts): lets a test mint a cursor the log no longer covers.
const TWIN_CURSOR_SECRET = 'shiftline-local-cursor-secret';

export interface Change {
  entityType: string;
  id: string;
  op: 'upsert' | 'delete';
  version: number;
  data?: { staffId?: string; id?: string; status?: string; conversationId?: string };
}
interface SyncPage {
  changes: Change[];
  nextCursor: string;
  hasMore: boolean;
}

/** Every page from `since` on, until the feed has nothing more right now. */
export const syncAll = async (token: string, since?: string) => {
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

/** A user invited with these roles, signed in with a password of their own. */
export const invite = (roles: string[]) => invitedUser(roles, 'sync-nurse');

/** An admin sets the user's roles; their sessions end, so they sign in again. */
export const setRoles = async (user: { userId: string; email: string }, roles: string[]) => {
  const admin = await loginAs('admin');
  const changed = await api(`/users/${user.userId}/roles`, {
    method: 'PUT',
    token: admin.idToken,
    body: { roles },
  });
  expect(changed.status, changed.text).toBe(200);
  const back = await api<Session>('/auth/login', {
    method: 'POST',
    body: { email: user.email, password: PASSWORD },
  });
  expect(back.status, back.text).toBe(200);
  return back.body;
};

/** A cursor signed as the twin signs them, at a position the log no longer keeps. */
export const expiredCursorOf = async (userId: string, feeds: string[] = [`USER#${userId}`]) => {
  vi.stubEnv('CURSOR_SECRET', TWIN_CURSOR_SECRET);
  const { encodeCursor } = await import('#runtime/cursor.ts');
  const { positionAt } = await import('#domain/sync/service.ts');
  const old: SyncPosition = { after: positionAt(Date.now() - 31 * 86_400_000), feeds };
  const cursor = await encodeCursor(old, { userId, routeKey: 'GET /sync', filters: {} });
  vi.unstubAllEnvs();
  return cursor;
};

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const content = {
  title: 'Med-surg days, 8 weeks',
  terms: 'Four 10-hour days a week.',
  startDate: future(20),
  endDate: future(76),
  rate: { amountCents: 6400, currency: 'USD', per: 'hour' },
  location: 'Mercy General, 4 West',
};

/** A contract drafted and offered to the staff member; its id. */
export const offerTo = async (recruiter: Session, staffId: string) => {
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

const REST_PATHS: Record<string, (change: Change) => string> = {
  StaffProfile: ({ id }) => `/staff/${id}`,
  Credential: ({ id }) => `/credentials/${id}`,
  Contract: ({ id }) => `/contracts/${id}`,
  Appointment: ({ id }) => `/appointments/${id}`,
  Conversation: ({ id }) => `/conversations/${id}`,
};

/**
 * What REST shows this user of the change's item now: an upsert's `data` exactly, a tombstone's
 * item not at all (404, or 403 where the policy says so). A message is looked up in its conversation's list.
 */
export const expectRestAgrees = async (token: string, change: Change) => {
  if (change.entityType === 'Message') {
    const listed = await api(`/conversations/${change.data?.conversationId}/messages?limit=100`, { token });
    expect(change.op, `message ${change.id}`).toBe('upsert');
    expect(listed.status, listed.text).toBe(200);
    const found = (listed.body.items as { id: string }[]).find((message) => message.id === change.id);
    expect(found, `message ${change.id}`).toEqual(change.data);
    return;
  }
  const path = REST_PATHS[change.entityType]?.(change) ?? `unknown type ${change.entityType}`;
  const shown = await api(path, { token });
  if (change.op === 'delete') expect([403, 404], `${path} ${shown.text}`).toContain(shown.status);
  else {
    expect(shown.status, `${path} ${shown.text}`).toBe(200);
    expect(shown.body, path).toEqual(change.data);
  }
};
