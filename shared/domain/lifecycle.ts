/**
 * What every entity with a lifecycle shares (contracts, appointments, credentials): the transition
 * table and the one lookup that reads it, who may see an item (or a list) at all, whether an edit
 * may go ahead, the stamp every change carries, and what a conditional write that lost a race
 * means to the caller. Each entity declares its `Lifecycle` once, beside its table
 * (`<capability>/state-machine.ts`); the services hold no copy of these mechanics.
 */
import { type LastActor, lastActorOf, type ServiceContext } from './context.ts';
import { Conflict, NotFound, PreconditionFailed } from './errors.ts';
import { type ActionOf, authorize, decide } from './policy.ts';
import { type Page, StaleWrite } from './repository.ts';
import type { StaffOwners } from './staff-owners.ts';

/** One row of a state machine: the states a transition may leave, and the state it enters. */
export interface Transition<S extends string> {
  from: readonly S[];
  to: S;
}

/** The policy resources that have a lifecycle: owned items, each with a status. */
export type LifecycleResource = 'Contract' | 'Appointment' | 'Credential';

export interface Lifecycle<R extends LifecycleResource, S extends string, T extends string> {
  /** The policy's resource type; its lower-case form names the item in messages. */
  resource: R;
  transitions: Readonly<Record<T, Transition<S>>>;
  /** The states whose fields may still be edited (PUT): an edit keeps the state. */
  editable?: readonly S[];
  /** The 409 message when the table refuses; by default "Cannot offer this contract: it is active". */
  refusal?: (transition: T, current: S) => string;
  /**
   * The 409 message when another request changed the item between the read and the write; by
   * default "The contract changed while this request ran: it is now active".
   */
  overtaken?: (action: string, current: S) => string;
}

const nameOf = (lifecycle: { resource: LifecycleResource }) => lifecycle.resource.toLowerCase();

/** Whether the table lets `transition` leave `current`. */
export const allows = <S extends string, T extends string>(
  lifecycle: Lifecycle<LifecycleResource, S, T>,
  transition: T,
  current: S,
): boolean => lifecycle.transitions[transition].from.includes(current);

/**
 * The row of `transition` when the table lets it leave `current`: its `from` states are the
 * condition of the write, its `to` the new status. Conflict (409, naming the current state) when
 * the table does not allow it.
 */
export const transitionFrom = <S extends string, T extends string>(
  lifecycle: Lifecycle<LifecycleResource, S, T>,
  transition: T,
  current: S,
): Transition<S> => {
  if (!allows(lifecycle, transition, current)) {
    const message =
      lifecycle.refusal?.(transition, current) ??
      `Cannot ${transition} this ${nameOf(lifecycle)}: it is ${current}`;
    throw new Conflict(message, current);
  }
  return lifecycle.transitions[transition];
};

/** The state `transition` leads to from `current`; Conflict as `transitionFrom`. */
export const nextState = <S extends string, T extends string>(
  lifecycle: Lifecycle<LifecycleResource, S, T>,
  transition: T,
  current: S,
): S => transitionFrom(lifecycle, transition, current).to;

/**
 * The item, if the caller may do `action` to it. An absent item and one the policy hides from
 * this caller are both NotFound (404), so a caller who must not learn it exists cannot tell them
 * apart; a caller who may know it exists but not do this gets Forbidden (403).
 */
export const visible = async <R extends LifecycleResource, Item extends { ownerUserId: string }>(
  lifecycle: { resource: R },
  context: ServiceContext,
  action: ActionOf<R>,
  found: Promise<Item | undefined>,
): Promise<Item> => {
  const item = await found;
  if (item === undefined) throw new NotFound(`No such ${nameOf(lifecycle)}`);
  authorize<LifecycleResource>(context.actor, action, {
    type: lifecycle.resource,
    ownerUserId: item.ownerUserId,
  });
  return item;
};

/**
 * Whose items a list shows, as the owner's Cognito sub: the named staff member's (NotFound when
 * there is no such profile), else everyone's (undefined) when the policy lets the caller list
 * them all, else the caller's own. Authorized like `visible`: a staff member naming another
 * staff member gets NotFound.
 */
