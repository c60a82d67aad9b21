/**
 * What GET /sync shows of each kind of item, through the capability services the REST routes
 * use (their policy checks, views and audited reads: a date of birth only to whom REST shows
 * it, and such a read recorded as REST records it): one read per logged change, and the
 * snapshot's lists.
 */
import type { ServiceContext } from '../context.ts';
import { CREDENTIAL_STATUSES, type CredentialStatus } from '../credentials/state-machine.ts';
import { NotFound } from '../errors.ts';
import type { MembershipRecord, MessageRecord } from '../messaging/ports.ts';
import { toMessage } from '../messaging/rules.ts';
import type { ListPosition, Page, PageRequest } from '../page.ts';
import { decide } from '../policy.ts';
import type { ItemView, LoggedChange, SyncEntityType } from './ports.ts';
import type { SnapshotItem, SnapshotSource } from './snapshot.ts';

type Read = (context: ServiceContext, id: string) => Promise<unknown>;
type List = (context: ServiceContext, page: PageRequest) => Promise<Page<SnapshotItem>>;

export interface SyncServices {
  staff: {
    get: Read;
    list(
      context: ServiceContext,
      filters: Record<string, never>,
      page: PageRequest,
    ): Promise<Page<SnapshotItem>>;
    profileIdOfUser(userId: string): Promise<string | undefined>;
  };
  credentials: {
    get: Read;
    listOfStaff(
      context: ServiceContext,
      staffId: string,
      status: undefined,
      page: PageRequest,
    ): Promise<Page<SnapshotItem>>;
    queue(
      context: ServiceContext,
      filters: { status: CredentialStatus },
      page: PageRequest,
    ): Promise<Page<SnapshotItem>>;
  };
  contracts: { get: Read; list: List };
  appointments: { get: Read; list: List };
  messaging: {
    getConversation: Read;
    listConversations: List;
    listMessages(
      context: ServiceContext,
      conversationId: string,
      page: PageRequest,
    ): Promise<Page<SnapshotItem>>;
    findMessage(conversationId: string, messageId: string): Promise<MessageRecord | undefined>;
    listMembers(conversationId: string): Promise<MembershipRecord[]>;
  };
}

/** One read per request and key: a page of a conversation's messages checks it and reads its members once. */
const perRequest = <T>(read: (context: ServiceContext, key: string) => Promise<T>) => {
  const cache = new WeakMap<ServiceContext, Map<string, Promise<T>>>();
  return (context: ServiceContext, key: string): Promise<T> => {
    const reads = cache.get(context) ?? new Map<string, Promise<T>>();
    cache.set(context, reads);
    const found = reads.get(key) ?? read(context, key);
    reads.set(key, found);
    return found;
  };
};

export const syncViews = (services: SyncServices): ItemView => {
  const conversationOf = perRequest(services.messaging.getConversation);
  const membersOf = perRequest((_context, conversationId) => services.messaging.listMembers(conversationId));
  const readers: Record<SyncEntityType, (context: ServiceContext, change: LoggedChange) => Promise<unknown>> =
    {
      StaffProfile: (context, { id }) => services.staff.get(context, id),
      Credential: (context, { id }) => services.credentials.get(context, id),
      Contract: (context, { id }) => services.contracts.get(context, id),
      Appointment: (context, { id }) => services.appointments.get(context, id),
      Conversation: (context, { id }) => conversationOf(context, id),
      // The conversation's own check first: a message is visible to whom its conversation is.
      Message: async (context, { id, conversationId = '' }) => {
        await conversationOf(context, conversationId);
        const [message, members] = await Promise.all([
          services.messaging.findMessage(conversationId, id),
          membersOf(context, conversationId),
        ]);
        if (!message) throw new NotFound('No such message');
        return toMessage(message, members);
      },
    };
  return (context, change) => readers[change.entityType](context, change);
};

const EMPTY: Page<SnapshotItem> = { items: [] };

/** The caller's own profile, or every profile when their role lists them. */
const profiles =
  (staff: SyncServices['staff']): List =>
  async (context, page) => {
    if (decide(context.actor, 'list', { type: 'StaffProfile' }) === 'allow')
      return staff.list(context, {}, page);
    if (page.position) return EMPTY;
    const staffId = await staff.profileIdOfUser(context.actor.userId);
    return staffId ? { items: [(await staff.get(context, staffId)) as SnapshotItem] } : EMPTY;
  };

/**
 * Credentials of one status for roles that read every credential (the work queue's lists); the
 * caller's own for the rest, once, with the first status.
 */
const credentialsIn =
  (services: SyncServices, status: CredentialStatus): List =>
  async (context, page) => {
    if (decide(context.actor, 'list', { type: 'Credential' }) === 'allow') {
      return services.credentials.queue(context, { status }, page);
    }
    if (status !== CREDENTIAL_STATUSES[0]) return EMPTY;
    const staffId = await services.staff.profileIdOfUser(context.actor.userId);
    return staffId ? services.credentials.listOfStaff(context, staffId, undefined, page) : EMPTY;
  };

interface MessagesPosition {
  /** Where the list of the caller's conversations goes on (absent: it has no more). */
  conversations?: ListPosition;
  /** The conversation being read, and where in it. */
  current?: string;
  inner?: ListPosition;
}

/** Every message of every conversation of the caller's, one conversation after another. */
const messagesOfConversations =
  (messaging: SyncServices['messaging']): List =>
  async (context, page) => {
    const at = page.position as MessagesPosition | undefined;
    let { conversations, current, inner } = at ?? {};
    if (current === undefined) {
      const next = await messaging.listConversations(context, {
        limit: 1,
        ...(conversations ? { position: conversations } : {}),
      });
      current = next.items[0]?.id;
      conversations = next.next;
      inner = undefined;
      if (current === undefined) return EMPTY;
    }
    const messages = await messaging.listMessages(context, current, {
      limit: page.limit,
      ...(inner ? { position: inner } : {}),
    });
    const following: MessagesPosition | undefined = messages.next
      ? { ...(conversations ? { conversations } : {}), current, inner: messages.next }
      : conversations
        ? { conversations }
        : undefined;
    return { items: messages.items, ...(following ? { next: following as ListPosition } : {}) };
  };

export const snapshotSources = (services: SyncServices): SnapshotSource[] => [
  { entityType: 'StaffProfile', list: profiles(services.staff) },
  ...CREDENTIAL_STATUSES.map(
    (status): SnapshotSource => ({
      entityType: 'Credential',
      list: credentialsIn(services, status),
    }),
  ),
  { entityType: 'Contract', list: services.contracts.list },
  { entityType: 'Appointment', list: services.appointments.list },
  { entityType: 'Conversation', list: services.messaging.listConversations },
  { entityType: 'Message', list: messagesOfConversations(services.messaging) },
];
