/**
 * The contract lifecycle as a table: each transition names the states it leaves and the state
 * it enters. The service, the policy (the transition names are its actions) and the tests read
 * this one table.
 */
import { Conflict } from '../errors.ts';

export const CONTRACT_STATUSES = [
  'draft',
  'offered',
  'acknowledged',
  'active',
  'completed',
  'terminated',
  'declined',
  'withdrawn',
] as const;

export type ContractState = (typeof CONTRACT_STATUSES)[number];

export interface Transition<S extends string> {
  from: readonly S[];
  to: S;
}

export const CONTRACT_TRANSITIONS = {
  offer: { from: ['draft'], to: 'offered' },
  acknowledge: { from: ['offered'], to: 'acknowledged' },
  decline: { from: ['offered'], to: 'declined' },
  activate: { from: ['acknowledged'], to: 'active' },
  complete: { from: ['active'], to: 'completed' },
  terminate: { from: ['active'], to: 'terminated' },
  withdraw: { from: ['draft', 'offered', 'acknowledged'], to: 'withdrawn' },
} as const satisfies Record<string, Transition<ContractState>>;

export type ContractTransition = keyof typeof CONTRACT_TRANSITIONS;

/** The states whose terms may still change (PUT): an edit keeps the state. */
export const EDITABLE_CONTRACT_STATES: readonly ContractState[] = ['draft', 'offered'];

/** The transitions that need the staff member's credentials in order (422 otherwise). */
export const CREDENTIAL_GATED_TRANSITIONS: readonly ContractTransition[] = ['acknowledge', 'activate'];

/**
 * The state a transition leads to from `current`; Conflict (409, naming the current state) when
 * the table does not allow it. Shared by contracts and appointments.
 */
export const nextState = <S extends string>(
  table: Readonly<Record<string, Transition<S>>>,
  transition: string,
  current: S,
  entity: string,
): S => {
  const rule = table[transition];
  if (rule === undefined) throw new Error(`no transition ${transition}`);
  if (!rule.from.includes(current)) {
    throw new Conflict(`Cannot ${transition} this ${entity}: it is ${current}`, current);
  }
  return rule.to;
};
