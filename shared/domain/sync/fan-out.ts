/**
 * Which feeds a Main table change is logged in, from the item's images alone: the change
 * (type, id, upsert or delete, version, time) and its audience. Who may see it is the policy's
 * answer (shared/domain/policy.ts), never a second rule set: the owner, a conversation's
 * participants, and each role whose holders may read the item whoever owns it (a role feed).
 * Reading re-checks every entry against the caller as they are then (shared/domain/sync/service.ts).
 */

import { type Actor, decide, type Resource } from '../policy.ts';
import type { Image, ItemChange } from '../realtime/frames.ts';
import { ROLES, type Role } from '../roles.ts';
import type { Feed, LoggedChange } from './ports.ts';

export interface ChangeAudience {
  change: LoggedChange;
  /** Users named by the item (its owner, a member). */
  users: readonly string[];
  /** Every participant of this conversation (resolved by the writer). */
  conversationId?: string;
  /** Roles whose holders may read the item whoever they are. */
  roles: readonly Role[];
}

const text = (image: Image, name: string): string | undefined => {
  const value = image[name];
  return typeof value === 'string' ? value : undefined;
};

const versionOf = (image: Image): number => (typeof image.version === 'number' ? image.version : 1);

// An actor who owns nothing and takes part in nothing: allowed only where the role sees all.
// (No Cognito sub is empty, so no owner or participant matches it.)
const nobodyWith = (role: Role): Actor => ({ userId: '', roles: [role] });

/** The roles whose every holder may read this resource (the policy's `read`). */
export const rolesSeeing = (resource: Resource): Role[] =>
  'ownerUserId' in resource && !resource.ownerUserId
    ? []
    : ROLES.filter((role) => decide(nobodyWith(role), 'read', resource as never) === 'allow');

type OwnedType = 'StaffProfile' | 'Credential' | 'Contract' | 'Appointment';

/** An owned item: its owner's feed, and the feeds of the roles that read every such item. */
const owned =
  (entityType: OwnedType, ownerField: string) =>
  (image: Image, op: LoggedChange['op']): ChangeAudience | undefined => {
    const id = text(image, 'id');
    const owner = text(image, ownerField);
    const at = text(image, 'updatedAt') ?? text(image, 'createdAt');
    if (!id || !owner || !at) return undefined;
    return {
      change: { entityType, id, op, version: versionOf(image), at },
      users: [owner],
      roles: rolesSeeing({ type: entityType, ownerUserId: owner } as Resource),
    };
  };

type Logger = (
  image: Image,
  op: LoggedChange['op'],
  eventName: ItemChange['eventName'],
) => ChangeAudience | undefined;

/** By item kind; the notify consumer's stream filter includes exactly these (SYNC_KINDS). */
const LOGGERS: Readonly<Record<string, Logger>> = {
  StaffProfile: owned('StaffProfile', 'userId'),
  Credential: owned('Credential', 'ownerUserId'),
  Contract: owned('Contract', 'ownerUserId'),
  Appointment: owned('Appointment', 'ownerUserId'),
  // A conversation as a member sees it (their unread count, their receipt): the member's feed only.
  ConversationMember: (image, op) => {
    const conversationId = text(image, 'conversationId');
    const userId = text(image, 'userId');
    const at = text(image, 'updatedAt') ?? text(image, 'createdAt');
    if (!conversationId || !userId || !at) return undefined;
    const change: LoggedChange = {
      entityType: 'Conversation',
      id: conversationId,
      op,
      version: versionOf(image),
      at,
    };
    return { change, users: [userId], roles: rolesSeeing({ type: 'Conversation', participantIds: [] }) };
  },
  // Messages are immutable: logged once, when sent, for every participant.
  Message: (image, op, eventName) => {
    const id = text(image, 'id');
    const conversationId = text(image, 'conversationId');
    const at = text(image, 'sentAt');
    if (eventName !== 'INSERT' || !id || !conversationId || !at) return undefined;
    return {
      change: { entityType: 'Message', id, op, version: 1, at, conversationId },
      users: [],
      conversationId,
      roles: rolesSeeing({ type: 'Conversation', participantIds: [] }),
    };
  },
};

/** The item kinds whose changes are logged: joined to the notify consumer's stream filter. */
export const SYNC_KINDS: readonly string[] = Object.keys(LOGGERS);

/** The change an item change logs and who sees it; undefined when it logs nothing. */
export const changeAudienceOf = (change: ItemChange): ChangeAudience | undefined => {
  const image = change.newImage ?? change.oldImage;
  const kind = image?.kind;
  const logger = typeof kind === 'string' ? LOGGERS[kind] : undefined;
  if (!image || !logger) return undefined;
  const deleted = change.eventName === 'REMOVE' || change.newImage?.deletedAt !== undefined;
  return logger(image, deleted ? 'delete' : 'upsert', change.eventName);
};

/** The feeds an audience is logged in, participants resolved. */
export const feedsOf = (audience: ChangeAudience, participants: readonly string[]): Feed[] => [
  ...new Set([...audience.users, ...participants].map((userId): Feed => `USER#${userId}`)),
  ...audience.roles.map((role): Feed => `ROLE#${role}`),
];