export const listOwner = async (
  lifecycle: { resource: LifecycleResource },
  context: ServiceContext,
  staffId: string | undefined,
  staff: StaffOwners,
): Promise<string | undefined> => {
  const type = lifecycle.resource;
  let owner: string | undefined;
  if (staffId !== undefined) {
    owner = await staff.ownerUserIdOf(staffId);
    if (owner === undefined) throw new NotFound('No such staff member');
  } else if (decide<LifecycleResource>(context.actor, 'list', { type }) !== 'allow') {
    owner = context.actor.userId;
  }
  authorize<LifecycleResource>(context.actor, 'list', { type, ownerUserId: owner });
  return owner;
};

/**
 * A list as the caller may see it (scoped by `listOwner`): every item, or one owner's, each
 * shown through `view`.
 */
export const scopedList = async <Item, View>(
  lifecycle: { resource: LifecycleResource },
  context: ServiceContext,
  scope: { staffId: string | undefined; staff: StaffOwners },
  lists: { all: () => Promise<Page<Item>>; ofOwner: (ownerUserId: string) => Promise<Page<Item>> },
  view: (item: Item) => View,
): Promise<Page<View>> => {
  const owner = await listOwner(lifecycle, context, scope.staffId, scope.staff);
  const found = owner === undefined ? await lists.all() : await lists.ofOwner(owner);
  return { items: found.items.map(view), next: found.next };
};

/**
 * That an edit of `item` as read may go ahead: PreconditionFailed (412) when the caller's
 * If-Match names another version, Conflict (409, naming the state) when its state allows no edits.
 */
export const assertEditable = <S extends string, T extends string>(
  lifecycle: Lifecycle<LifecycleResource, S, T> & { editable: readonly S[] },
  item: { status: S; version: number },
  expectedVersion: number,
): void => {
  if (item.version !== expectedVersion) throw new PreconditionFailed();
  if (!lifecycle.editable.includes(item.status)) {
    const states = lifecycle.editable.join(' or ');
    throw new Conflict(
      `Only ${states} ${nameOf(lifecycle)}s can be edited: it is ${item.status}`,
      item.status,
    );
  }
};

/** What every change stamps besides its own fields: when, and who (the ledger reads it from the stream). */
export interface ChangeStamp {
  updatedAt: string;
  lastActor: LastActor;
}

export const changeStampOf = (context: ServiceContext, action: string): ChangeStamp => ({
  updatedAt: context.now.toISOString(),
  lastActor: lastActorOf(context, action),
});

/** The item as a change by `action` leaves it: one version more, stamped with the request. */
export const stamp = <Item extends ChangeStamp & { version: number }>(
  item: Item,
  context: ServiceContext,
  action: string,
): Item => ({ ...item, version: item.version + 1, ...changeStampOf(context, action) });

/**
 * For `.catch` on a conditional write: a StaleWrite becomes what it means to the caller, from the
 * item as it is now. Gone → NotFound (404); moved on from the version the caller named (If-Match)
 * → PreconditionFailed (412); otherwise Conflict (409) naming the state it is in now. Any other
 * error passes through unchanged.
 */
export const lostRace =
  <S extends string, T extends string>(
    lifecycle: Lifecycle<LifecycleResource, S, T>,
    write: { action: string; expectedVersion?: number },
  ) =>
  (error: unknown): never => {
    if (!(error instanceof StaleWrite)) throw error;
    const current = (error as StaleWrite<{ status: S; version?: number }>).current;
    if (current === undefined) throw new NotFound(`No such ${nameOf(lifecycle)}`);
    if (write.expectedVersion !== undefined && current.version !== write.expectedVersion) {
      throw new PreconditionFailed();
    }
    const message =
      lifecycle.overtaken?.(write.action, current.status) ??
      `The ${nameOf(lifecycle)} changed while this request ran: it is now ${current.status}`;
    throw new Conflict(message, current.status);
  };
