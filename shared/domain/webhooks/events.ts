/**
 * Which webhook events a Main table change makes, from the item images alone (the notify
 * consumer's view). A status reached by a change makes its event once: a later edit that
 * leaves the status alone makes none. Payloads are built field by field from ids, states and
 * dates, so nothing else of an item (terms, notes, numbers) can reach a receiver.
 */
import type { ItemChange } from '../realtime/frames.ts';
import type { WebhookEventType, WebhookPayload } from '../schemas/webhooks.ts';

type Image = Record<string, unknown>;

export interface WebhookEvent {
  type: WebhookEventType;
  payload: WebhookPayload;
}

const text = (image: Image | undefined, name: string): string | undefined => {
  const value = image?.[name];
  return typeof value === 'string' ? value : undefined;
};

const number = (image: Image | undefined, name: string): number | null => {
  const value = image?.[name];
  return typeof value === 'number' ? value : null;
};

const optional = (name: string, value: string | undefined) => (value === undefined ? {} : { [name]: value });

const CONTRACT_EVENTS: Readonly<Record<string, WebhookEventType>> = {
  offered: 'contract.offered',
  acknowledged: 'contract.acknowledged',
  active: 'contract.activated',
  completed: 'contract.completed',
  terminated: 'contract.terminated',
};

const CREDENTIAL_EVENTS: Readonly<Record<string, WebhookEventType>> = {
  active: 'credential.verified',
  expired: 'credential.expired',
  revoked: 'credential.revoked',
};

const APPOINTMENT_EVENTS: Readonly<Record<string, WebhookEventType>> = {
  cancelled: 'appointment.cancelled',
};

/** The status the change arrived at, when it changed (a new item: its first status). */
const reachedStatus = (change: ItemChange): string | undefined => {
  const status = text(change.newImage, 'status');
  return status !== undefined && status !== text(change.oldImage, 'status') ? status : undefined;
};

const timestampOf = (change: ItemChange): string =>
  text(change.newImage, 'updatedAt') ?? text(change.newImage, 'createdAt') ?? new Date(0).toISOString();

const contractEvents = (change: ItemChange): WebhookEvent[] => {
  const image = change.newImage ?? {};
  const type = CONTRACT_EVENTS[reachedStatus(change) ?? ''];
  const contractId = text(image, 'id');
  const staffId = text(image, 'staffId');
  if (!type || !contractId || !staffId) return [];
  const data = {
    contractId,
    staffId,
    status: text(image, 'status') ?? '',
    previousStatus: text(change.oldImage, 'status') ?? null,
    currentVersion: number(image, 'currentVersion') ?? 1,
    ...optional('startDate', text(image, 'startDate')),
    ...optional('endDate', text(image, 'endDate')),
  };
  return [{ type, payload: { type, timestamp: timestampOf(change), data } }];
};

const credentialEvents = (change: ItemChange): WebhookEvent[] => {
  const image = change.newImage ?? {};
  const credentialId = text(image, 'id');
  const staffId = text(image, 'staffId');
  if (!credentialId || !staffId) return [];
  const warning = number(image, 'expiryWarning');
  const types: WebhookEventType[] = [];
  const byStatus = CREDENTIAL_EVENTS[reachedStatus(change) ?? ''];
  if (byStatus) types.push(byStatus);
  if (warning !== null && warning !== number(change.oldImage, 'expiryWarning'))
    types.push('credential.expiring');
  const data = {
    credentialId,
    staffId,
    type: text(image, 'type') ?? '',
    status: text(image, 'status') ?? '',
    previousStatus: text(change.oldImage, 'status') ?? null,
    ...optional('expiryDate', text(image, 'expiryDate')),
    expiryWarning: warning,
  };
  return types.map((type) => ({ type, payload: { type, timestamp: timestampOf(change), data } }));
};

const appointmentEvents = (change: ItemChange): WebhookEvent[] => {
  const image = change.newImage ?? {};
  const type: WebhookEventType | undefined =
    change.oldImage === undefined ? 'appointment.created' : APPOINTMENT_EVENTS[reachedStatus(change) ?? ''];
  const appointmentId = text(image, 'id');
  const staffId = text(image, 'staffId');
  const startAt = text(image, 'startAt');
  if (!type || !appointmentId || !staffId || !startAt) return [];
  const data = {
    appointmentId,
    staffId,
    ...optional('contractId', text(image, 'contractId')),
    status: text(image, 'status') ?? '',
    startAt,
    ...optional('endAt', text(image, 'endAt')),
  };
  return [{ type, payload: { type, timestamp: timestampOf(change), data } }];
};

/**
 * A monitoring flag, raised once (an INSERT, in the transaction that flags the profile; its
 * resolution is an update): the same change the `staff.flagged` frame comes from. The flag's
 * `staffName` stays out: ids, states and dates only.
 */
const flagEvents = (change: ItemChange): WebhookEvent[] => {
  const image = change.newImage ?? {};
  const flagId = text(image, 'id');
  const staffId = text(image, 'staffId');
  const result = text(image, 'result');
  const raisedAt = text(image, 'raisedAt');
  if (change.eventName !== 'INSERT' || !flagId || !staffId || !raisedAt) return [];
  if (result !== 'match' && result !== 'suspected') return [];
  const type = 'staff.flagged';
  const data = {
    flagId,
    staffId,
    source: text(image, 'source') ?? '',
    result,
    status: text(image, 'status') ?? 'open',
    raisedAt,
  } as const;
  return [{ type, payload: { type, timestamp: timestampOf(change), data } }];
};

const EVENT_MAPPERS: Readonly<Record<string, (change: ItemChange) => WebhookEvent[]>> = {
  Contract: contractEvents,
  Credential: credentialEvents,
  Appointment: appointmentEvents,
  CredentialingFlag: flagEvents,
};

/** The item kinds that can make a webhook event (all of them already feed the notify consumer). */
export const WEBHOOK_KINDS: readonly string[] = Object.keys(EVENT_MAPPERS);

/** The webhook events of one change; none for a removal or a kind that makes none. */
export const webhookEventsOf = (change: ItemChange): WebhookEvent[] => {
  if (change.eventName === 'REMOVE' || change.newImage?.deletedAt !== undefined) return [];
  const kind = change.newImage?.kind;
  const mapper = typeof kind === 'string' ? EVENT_MAPPERS[kind] : undefined;
  return mapper ? mapper(change) : [];
};
