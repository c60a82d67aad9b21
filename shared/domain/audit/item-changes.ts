/**
 * Which item changes become ledger entries, in which chain, and what each entry says. Pure:
 * the stream consumer hands over plain images, this decides.
 *
 * - Entity items are entries of their own chain; `lastActor.action` is the entry's action.
 * - A membership item is a `Conversation` entry only when its change is a mark-read.
 * - Access events name their chain (`User`, `Credential`, `StaffProfile`) themselves.
 * - Counter updates (`lastActor.action: "counters"`) are bookkeeping, never entries.
 */
import { SYSTEM_ACTOR, SYSTEM_ROLES } from '../context.ts';
import { diffImages, type Image } from './changes.ts';
import type { AuditActor, UnhashedEntry } from './entry.ts';

export interface ChainId {
  entityType: string;
  entityId: string;
}

interface AuditedKind {
  chainOf: (image: Image) => ChainId | undefined;
  /** When set, only changes with these actions are entries. */
  actions?: readonly string[];
  /**
   * Items written once (a conditional create) and never changed or deleted, alone in their own
   * chain: the chain's one entry is the item's creation, and the archive never expires a chain's
   * newest entry, so seq 1 is free exactly when the chain is empty.
   */
  createdOnce?: true;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

const chainFrom = (entityType: string | undefined, entityId: string | undefined): ChainId | undefined =>
  entityType && entityId ? { entityType, entityId } : undefined;

const entity = (entityType: string): AuditedKind => ({
  chainOf: (image) => chainFrom(entityType, text(image.id)),
});

export const ACCESS_EVENT_KIND = 'AccessEvent';

/** Item kind → its chain. Also the audit consumer's stream filter (shared/functions.ts). */
export const AUDITED_KINDS: Readonly<Record<string, AuditedKind>> = {
  StaffProfile: entity('StaffProfile'),
  Credential: entity('Credential'),
  Contract: entity('Contract'),
  Appointment: entity('Appointment'),
  Conversation: entity('Conversation'),
  // Messages are immutable (shared/data/messaging.ts has no update or delete of them).
  Message: { ...entity('Message'), createdOnce: true },
  Verification: entity('Verification'),
  LeieImport: entity('LeieImport'),
  MonitoringRun: entity('MonitoringRun'),
  CredentialingFlag: entity('CredentialingFlag'),
  ConversationMember: {
    chainOf: (image) => chainFrom('Conversation', text(image.conversationId)),
    actions: ['read'],
  },
  // An attachment's upload is an entry of its conversation's chain (its name is PHI: redacted).
  Attachment: { chainOf: (image) => chainFrom('Conversation', text(image.conversationId)) },
  [ACCESS_EVENT_KIND]: { chainOf: (image) => chainFrom(text(image.entityType), text(image.entityId)) },
  // An endpoint's changes by admins (and its disabling by the service); its secrets are PHI-listed
  // (redacted). The delivery function's failure bookkeeping on it is not an entry.
  WebhookEndpoint: {
    ...entity('WebhookEndpoint'),
    actions: ['create', 'update', 'disable', 'delete', 'rotateSecret'],
  },
  // A delivery's attempts are bookkeeping; an admin's replay is the entry.
  WebhookDelivery: { ...entity('WebhookDelivery'), actions: ['replay'] },
};

/** Every `entityType` a chain can have (API.md "Audit"). */
export const AUDIT_ENTITY_TYPES: readonly string[] = [
  'StaffProfile',
  'Credential',
  'Contract',
  'Appointment',
  'Conversation',
  'Message',
  'User',
  'Verification',
  'LeieImport',
  'MonitoringRun',
  'CredentialingFlag',
  'WebhookEndpoint',
  'WebhookDelivery',
];

/** Actions of writes that are bookkeeping of a change already in the ledger (the notify counters). */
export const UNAUDITED_ACTIONS: readonly string[] = ['counters'];

/** One change of a Main item, as its stream record tells it (images already plain). */
export interface ItemChange {
  eventId: string;
  eventName: 'INSERT' | 'MODIFY';
  /** The Main item's key, `pk|sk`. */
  sourceKey: string;
  oldImage?: Image;
  newImage: Image;
  /** When the stream saw the change (ISO), for items that carry no time of their own. */
  observedAt: string;
}

/** An entry before the chain places it: no seq, prevHash or positions yet. */
export interface EntryDraft {
  chain: ChainId;
  fields: Omit<UnhashedEntry, 'seq' | 'prevHash' | 'positions'>;
  /** The source item's version after the change; absent for items that carry none. */
  position?: number;
  /** The creation of a `createdOnce` item: its chain is empty unless this is a replay. */
  opensChain?: true;
}

export const chainKeyOf = (chain: ChainId): string => `${chain.entityType}#${chain.entityId}`;

/** The chain an item feeds, or undefined when its kind is not audited. */
export const chainOfItem = (image: Image): ChainId | undefined => {
  const kind = text(image.kind);
  return kind ? AUDITED_KINDS[kind]?.chainOf(image) : undefined;
};

interface Attribution {
  actor: AuditActor;
  requestId: string;
  action?: string;
}

const attributionOf = (image: Image, eventId: string): Attribution => {
  const lastActor = image.lastActor as Record<string, unknown> | undefined;
  const userId = text(lastActor?.userId);
  const roles = Array.isArray(lastActor?.roles)
    ? lastActor.roles.filter((role) => typeof role === 'string')
    : [];
  return {
    // An item written without attribution is the system's doing, and the entry says so.
    actor: userId ? { userId, roles } : { userId: SYSTEM_ACTOR.userId, roles: [...SYSTEM_ROLES] },
    requestId: text(lastActor?.requestId) ?? `stream:${eventId}`,
    action: text(lastActor?.action),
  };
};

/** A summary is a line, not a document: longer ones are cut (the changes say the rest). */
export const SUMMARY_MAX_CHARS = 1024;
const capped = (summary: string): string =>
  summary.length > SUMMARY_MAX_CHARS ? `${summary.slice(0, SUMMARY_MAX_CHARS - 1)}…` : summary;

const summaryOf = (chain: ChainId, action: string, changedFields: readonly string[]): string => {
  const what = `${action} ${chain.entityType} ${chain.entityId}`;
  return capped(changedFields.length > 0 ? `${what}: ${changedFields.join(', ')}` : what);
};

/** The entry a change makes, or undefined when the change is not one the ledger records. */
export const draftOf = (change: ItemChange): EntryDraft | undefined => {
  const kind = text(change.newImage.kind);
  const audited = kind ? AUDITED_KINDS[kind] : undefined;
  const chain = audited?.chainOf(change.newImage);
  if (!audited || !chain) return undefined;
  const { actor, requestId, action: stamped } = attributionOf(change.newImage, change.eventId);
  const action = stamped ?? (change.eventName === 'INSERT' ? 'create' : 'update');
  if (UNAUDITED_ACTIONS.includes(action)) return undefined;
  if (audited.actions && !audited.actions.includes(action)) return undefined;
  const isAccessEvent = kind === ACCESS_EVENT_KIND;
  const changes = isAccessEvent ? {} : diffImages(change.oldImage, change.newImage);
  const at = text(isAccessEvent ? change.newImage.at : change.newImage.updatedAt) ?? change.observedAt;
  const summary = isAccessEvent
    ? capped(text(change.newImage.summary) ?? summaryOf(chain, action, []))
    : summaryOf(chain, action, Object.keys(changes));
  const version = change.newImage.version;
  return {
    chain,
    fields: {
      ...chain,
      action,
      actor,
      requestId,
      at,
      summary,
      changes,
      eventId: change.eventId,
      sourceKey: change.sourceKey,
    },
    ...(typeof version === 'number' && Number.isInteger(version) ? { position: version } : {}),
    ...(audited.createdOnce && change.eventName === 'INSERT' && version === 1 ? { opensChain: true } : {}),
  };
};
