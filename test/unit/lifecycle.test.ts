import { describe, expect, it } from 'vitest';
import { APPOINTMENT_LIFECYCLE } from '#domain/appointments/state-machine.ts';
import { CONTRACT_LIFECYCLE } from '#domain/contracts/state-machine.ts';
import { CREDENTIAL_LIFECYCLE } from '#domain/credentials/state-machine.ts';
import { Conflict, Forbidden, NotFound, PreconditionFailed } from '#domain/errors.ts';
import {
  assertEditable,
  listOwner,
  lostRace,
  nextState,
  stamp,
  transitionFrom,
  visible,
} from '#domain/lifecycle.ts';
import { StaleWrite } from '#domain/repository.ts';
import type { StaffOwners } from '#domain/staff-owners.ts';
import { contextOf } from './support/credential-fakes.ts';

const OWNER = 'owner-sub';
const owner = contextOf(OWNER, ['staff']);
const otherStaff = contextOf('other-sub', ['staff']);
const recruiter = contextOf('recruiter-sub', ['recruiter']);

/** What a promise settles to: its value, or the error it rejects with. */
const settled = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

describe('transitions', () => {
  it('refuses with 409 naming the current state, in the entity’s own words', () => {
    // Prepare
    const refusals = [
      () => nextState(CONTRACT_LIFECYCLE, 'activate', 'draft'),
      () => nextState(APPOINTMENT_LIFECYCLE, 'confirm', 'cancelled'),
      () => nextState(CREDENTIAL_LIFECYCLE, 'revoke', 'pending'),
    ];

    // Act
    const errors = refusals.map((refuse) => {
      try {
        return refuse();
      } catch (error) {
        return error;
      }
    });

    // Assess
    expect(errors.map((error) => error instanceof Conflict && [error.message, error.currentState])).toEqual([
      ['Cannot activate this contract: it is draft', 'draft'],
      ['Cannot confirm this appointment: it is cancelled', 'cancelled'],
      ['A pending credential cannot be revoked', 'pending'],
    ]);
  });

  it('hands the write the states it may leave and the state it enters', () => {
    expect(transitionFrom(CONTRACT_LIFECYCLE, 'withdraw', 'offered')).toEqual({
      from: ['draft', 'offered', 'acknowledged'],
      to: 'withdrawn',
    });
    expect(transitionFrom(CREDENTIAL_LIFECYCLE, 'expire', 'active')).toEqual({
      from: ['active'],
      to: 'expired',
    });
  });
});

describe('visible', () => {
  const item = { id: 'c1', ownerUserId: OWNER };

  it('answers the item to whoever may act on it', async () => {
    await expect(visible(CONTRACT_LIFECYCLE, owner, 'read', Promise.resolve(item))).resolves.toBe(item);
    await expect(visible(CONTRACT_LIFECYCLE, recruiter, 'offer', Promise.resolve(item))).resolves.toBe(item);
  });

  it('makes an absent item and a hidden one both 404; a known one the caller may not touch 403', async () => {
    // Act
    const [absent, hidden, denied] = await Promise.all([
      settled(visible(APPOINTMENT_LIFECYCLE, recruiter, 'read', Promise.resolve(undefined))),
      settled(visible(APPOINTMENT_LIFECYCLE, otherStaff, 'read', Promise.resolve(item))),
      settled(visible(CREDENTIAL_LIFECYCLE, owner, 'verify', Promise.resolve(item))),
    ]);

    // Assess
    expect(absent).toBeInstanceOf(NotFound);
    expect((absent as NotFound).message).toBe('No such appointment');
    expect(hidden).toBeInstanceOf(NotFound);
    expect(denied).toBeInstanceOf(Forbidden);
  });
});

describe('listOwner', () => {
  const STAFF_ID = '01JSTAFF00000000000000000A';
  const staff: StaffOwners = { ownerUserIdOf: async (staffId) => (staffId === STAFF_ID ? OWNER : undefined) };

  it('scopes a list to the named staff member, to the caller’s own, or to everyone', async () => {
    // Act
    const scopes = await Promise.all([
      listOwner(CONTRACT_LIFECYCLE, recruiter, STAFF_ID, staff),
      listOwner(CONTRACT_LIFECYCLE, owner, undefined, staff),
      listOwner(APPOINTMENT_LIFECYCLE, recruiter, undefined, staff),
      listOwner(CONTRACT_LIFECYCLE, owner, STAFF_ID, staff),
    ]);

    // Assess
    expect(scopes).toEqual([OWNER, OWNER, undefined, OWNER]);
  });

  it('is 404 for an unknown staff member, and for another staff member’s list', async () => {
    // Act
    const [unknown, others] = await Promise.all([
      settled(listOwner(APPOINTMENT_LIFECYCLE, recruiter, '01JNOSTAFF0000000000000000', staff)),
      settled(listOwner(APPOINTMENT_LIFECYCLE, otherStaff, STAFF_ID, staff)),
    ]);

    // Assess
    expect(unknown).toBeInstanceOf(NotFound);
    expect((unknown as NotFound).message).toBe('No such staff member');
    expect(others).toBeInstanceOf(NotFound);
  });
});

