/**
 * The snapshot's lists for GET /sync, through the capability services the REST routes use
 * (their policy checks and views); a page of changes is read in shared/domain/sync/page-reads.ts.
 */
import type { ServiceContext } from '../context.ts';
import { CREDENTIAL_STATUSES, type CredentialStatus } from '../credentials/state-machine.ts';
import type { ListPosition, Page, PageRequest } from '../page.ts';
import { decide } from '../policy.ts';
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
  contracts: { list: List };
  appointments: { list: List };
  messaging: {
    listConversations: List;
    listMessages(
      context: ServiceContext,
      conversationId: string,
      page: PageRequest,
    ): Promise<Page<SnapshotItem>>;
  };
}

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
