/**
 * The contract lifecycle as a table: each transition names the states it leaves and the state
 * it enters. The service, the policy (the transition names are its actions) and the tests read
 * this one table.
 */
import type { Lifecycle, Transition } from '../lifecycle.ts';

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

export const CONTRACT_LIFECYCLE = {
  resource: 'Contract',
  transitions: CONTRACT_TRANSITIONS,
  editable: EDITABLE_CONTRACT_STATES,
} as const satisfies Lifecycle<'Contract', ContractState, ContractTransition>;
