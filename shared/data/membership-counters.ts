/**
 * Membership counters, written by the notify consumer after each message and receipt, off the
 * send path. Every write is safe to repeat and to apply out of order (stream delivery is at
 * least once): unread ids are a set, activity only moves forward. Their `lastActor.action` is
 * `counters`, so the audit ledger leaves them out.
 */
import type { LastActor } from '#domain/context.ts';
import type { MembershipRecord } from '#domain/messaging/ports.ts';
import { type CounterState, MAX_TRACKED_UNREAD, planCounters } from '#domain/messaging/rules.ts';
import { StaleWrite } from '#domain/repository.ts';
import { type Clause, is } from './conditions.ts';
import { membershipEntity } from './entities/messaging.ts';
import { applied } from './entity-writes.ts';
import type { UpdateSpec } from './update-expression.ts';

type Member = { conversationId: string; userId: string };
type CountedMessage = { id: string; senderId: string; sentAt: string };

const unreadRoom = is.any(is.absent('unreadIds'), is.sizeBelow('unreadIds', MAX_TRACKED_UNREAD));
const notYetRead = (messageId: string) => is.any(is.absent('readUpTo'), is.below('readUpTo', messageId));
const activityMovesForward = (at: string) =>
  is.any(is.absent('lastMessageAt'), is.below('lastMessageAt', at));

/** The activity attributes: the time and the list position it gives the member. */
const activity = (member: Member, at: string) => ({
  lastMessageAt: at,
  gsi1sk: membershipEntity.indexKey('byUser', { ...member, lastMessageAt: at }).gsi1sk,
});

/** One conditional update; false when its condition says there is nothing to change. */
const update = (member: Member, change: UpdateSpec, when: Parameters<typeof membershipEntity.update>[2]) =>
  applied(membershipEntity.updateOnly(member, change, when));

/** Moves the member's latest activity (and so their list order) forward to the message's time. */
export const recordActivity = (member: Member, sentAt: string, actor: LastActor): Promise<boolean> =>
  update(member, { set: { ...activity(member, sentAt), lastActor: actor } }, [
    is.present(),
    activityMovesForward(sentAt),
  ]);

/**
 * Counts a message for a recipient who has not read past it: activity and unread in one write when
 * possible. When that write is refused, the item it was refused on (returned with the refusal, no
 * read) tells which half can still apply; a half whose condition that item already fails is not
 * sent — under a full unread set, the usual case of a recipient who does not read, that is one
 * write per message instead of three.
 */
export const countMessageFor = async (
  member: Member,
  message: { id: string; sentAt: string },
  actor: LastActor,
): Promise<void> => {
  const unread = { addToSet: { unreadIds: new Set([message.id]) } };
  const refusal = await membershipEntity
    .updateOnly(member, { set: { ...activity(member, message.sentAt), lastActor: actor }, ...unread }, [
      is.present(),
      activityMovesForward(message.sentAt),
      notYetRead(message.id),
      unreadRoom,
    ])
    .then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof StaleWrite) return error as StaleWrite<MembershipRecord>;
        throw error;
      },
    );
  if (refusal === undefined) return;
  // No item: neither half would apply (both require it).
  const current = refusal.current;
  if (current === undefined) return;
  // Out of order, already read, or full: each half on its own, if the item left it a chance.
  const lastMessageAt: string | undefined = current.lastMessageAt;
  if (lastMessageAt === undefined || lastMessageAt < message.sentAt)
    await recordActivity(member, message.sentAt, actor);
  const mayCount =
    (current.readUpTo === undefined || current.readUpTo < message.id) &&
    current.unreadIds.length < MAX_TRACKED_UNREAD &&
    !current.unreadIds.includes(message.id);
  if (!mayCount) return;
  await update(member, { set: { lastActor: actor }, ...unread }, [
    is.present(),
    notYetRead(message.id),
    unreadRoom,
    is.not(is.holding('unreadIds', message.id)),
  ]);
};

/** Drops the unread ids a receipt now covers. */
export const dropCoveredUnread = async (
  member: Member,
  coveredIds: readonly string[],
  actor: LastActor,
): Promise<void> => {
  if (coveredIds.length === 0) return;
  await update(member, { set: { lastActor: actor }, deleteFromSet: { unreadIds: new Set(coveredIds) } }, [
    is.present(),
  ]);
};

/** The state a plan was made on, as conditions: the write applies only if it still holds. */
const unchangedSince = (state: CounterState) => [
  state.unreadIds.length === 0 ? is.absent('unreadIds') : is.sizeIs('unreadIds', state.unreadIds.length),
  state.readUpTo === undefined ? is.absent('readUpTo') : is.equal('readUpTo', state.readUpTo),
];

/** Attempts of the one-write plan before falling back to a write per message. */
const PLAN_ATTEMPTS = 3;

/**
 * Counts a run of messages (a stream batch's, in one conversation, in order) for one member: one
 * write for the whole run, planned on `known` — the membership as last read (a strongly consistent
 * read at the start of the batch, or the item a refusal returned) — and applied only while the
 * state it was planned on holds. A refusal brings the current item and the plan is made again;
 * after a few, each message is counted on its own (countMessageFor). A member who does not read
 * costs one write per batch rather than two per message. Returns the state the write left.
 */
export const countMessagesFor = async (
  member: Member,
  messages: readonly CountedMessage[],
  actor: LastActor,
  known: CounterState,
): Promise<CounterState> => {
  let state: CounterState | undefined = known;
  for (let attempt = 0; attempt < PLAN_ATTEMPTS && state !== undefined; attempt += 1) {
    const plan = planCounters(state, member.userId, messages);
    if (plan.activityAt === undefined && plan.countIds.length === 0) return state;
    const change: UpdateSpec = {
      set: { ...(plan.activityAt === undefined ? {} : activity(member, plan.activityAt)), lastActor: actor },
      ...(plan.countIds.length === 0 ? {} : { addToSet: { unreadIds: new Set(plan.countIds) } }),
    };
    const conditions: Clause[] = [
      is.present(),
      ...unchangedSince(state),
      ...(plan.activityAt === undefined ? [] : [activityMovesForward(plan.activityAt)]),
    ];
    const refusal: StaleWrite<MembershipRecord> | undefined = await membershipEntity
      .updateOnly(member, change, conditions)
      .then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof StaleWrite) return error as StaleWrite<MembershipRecord>;
          throw error;
        },
      );
    if (refusal === undefined)
      return {
        ...state,
        unreadIds: [...state.unreadIds, ...plan.countIds],
        ...(plan.activityAt === undefined ? {} : { lastMessageAt: plan.activityAt }),
      };
    state = refusal.current;
  }
  // No item: nothing to count. Otherwise the state kept moving under the plan: one at a time.
  if (state === undefined) return known;
  for (const message of messages)
    if (message.senderId === member.userId) await recordActivity(member, message.sentAt, actor);
    else await countMessageFor(member, message, actor);
  return (await membershipEntity.get(member, { consistent: true })) ?? known;
};
