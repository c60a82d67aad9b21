/**
 * A sync page's reads, batched: the page's items are read together (BatchGetItem per kind, one
 * Query per conversation for its messages) and each is handed to its REST service's own view
 * (`show`: the same policy check, view and audited read as the REST `get`), so `data` is what
 * REST shows and a page costs a few calls instead of one per item.
 */
import type { AppointmentRecord } from '../appointments/ports.ts';
import type { ServiceContext } from '../context.ts';
import type { ContractRecord } from '../contracts/ports.ts';
import type { StoredCredential } from '../credentials/ports.ts';
import { Forbidden, NotFound } from '../errors.ts';
import type { MembershipRecord, MessageRecord } from '../messaging/ports.ts';
import { memberMay, toConversation, toMessage } from '../messaging/rules.ts';
import { decide } from '../policy.ts';
import type { StoredStaffProfile } from '../staff/ports.ts';
import {
  type ItemViews,
  itemKey,
  type LoggedChange,
  type OwnedEntityType,
  type ReadableItems,
} from './ports.ts';

/** Batch reads of the kinds a client keeps (shared/data/sync-reads.ts). */
export interface SyncRecords {
  profiles(ids: readonly string[]): Promise<StoredStaffProfile[]>;
  credentials(ids: readonly string[]): Promise<StoredCredential[]>;
  contracts(ids: readonly string[]): Promise<ContractRecord[]>;
  appointments(ids: readonly string[]): Promise<AppointmentRecord[]>;
  /** The user's memberships of these conversations (absent where they take no part). */
  memberships(userId: string, conversationIds: readonly string[]): Promise<MembershipRecord[]>;
  /** These messages of one conversation (absent ones left out). */
  messages(conversationId: string, messageIds: readonly string[]): Promise<MessageRecord[]>;
  members(conversationId: string): Promise<MembershipRecord[]>;
}

type Show<R> = (context: ServiceContext, record: R) => Promise<unknown>;

/** The REST services' views of a record already read (`get` without its read). */
export interface SyncShows {
  StaffProfile: Show<StoredStaffProfile>;
  Credential: Show<StoredCredential>;
  Contract: Show<ContractRecord>;
  Appointment: Show<AppointmentRecord>;
}

interface OwnedKind<R> {
  read(ids: readonly string[]): Promise<R[]>;
  owner(record: R): string;
  show: Show<R>;
}

/** One table of the kinds, whatever each record's type: each entry reads and shows its own. */
const erased = <R extends { id: string }>(kind: OwnedKind<R>) => kind as unknown as OwnedKind<{ id: string }>;

const ownedKinds = (
  records: SyncRecords,
  shows: SyncShows,
): Record<OwnedEntityType, OwnedKind<{ id: string }>> => ({
  StaffProfile: erased({
    read: records.profiles,
    owner: (profile) => profile.userId,
    show: shows.StaffProfile,
  }),
  Credential: erased({
    read: records.credentials,
    owner: (record) => record.ownerUserId,
    show: shows.Credential,
  }),
  Contract: erased({ read: records.contracts, owner: (record) => record.ownerUserId, show: shows.Contract }),
  Appointment: erased({
    read: records.appointments,
    owner: (record) => record.ownerUserId,
    show: shows.Appointment,
  }),
});

/** The view, or undefined when the service hides it from the caller (404/403 in REST). */
const shownOrHidden = async (show: () => unknown): Promise<unknown> => {
  try {
    return await show();
  } catch (error) {
    if (error instanceof NotFound || error instanceof Forbidden) return undefined;
    throw error;
  }
};

const unique = (values: readonly string[]) => [...new Set(values)];

const idsOf = (changes: readonly LoggedChange[], type: LoggedChange['entityType']) =>
  unique(changes.filter((change) => change.entityType === type).map((change) => change.id));

export const pageReads = (records: SyncRecords, shows: SyncShows) => {
  const kinds = ownedKinds(records, shows);

  const ownedViews = async (context: ServiceContext, type: OwnedEntityType, ids: readonly string[]) => {
    if (ids.length === 0) return [];
    const found = await kinds[type].read(ids);
    return Promise.all(
      found.map(
        async (record) =>
          [
            itemKey({ entityType: type, id: record.id }),
            await shownOrHidden(() => kinds[type].show(context, record)),
          ] as const,
      ),
    );
  };

  /** Conversations as the caller's membership shows them, and each conversation's messages. */
  const conversationViews = async (context: ServiceContext, changes: readonly LoggedChange[]) => {
    const messages = changes.filter((change) => change.entityType === 'Message');
    const conversationIds = unique([
      ...idsOf(changes, 'Conversation'),
      ...messages.map((change) => change.conversationId ?? ''),
    ]);
    if (conversationIds.length === 0) return [];
    const memberships = await records.memberships(context.actor.userId, conversationIds);
    const conversations = new Map(
      conversationIds.map((id) => {
        const member = memberships.find((candidate) => candidate.conversationId === id);
        return [id, shownOrHidden(() => toConversation(memberMay(context, 'read', member)))] as const;
      }),
    );
    const shown: (readonly [string, unknown])[] = [];
    for (const id of idsOf(changes, 'Conversation')) {
      shown.push([itemKey({ entityType: 'Conversation', id }), await conversations.get(id)]);
    }
    // A message is visible to whom its conversation is: read only in conversations the caller sees.
    const byConversation = Map.groupBy(messages, (change) => change.conversationId ?? '');
    const read = await Promise.all(
      [...byConversation].map(async ([conversationId, inIt]) => {
        if ((await conversations.get(conversationId)) === undefined) return [];
        const [found, members] = await Promise.all([
          records.messages(conversationId, unique(inIt.map((change) => change.id))),
          records.members(conversationId),
        ]);
        return found.map(
          (message) =>
            [itemKey({ entityType: 'Message', id: message.id }), toMessage(message, members)] as const,
        );
      }),
    );
    return [...shown, ...read.flat()];
  };

  const views: ItemViews = async (context, changes) => {
    const owned = (['StaffProfile', 'Credential', 'Contract', 'Appointment'] as const).map((type) =>
      ownedViews(context, type, idsOf(changes, type)),
    );
    const all = (await Promise.all([...owned, conversationViews(context, changes)])).flat();
    return new Map(all.filter(([, data]) => data !== undefined));
  };

  const readable: ReadableItems = async (context, type, ids) => {
    if (ids.length === 0) return new Set();
    const found = await kinds[type].read(ids);
    return new Set(
      found
        .filter(
          (record) =>
            decide(context.actor, 'read', { type, ownerUserId: kinds[type].owner(record) } as never) ===
            'allow',
        )
        .map((record) => record.id),
    );
  };

  return { views, readable };
};
