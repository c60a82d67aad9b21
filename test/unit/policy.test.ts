import { describe, expect, it } from 'vitest';
import { Forbidden, NotFound } from '#domain/errors.ts';
import {
  ACTIONS,
  type Actor,
  assertAllowed,
  type Decision,
  decide,
  type Resource,
  type ResourceType,
  roleMayCall,
  rolesThatMay,
} from '#domain/policy.ts';
import { ROLES, type Role } from '#domain/roles.ts';
import type { RouteDefinition } from '#shared/routes.ts';

const ME = 'me-sub';
const OTHER = 'other-sub';
const actor = (...roles: Role[]): Actor => ({ userId: ME, roles });

/** The two resources each row is checked against: the caller's "own" case and the "other" case. */
const VARIANTS: {
  [T in ResourceType]: { own: Extract<Resource, { type: T }>; other: Extract<Resource, { type: T }> };
} = {
  StaffProfile: {
    own: { type: 'StaffProfile', ownerUserId: ME, changedFields: ['name', 'phone', 'specialty'] },
    other: { type: 'StaffProfile', ownerUserId: OTHER, changedFields: ['name'] },
  },
  Credential: {
    own: { type: 'Credential', ownerUserId: ME },
    other: { type: 'Credential', ownerUserId: OTHER },
  },
  Contract: { own: { type: 'Contract', ownerUserId: ME }, other: { type: 'Contract', ownerUserId: OTHER } },
  Appointment: {
    own: { type: 'Appointment', ownerUserId: ME },
    other: { type: 'Appointment', ownerUserId: OTHER },
  },
  MonitoringRun: { own: { type: 'MonitoringRun' }, other: { type: 'MonitoringRun' } },
  CredentialingFlag: {
    own: { type: 'CredentialingFlag', ownerUserId: ME },
    other: { type: 'CredentialingFlag', ownerUserId: OTHER },
  },
  CredentialingDecision: {
    own: { type: 'CredentialingDecision', ownerUserId: ME },
    other: { type: 'CredentialingDecision', ownerUserId: OTHER },
  },
  Verification: {
    own: { type: 'Verification', ownerUserId: ME },
    other: { type: 'Verification', ownerUserId: OTHER },
  },
  // own: a participant (on create: with someone from the agency); other: not (on create: staff only).
  Conversation: {
    own: { type: 'Conversation', participantIds: [ME, OTHER], otherParticipantRoles: ['recruiter'] },
    other: { type: 'Conversation', participantIds: [OTHER, 'third'], otherParticipantRoles: ['staff'] },
  },
  // own: a chain credentialing may read; other: one it may not.
  Audit: {
    own: { type: 'Audit', entityType: 'Credential' },
    other: { type: 'Audit', entityType: 'Contract' },
  },
  // own: an invitation as staff; other: as recruiter.
  User: {
    own: { type: 'User', grantedRoles: ['staff'] },
    other: { type: 'User', grantedRoles: ['recruiter'] },
  },
  Webhook: { own: { type: 'Webhook' }, other: { type: 'Webhook' } },
};

/**
 * The access table of DESIGN.md and API.md. Each row: staff, recruiter, credentialing, admin;
 * each cell two letters, own then other: A allow, D deny (403), H hide (404).
 */
const EXPECTED: { [T in ResourceType]: Record<(typeof ACTIONS)[T][number], string> } = {
  StaffProfile: {
    create: 'DD AA DD AA',
    list: 'DD AA AA AA',
    read: 'AH AA AA AA',
    update: 'AH AA DD AA',
    readDateOfBirth: 'AH DD AA AA',
  },
  Credential: {
    create: 'AH AA AA AA',
    list: 'AH AA AA AA',
    read: 'AH AA AA AA',
    verify: 'DD DD AA AA',
    reject: 'DD DD AA AA',
    revoke: 'DD DD AA AA',
    uploadDocument: 'AH DD AA AA',
    downloadDocument: 'AH AA AA AA',
    sweep: 'DD DD DD AA',
  },
  Contract: {
    create: 'DD AA DD AA',
    list: 'AH AA AA AA',
    read: 'AH AA AA AA',
    update: 'DD AA DD AA',
    offer: 'DD AA DD AA',
    acknowledge: 'AH DD DD DD',
    decline: 'AH DD DD DD',
    activate: 'DD AA DD AA',
    complete: 'DD AA DD AA',
    terminate: 'DD AA DD AA',
    withdraw: 'DD AA DD AA',
  },
  Appointment: {
    create: 'DD AA DD AA',
    list: 'AH AA AA AA',
    read: 'AH AA AA AA',
    update: 'DD AA DD AA',
    confirm: 'AH DD DD DD',
    cancel: 'AH AA DD AA',
    complete: 'DD AA DD AA',
    noShow: 'DD AA DD AA',
  },
  Conversation: {
    create: 'AD AA AA AA',
    list: 'AA AA AA AA',
    read: 'AH AH AH AH',
    sendMessage: 'AH AH AH AH',
    markRead: 'AH AH AH AH',
    uploadAttachment: 'AH AH AH AH',
    downloadAttachment: 'AH AH AH AH',
  },
  Verification: {
    create: 'DD DD AA AA',
    list: 'AH DD AA AA',
    check: 'DD DD AA AA',
  },
  MonitoringRun: { list: 'DD DD AA AA' },
  CredentialingFlag: { list: 'DD DD AA AA', read: 'AH DD AA AA' },
  CredentialingDecision: {
    create: 'DD DD AA AA',
    list: 'AH DD AA AA',
    resolveFlag: 'DD DD AA AA',
  },
  Audit: {
    list: 'DD DD AD AA',
    read: 'DD DD AD AA',
    verify: 'DD DD AD AA',
    verifyLedger: 'DD DD DD AA',
  },
  User: {
    invite: 'DD AD DD AA',
    list: 'DD DD DD AA',
    changeRoles: 'DD DD DD AA',
    disable: 'DD DD DD AA',
    resetMfa: 'DD DD DD AA',
  },
  Webhook: {
    create: 'DD DD DD AA',
    list: 'DD DD DD AA',
    read: 'DD DD DD AA',
    update: 'DD DD DD AA',
    delete: 'DD DD DD AA',
    rotateSecret: 'DD DD DD AA',
    listDeliveries: 'DD DD DD AA',
    replay: 'DD DD DD AA',
  },
};

