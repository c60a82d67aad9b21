import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { contentHashOf } from '#domain/contracts/content-hash.ts';
import { assertCredentialsHeld, credentialGapOf } from '#domain/contracts/credential-gating.ts';
import {
  CONTRACT_LIFECYCLE,
  CONTRACT_STATUSES,
  CONTRACT_TRANSITIONS,
  type ContractState,
  type ContractTransition,
} from '#domain/contracts/state-machine.ts';
import { Conflict, RuleViolation } from '#domain/errors.ts';
import { nextState } from '#domain/lifecycle.ts';
import { ACTIONS } from '#domain/policy.ts';
import { ContractContentSchema } from '#domain/schemas/contracts.ts';

/** The lifecycle of DESIGN.md "Flows → Contracts": state × transition → next state, or 409. */
const ALLOWED: Record<ContractTransition, Partial<Record<ContractState, ContractState>>> = {
  offer: { draft: 'offered' },
  acknowledge: { offered: 'acknowledged' },
  decline: { offered: 'declined' },
  activate: { acknowledged: 'active' },
  complete: { active: 'completed' },
  terminate: { active: 'terminated' },
  withdraw: { draft: 'withdrawn', offered: 'withdrawn', acknowledged: 'withdrawn' },
};

const cases = (Object.keys(ALLOWED) as ContractTransition[]).flatMap((transition) =>
  CONTRACT_STATUSES.map((from) => ({ transition, from, to: ALLOWED[transition][from] })),
);

describe('contract state machine', () => {
  it.each(cases)('$transition from $from → $to', ({ transition, from, to }) => {
    if (to === undefined) {
      expect(() => nextState(CONTRACT_LIFECYCLE, transition, from)).toThrow(Conflict);
      try {
        nextState(CONTRACT_LIFECYCLE, transition, from);
      } catch (error) {
        expect((error as Conflict).currentState).toBe(from);
        expect((error as Conflict).message).toContain(from);
      }
    } else {
      expect(nextState(CONTRACT_LIFECYCLE, transition, from)).toBe(to);
    }
  });

  it('names every transition as a policy action', () => {
    for (const transition of Object.keys(CONTRACT_TRANSITIONS)) {
      expect(ACTIONS.Contract).toContain(transition);
    }
  });
});

const content = ContractContentSchema.parse({
  title: 'ICU travel nurse, 13 weeks',
  terms: '# Terms\n\nNights, 3×12h a week.',
  startDate: '2026-04-06',
  endDate: '2026-07-03',
  rate: { amountCents: 6500, currency: 'USD', per: 'hour' },
  location: 'St Mary, Ward 4',
  requiredCredentialTypes: ['bls', 'RN'],
});

describe('contract content hash', () => {
  it('is SHA-256 hex of the RFC 8785 canonical JSON of the versioned fields', () => {
    const canonical =
      '{"endDate":"2026-07-03","location":"St Mary, Ward 4","rate":{"amountCents":6500,"currency":"USD","per":"hour"},' +
      '"requiredCredentialTypes":["BLS","RN"],"startDate":"2026-04-06","terms":"# Terms\\n\\nNights, 3×12h a week.",' +
      '"title":"ICU travel nurse, 13 weeks"}';
    expect(canonicalize(content)).toBe(canonical);
    expect(contentHashOf(content)).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
  });

  it('ignores key order and fields outside the versioned content', () => {
    const reordered = Object.fromEntries(Object.entries(content).reverse()) as typeof content;
    const withExtras = { ...content, status: 'offered', id: 'x' } as typeof content;
    expect(contentHashOf(reordered)).toBe(contentHashOf(content));
    expect(contentHashOf(withExtras)).toBe(contentHashOf(content));
  });

  it('changes with any versioned field, and omits absent optional ones', () => {
    expect(contentHashOf({ ...content, terms: `${content.terms} ` })).not.toBe(contentHashOf(content));
    expect(contentHashOf({ ...content, rate: undefined })).not.toBe(contentHashOf(content));
    const { rate: _rate, ...withoutRate } = content;
    expect(contentHashOf({ ...content, rate: undefined })).toBe(contentHashOf(withoutRate));
  });

  it('treats required credential types as a set of upper-case codes', () => {
    const shuffled = ContractContentSchema.parse({
      ...content,
      requiredCredentialTypes: ['rn', 'BLS', 'rn'],
    });
    expect(shuffled.requiredCredentialTypes).toEqual(['BLS', 'RN']);
    expect(contentHashOf(shuffled)).toBe(contentHashOf(content));
  });
});

describe('credential gating', () => {
  const END = '2026-07-03';

  it('passes when each type is held active with no expiry or an expiry on or after the end date', () => {
    const held = [
      { type: 'RN', status: 'active', expiryDate: END },
      { type: 'BLS', status: 'active' },
    ];
    expect(credentialGapOf(['BLS', 'RN'], held, END)).toEqual({ missing: [], expiring: [] });
    expect(() => assertCredentialsHeld(['BLS', 'RN'], held, END)).not.toThrow();
  });

  it('counts only active credentials: pending, revoked, expired and rejected are missing', () => {
    const held = ['pending', 'revoked', 'expired', 'rejected'].map((status) => ({ type: 'RN', status }));
    expect(credentialGapOf(['RN'], held, END)).toEqual({ missing: ['RN'], expiring: [] });
  });

  it('reports types whose active credentials all expire before the end date', () => {
    const held = [
      { type: 'RN', status: 'active', expiryDate: '2026-05-01' },
      { type: 'RN', status: 'active', expiryDate: '2026-07-02' },
      { type: 'BLS', status: 'active', expiryDate: '2027-01-01' },
    ];
    expect(credentialGapOf(['BLS', 'RN', 'ACLS'], held, END)).toEqual({
      missing: ['ACLS'],
      expiring: [{ type: 'RN', expiryDate: '2026-07-02' }],
    });
  });

  it('refuses with 422 listing what is missing or expiring', () => {
    const held = [{ type: 'RN', status: 'active', expiryDate: '2026-05-01' }];
    try {
      assertCredentialsHeld(['BLS', 'RN'], held, END);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RuleViolation);
      expect((error as RuleViolation).details).toEqual({
        missingCredentialTypes: ['BLS'],
        expiringCredentials: [{ type: 'RN', expiryDate: '2026-05-01' }],
      });
    }
  });

  it('passes a contract that requires nothing', () => {
    expect(() => assertCredentialsHeld([], [], END)).not.toThrow();
  });
});