describe('assertEditable', () => {
  it('lets an edit of the version read go ahead in an editable state', () => {
    expect(() => assertEditable(CONTRACT_LIFECYCLE, { status: 'offered', version: 4 }, 4)).not.toThrow();
  });

  it('is 412 for another version and 409 naming the state when the state allows no edits', () => {
    // Act
    const outcomes = [
      () => assertEditable(CONTRACT_LIFECYCLE, { status: 'draft', version: 4 }, 3),
      () => assertEditable(CONTRACT_LIFECYCLE, { status: 'active', version: 4 }, 4),
      () => assertEditable(APPOINTMENT_LIFECYCLE, { status: 'cancelled', version: 2 }, 2),
    ].map((edit) => {
      try {
        return edit();
      } catch (error) {
        return error;
      }
    });

    // Assess
    expect(outcomes[0]).toBeInstanceOf(PreconditionFailed);
    expect(
      outcomes.slice(1).map((error) => error instanceof Conflict && [error.message, error.currentState]),
    ).toEqual([
      ['Only draft or offered contracts can be edited: it is active', 'active'],
      ['Only scheduled or confirmed appointments can be edited: it is cancelled', 'cancelled'],
    ]);
  });
});

describe('stamp', () => {
  it('counts the change and names who made it, for which request and action', () => {
    // Prepare
    const before = {
      id: 'a1',
      status: 'scheduled',
      version: 3,
      updatedAt: '2020-01-01T00:00:00.000Z',
      lastActor: { userId: 'x', roles: [], requestId: 'old', action: 'create' },
    };

    // Act
    const after = stamp(before, recruiter, 'cancel');

    // Assess
    expect(after).toEqual({
      id: 'a1',
      status: 'scheduled',
      version: 4,
      updatedAt: recruiter.now.toISOString(),
      lastActor: {
        userId: 'recruiter-sub',
        roles: ['recruiter'],
        requestId: 'req-recruiter-sub',
        action: 'cancel',
      },
    });
    expect(before.version).toBe(3);
  });
});

describe('lostRace', () => {
  const lose = (current: { status: string; version?: number } | undefined) =>
    settled(Promise.reject(new StaleWrite(current)).catch(lostRace(CONTRACT_LIFECYCLE, { action: 'offer' })));

  it('is 404 when the item is gone and 409 naming the state it is in now otherwise', async () => {
    // Act
    const [gone, overtaken] = await Promise.all([lose(undefined), lose({ status: 'withdrawn', version: 2 })]);

    // Assess
    expect(gone).toBeInstanceOf(NotFound);
    expect((gone as NotFound).message).toBe('No such contract');
    expect(overtaken).toBeInstanceOf(Conflict);
    expect((overtaken as Conflict).message).toBe(
      'The contract changed while this request ran: it is now withdrawn',
    );
    expect((overtaken as Conflict).currentState).toBe('withdrawn');
  });

  it('is 412 when the caller named a version (If-Match) the item has moved on from', async () => {
    // Prepare
    const revise = lostRace(CONTRACT_LIFECYCLE, { action: 'update', expectedVersion: 2 });

    // Act
    const [movedOn, sameVersion] = await Promise.all([
      settled(Promise.reject(new StaleWrite({ status: 'offered', version: 3 })).catch(revise)),
      settled(Promise.reject(new StaleWrite({ status: 'active', version: 2 })).catch(revise)),
    ]);

    // Assess
    expect(movedOn).toBeInstanceOf(PreconditionFailed);
    expect(sameVersion).toBeInstanceOf(Conflict);
    expect((sameVersion as Conflict).currentState).toBe('active');
  });

  it('words a credential’s lost race by the transition it tried', async () => {
    const lost = await settled(
      Promise.reject(new StaleWrite({ status: 'revoked' })).catch(
        lostRace(CREDENTIAL_LIFECYCLE, { action: 'verify' }),
      ),
    );
    expect((lost as Conflict).message).toBe('The credential is revoked: it cannot be moved by verify');
    expect((lost as Conflict).currentState).toBe('revoked');
  });

  it('lets any other error through unchanged', async () => {
    const failure = new Error('the table is unreachable');
    const passed = await settled(
      Promise.reject(failure).catch(lostRace(APPOINTMENT_LIFECYCLE, { action: 'x' })),
    );
    expect(passed).toBe(failure);
  });
});