const LETTER: Record<string, Decision> = { A: 'allow', D: 'deny', H: 'hide' };
const CELL_ORDER: readonly Role[] = ['staff', 'recruiter', 'credentialing', 'admin'];

const matrix = (Object.keys(ACTIONS) as ResourceType[]).flatMap((type) =>
  (ACTIONS[type] as readonly string[]).flatMap((action) => {
    const row = (EXPECTED[type] as Record<string, string | undefined>)[action] ?? '';
    const cells = row.split(' ');
    return CELL_ORDER.flatMap((role, index) =>
      (['own', 'other'] as const).map((variant, at) => ({
        type,
        action,
        role,
        variant,
        expected: LETTER[cells[index]?.[at] ?? ''],
      })),
    );
  }),
);

describe('policy matrix', () => {
  it('covers every action of every resource', () => {
    for (const type of Object.keys(ACTIONS) as ResourceType[]) {
      expect(Object.keys(EXPECTED[type]).sort()).toEqual([...ACTIONS[type]].sort());
    }
  });

  it.each(matrix)(
    '$type.$action by $role on $variant → $expected',
    ({ type, action, role, variant, expected }) => {
      // Prepare
      const resource = VARIANTS[type][variant];
      // Act
      const decision = decide(actor(role), action as never, resource as never);
      // Assess
      expect(decision).toBe(expected);
    },
  );
});

describe('policy details', () => {
  it('lets staff edit only name, phone and specialty of their own profile', () => {
    const edit = (changedFields: string[]) =>
      decide(actor('staff'), 'update', { type: 'StaffProfile', ownerUserId: ME, changedFields });
    expect(edit(['name', 'phone', 'specialty'])).toBe('allow');
    expect(edit(['dateOfBirth'])).toBe('deny');
    expect(edit(['name', 'npi'])).toBe('deny');
  });

  it('denies staff an unscoped list (services scope staff lists to their own first)', () => {
    expect(decide(actor('staff'), 'list', { type: 'Contract' })).toBe('deny');
    expect(decide(actor('recruiter'), 'list', { type: 'Contract' })).toBe('allow');
  });

  it('denies credentialing an audit query that names no entity type', () => {
    expect(decide(actor('credentialing'), 'list', { type: 'Audit' })).toBe('deny');
  });

  it('refuses a recruiter invitation that mixes staff with another role', () => {
    expect(decide(actor('recruiter'), 'invite', { type: 'User', grantedRoles: ['staff', 'admin'] })).toBe(
      'deny',
    );
    expect(decide(actor('recruiter'), 'invite', { type: 'User', grantedRoles: [] })).toBe('deny');
  });

  it('combines roles: allow beats deny, deny beats hide', () => {
    const othersProfile = { type: 'StaffProfile', ownerUserId: OTHER } as const;
    const othersCredential = { type: 'Credential', ownerUserId: OTHER } as const;
    expect(decide(actor('staff', 'recruiter'), 'read', othersProfile)).toBe('allow');
    expect(decide(actor('staff', 'recruiter'), 'verify', othersCredential)).toBe('deny');
    expect(decide(actor('admin', 'staff'), 'acknowledge', { type: 'Contract', ownerUserId: ME })).toBe(
      'allow',
    );
    expect(decide(actor(), 'read', othersProfile)).toBe('deny');
  });

  it('turns deny into Forbidden and hide into NotFound', () => {
    expect(() => assertAllowed('allow')).not.toThrow();
    expect(() => assertAllowed('deny')).toThrow(Forbidden);
    expect(() => assertAllowed('hide')).toThrow(NotFound);
  });
});

describe('route-level checks', () => {
  const route = (roles: Role[]): Pick<RouteDefinition, 'access'> => ({ access: { roles } });

  it('allows public routes to anyone and others to the listed roles only', () => {
    expect(roleMayCall(undefined, { access: 'public' })).toBe('allow');
    expect(roleMayCall(actor('staff'), route(['recruiter', 'admin']))).toBe('deny');
    expect(roleMayCall(actor('staff', 'admin'), route(['recruiter', 'admin']))).toBe('allow');
    expect(roleMayCall(undefined, route([...ROLES]))).toBe('deny');
  });

  it('names the roles a route for an action must list', () => {
    expect(rolesThatMay('Contract', 'acknowledge')).toEqual(['staff']);
    expect(rolesThatMay('Credential', 'verify')).toEqual(['admin', 'credentialing']);
    expect(rolesThatMay('Audit', 'list')).toEqual(['admin', 'credentialing']);
    expect(rolesThatMay('User', 'invite')).toEqual(['admin', 'recruiter']);
  });

  it('leaves out roles that may act only on their own items when the action spans every owner', () => {
    expect(rolesThatMay('Credential', 'list', { unscoped: true })).toEqual([
      'admin',
      'recruiter',
      'credentialing',
    ]);
  });
});
