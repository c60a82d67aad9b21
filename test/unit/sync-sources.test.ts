import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '#domain/context.ts';
import type { Page, PageRequest } from '#domain/page.ts';
import type { Role } from '#domain/roles.ts';
import type { SnapshotItem } from '#domain/sync/snapshot.ts';
import { type SyncServices, snapshotSources } from '#domain/sync/sources.ts';

const contextOf = (userId: string, roles: Role[]): ServiceContext => ({
  actor: { userId, roles },
  now: new Date('2026-03-10T12:00:00.000Z'),
  requestId: 'r1',
});

/** A list of items paged by index, as the services page theirs. */
const paged = (items: SnapshotItem[], page: PageRequest): Page<SnapshotItem> => {
  const start = (page.position?.index as number | undefined) ?? 0;
  const end = start + page.limit;
  return { items: items.slice(start, end), ...(end < items.length ? { next: { index: end } } : {}) };
};

const messagesIn: Record<string, SnapshotItem[]> = {
  V1: [{ id: 'M1' }, { id: 'M2' }, { id: 'M3' }],
  V2: [],
  V3: [{ id: 'M4' }],
};

const services = (calls: string[] = []): SyncServices => ({
  staff: {
    get: async (_context, id) => ({ id, version: 1 }),
    list: async (_context, _filters, page) => paged([{ id: 'S1' }, { id: 'S2' }], page),
    profileIdOfUser: async (userId) => (userId === 'nia' ? 'S-NIA' : undefined),
  },
  credentials: {
    listOfStaff: async (_context, staffId) => ({ items: [{ id: `CR-of-${staffId}` }] }),
    queue: async (_context, { status }) => {
      calls.push(`queue:${status}`);
      return { items: [{ id: `CR-${status}` }] };
    },
  },
  contracts: { list: async () => ({ items: [] }) },
  appointments: { list: async () => ({ items: [] }) },
  messaging: {
    listConversations: async (_context, page) => paged([{ id: 'V1' }, { id: 'V2' }, { id: 'V3' }], page),
    listMessages: async (_context, conversationId, page) => paged(messagesIn[conversationId] ?? [], page),
  },
});

/** Every page of one snapshot source. */
const drain = async (list: SyncServices['contracts']['list'], context: ServiceContext, limit: number) => {
  const pages: string[][] = [];
  let page = await list(context, { limit });
  pages.push(page.items.map((item) => item.id));
  while (page.next) {
    page = await list(context, { limit, position: page.next });
    pages.push(page.items.map((item) => item.id));
  }
  return pages;
};

describe('what offline sync shows', () => {
  it("snapshots every message of every conversation of the caller's, page by page", async () => {
    // Prepare
    const messages = snapshotSources(services()).find((source) => source.entityType === 'Message');

    // Act
    const pages = messages && (await drain(messages.list, contextOf('nia', ['staff']), 2));

    // Assess
    expect(pages).toEqual([['M1', 'M2'], ['M3'], [], ['M4']]);
  });

  it('snapshots own profile and credentials for staff, every one for the roles that list them', async () => {
    // Prepare
    const calls: string[] = [];
    const sources = snapshotSources(services(calls));
    const ids = async (type: string, context: ServiceContext) => {
      const found: string[] = [];
      for (const source of sources.filter((candidate) => candidate.entityType === type)) {
        for (const page of await drain(source.list, context, 10)) found.push(...page);
      }
      return found;
    };

    // Act
    const staffProfiles = await ids('StaffProfile', contextOf('nia', ['staff']));
    const staffCredentials = await ids('Credential', contextOf('nia', ['staff']));
    const agencyProfiles = await ids('StaffProfile', contextOf('rex', ['credentialing']));
    const agencyCredentials = await ids('Credential', contextOf('rex', ['credentialing']));

    // Assess
    expect(staffProfiles).toEqual(['S-NIA']);
    expect(staffCredentials).toEqual(['CR-of-S-NIA']);
    expect(agencyProfiles).toEqual(['S1', 'S2']);
    expect(agencyCredentials).toEqual(['CR-pending', 'CR-active', 'CR-expired', 'CR-rejected', 'CR-revoked']);
  });
});
