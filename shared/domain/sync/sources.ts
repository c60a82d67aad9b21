/**
 * What GET /sync shows of each kind of item, through the capability services the REST routes
 * use (their policy checks, views and audited reads: a date of birth only to whom REST shows
 * it, and such a read recorded as REST records it): one read per logged change, and the
 * snapshot's lists.
 */
import type { ServiceContext } from '../context.ts';
import { NotFound } from '../errors.ts';
import type { MembershipRecord, MessageRecord } from '../messaging/ports.ts';
import { toMessage } from '../messaging/rules.ts';
import type { Page, PageRequest } from '../page.ts';
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
  };
  contracts: { get: Read; list: List };
  appointments: { get: Read; list: List };
  messaging: {
    getConversation: Read;
    listConversations: List;
    findMessage(conversationId: string, messageId: string): Promise<MessageRecord | undefined>;
    listMembers(conversationId: string): Promise<MembershipRecord[]>;
  };
}

export const syncViews = (services: SyncServices): ItemView => {
  const readers: Record<SyncEntityType, (context: ServiceContext, change: LoggedChange) => Promise<unknown>> =
    {
      StaffProfile: (context, { id }) => services.staff.get(context, id),
      Credential: (context, { id }) => services.credentials.get(context, id),
      Contract: (context, { id }) => services.contracts.get(context, id),
      Appointment: (context, { id }) => services.appointments.get(context, id),
      Conversation: (context, { id }) => services.messaging.getConversation(context, id),
      // The conversation's own check first: a message is visible to whom its conversation is.
      Message: async (context, { id, conversationId = '' }) => {
        await services.messaging.getConversation(context, conversationId);
        const [message, members] = await Promise.all([
          services.messaging.findMessage(conversationId, id),
          services.messaging.listMembers(conversationId),
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

/** The caller's own credentials (an agency's every credential is not one list yet). */
const ownCredentials =
  (services: SyncServices): List =>
  async (context, page) => {
    const staffId = await services.staff.profileIdOfUser(context.actor.userId);
    return staffId ? services.credentials.listOfStaff(context, staffId, undefined, page) : EMPTY;
  };

export const snapshotSources = (services: SyncServices): SnapshotSource[] => [
  { entityType: 'StaffProfile', list: profiles(services.staff) },
  { entityType: 'Credential', list: ownCredentials(services) },
  { entityType: 'Contract', list: services.contracts.list },
  { entityType: 'Appointment', list: services.appointments.list },
  { entityType: 'Conversation', list: services.messaging.listConversations },
];
