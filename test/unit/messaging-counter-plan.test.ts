import { describe, expect, it } from 'vitest';
import { type CounterState, MAX_TRACKED_UNREAD, planCounters } from '#domain/messaging/rules.ts';

const at = (second: number) => `2026-03-02T09:00:${String(second).padStart(2, '0')}.000Z`;
const id = (n: number) => `01JQ${String(n).padStart(22, '0')}`;
const from = (senderId: string, n: number) => ({ id: id(n), senderId, sentAt: at(n) });
const fresh: CounterState = { unreadIds: [], lastMessageAt: at(0) };

describe("planning one write for a batch's run of messages to a member", () => {
  it("counts the others' messages and moves the activity to the latest", () => {
    // Act
    const plan = planCounters(fresh, 'bob', [from('alice', 1), from('alice', 2), from('bob', 3)]);
    // Assess: bob's own message is not unread for him, but it is his latest activity.
    expect(plan).toEqual({ activityAt: at(3), countIds: [id(1), id(2)] });
  });

  it('leaves out what the member has read past and what is counted already', () => {
    // Prepare
    const state: CounterState = { unreadIds: [id(2)], readUpTo: id(1), lastMessageAt: at(2) };
    // Act
    const plan = planCounters(state, 'bob', [from('alice', 1), from('alice', 2), from('alice', 3)]);
    // Assess
    expect(plan).toEqual({ activityAt: at(3), countIds: [id(3)] });
  });

  it('fills the set to the cap with the oldest unread, and no further', () => {
    // Prepare: two places left.
    const state: CounterState = {
      unreadIds: Array.from({ length: MAX_TRACKED_UNREAD - 2 }, (_, n) => id(100 + n)),
      lastMessageAt: at(0),
    };
    // Act: out of stream order on purpose.
    const plan = planCounters(state, 'bob', [from('alice', 7), from('alice', 5), from('alice', 6)]);
    // Assess
    expect(plan.countIds).toEqual([id(5), id(6)]);
    expect(plan.activityAt).toBe(at(7));
  });

  it('counts nothing into a full set, or one over the cap from before it was lowered', () => {
    // Prepare
    const over: CounterState = {
      unreadIds: Array.from({ length: MAX_TRACKED_UNREAD + 5 }, (_, n) => id(100 + n)),
      lastMessageAt: at(0),
    };
    // Act
    const plan = planCounters(over, 'bob', [from('alice', 1)]);
    // Assess
    expect(plan).toEqual({ activityAt: at(1), countIds: [] });
  });

  it('never moves the activity back, and plans nothing when there is nothing to change', () => {
    // Prepare
    const state: CounterState = { unreadIds: [id(1)], lastMessageAt: at(9) };
    // Act
    const plan = planCounters(state, 'bob', [from('alice', 1)]);
    // Assess
    expect(plan).toEqual({ countIds: [] });
  });

  it('counts a message repeated in the run (a retried record) once', () => {
    // Act
    const plan = planCounters(fresh, 'bob', [from('alice', 1), from('alice', 1)]);
    // Assess
    expect(plan.countIds).toEqual([id(1)]);
  });
});
