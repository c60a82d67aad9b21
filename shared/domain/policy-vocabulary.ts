/**
 * The policy's vocabulary: who acts (`Actor`), on which resources, with which actions, and what
 * the policy can answer. The rules themselves are in shared/domain/policy.ts.
 */
import type { Role } from './roles.ts';

export type Decision = 'allow' | 'deny' | 'hide';

export interface Actor {
  userId: string;
  roles: readonly Role[];
}

/** The fields a staff member may change on their own profile. */
export const OWNER_EDITABLE_PROFILE_FIELDS: readonly string[] = ['name', 'phone', 'specialty'];

/** The ledger chains credentialing may read and verify. */
export const CREDENTIALING_AUDIT_ENTITY_TYPES: readonly string[] = [
  'Credential',
  'StaffProfile',
  'Verification',
  'CredentialingFlag',
];

export const ACTIONS = {
  StaffProfile: ['create', 'list', 'read', 'update', 'readDateOfBirth'],
  Credential: [
    'create',
    'list',
    'read',
    'verify',
    'reject',
    'revoke',
    'uploadDocument',
    'downloadDocument',
    'sweep',
  ],
  Contract: [
    'create',
    'list',
    'read',
    'update',
    'offer',
    'acknowledge',
    'decline',
    'activate',
    'complete',
    'terminate',
    'withdraw',
  ],
  Appointment: ['create', 'list', 'read', 'update', 'confirm', 'cancel', 'complete', 'noShow'],
  Conversation: [
    'create',
    'list',
    'read',
    'sendMessage',
    'markRead',
    'uploadAttachment',
    'downloadAttachment',
  ],
  /** Checks of a staff member or a credential against a source (immutable records). */
  Verification: ['create', 'list', 'check'],
  CredentialingDecision: ['create', 'list', 'resolveFlag'],
  MonitoringRun: ['list'],
  /** Monitoring flags: the credentialing work queue, and who may hear of one. */
  CredentialingFlag: ['list', 'read'],
  Audit: ['list', 'read', 'verify', 'verifyLedger'],
  User: ['invite', 'list', 'changeRoles', 'disable', 'resetMfa'],
  /** Outbound webhook endpoints and their deliveries (an agency's integrations). */
  Webhook: ['create', 'list', 'read', 'update', 'delete', 'rotateSecret', 'listDeliveries', 'replay'],
} as const;

export type ResourceType = keyof typeof ACTIONS;
export type ActionOf<T extends ResourceType> = (typeof ACTIONS)[T][number];

interface Owned {
  /** Cognito sub of the staff member the item belongs to; absent for an unscoped list. */
  ownerUserId?: string;
}

/** What the policy needs to know about the resource (and, for some actions, the request). */
export type Resource =
  | (Owned & { type: 'StaffProfile'; changedFields?: readonly string[] })
  | (Owned & { type: 'Credential' })
  | (Owned & { type: 'Contract' })
  | (Owned & { type: 'Appointment' })
  | (Owned & { type: 'Verification' })
  | (Owned & { type: 'CredentialingDecision' })
  | { type: 'MonitoringRun' }
  | (Owned & { type: 'CredentialingFlag' })
  | {
      type: 'Conversation';
      participantIds?: readonly string[];
      /** On create: the roles of the participants other than the caller. */
      otherParticipantRoles?: readonly Role[];
    }
  /** `entityType` is the chain (or the `/audit` filter) asked for. */
  | { type: 'Audit'; entityType?: string }
  /** `grantedRoles`: the roles an invitation would give. */
  | { type: 'User'; grantedRoles?: readonly Role[] }
  | { type: 'Webhook' };

export type ResourceOf<T extends ResourceType> = Extract<Resource, { type: T }>;

/**
 * A route's link to the policy: the resource and action it performs. `unscoped`: on items of
 * every owner at once (a work queue), where 'own' rules deny.
 */
export type PolicyRef = {
  [T in ResourceType]: { resource: T; action: ActionOf<T>; unscoped?: true };
}[ResourceType];
