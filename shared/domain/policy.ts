/**
 * The access policy: who may do what to which resource, as pure functions of
 * (actor, action, resource) → 'allow' | 'deny' | 'hide'. DESIGN.md "Access rules" and API.md's
 * route tables, by resource, in one place; each route's roles are derived from it
 * (`performs` in shared/routes/access.ts).
 *
 * - 'deny' → 403: the caller may know the resource exists but may not do this.
 * - 'hide' → 404: the caller must not learn that the resource exists.
 *
 * Owned resources (profile, credential, contract, appointment) name their owner by the staff
 * member's Cognito sub (`ownerUserId`); a list without an owner filter passes no owner.
 */
import { Forbidden, NotFound } from './errors.ts';
import {
  type ActionOf,
  type Actor,
  CREDENTIALING_AUDIT_ENTITY_TYPES,
  type Decision,
  OWNER_EDITABLE_PROFILE_FIELDS,
  type Resource,
  type ResourceOf,
  type ResourceType,
} from './policy-vocabulary.ts';
import type { Role } from './roles.ts';
import { ROLES } from './roles.ts';

export * from './policy-vocabulary.ts';

type Check = (actor: Actor, resource: Resource) => Decision;
/** 'own': allowed on the caller's own items, hidden on others', denied on unscoped lists. */
type Rule = 'allow' | 'deny' | 'own' | 'participant' | Check;
type RoleRules = Readonly<Record<Role, Rule>>;

const byRole = (staff: Rule, recruiter: Rule, credentialing: Rule, admin: Rule): RoleRules => ({
  staff,
  recruiter,
  credentialing,
  admin,
});

const ownership = (actor: Actor, resource: Resource): Decision => {
  const owner = 'ownerUserId' in resource ? resource.ownerUserId : undefined;
  if (owner === undefined) return 'deny';
  return owner === actor.userId ? 'allow' : 'hide';
};

const participation = (actor: Actor, resource: Resource): Decision =>
  resource.type === 'Conversation' && (resource.participantIds ?? []).includes(actor.userId)
    ? 'allow'
    : 'hide';

const ownProfileFields: Check = (actor, resource) => {
  const owned = ownership(actor, resource);
  if (owned !== 'allow') return owned;
  const changed = resource.type === 'StaffProfile' ? (resource.changedFields ?? []) : [];
  return changed.every((field) => OWNER_EDITABLE_PROFILE_FIELDS.includes(field)) ? 'allow' : 'deny';
};

// Staff may not open a conversation among staff only: someone from the agency takes part.
const staffOpensWithAgency: Check = (_actor, resource) =>
  resource.type === 'Conversation' && (resource.otherParticipantRoles ?? []).some((role) => role !== 'staff')
    ? 'allow'
    : 'deny';

const credentialingChains: Check = (_actor, resource) =>
  resource.type === 'Audit' &&
  resource.entityType !== undefined &&
  CREDENTIALING_AUDIT_ENTITY_TYPES.includes(resource.entityType)
    ? 'allow'
    : 'deny';

const recruiterInvitesStaff: Check = (_actor, resource) => {
  const roles = resource.type === 'User' ? (resource.grantedRoles ?? []) : [];
  return roles.length > 0 && roles.every((role) => role === 'staff') ? 'allow' : 'deny';
};

const ADMIN_ONLY = byRole('deny', 'deny', 'deny', 'allow');
const AGENCY_WRITES = byRole('deny', 'allow', 'deny', 'allow');
const OWNER_AND_AGENCY_READ = byRole('own', 'allow', 'allow', 'allow');
const CREDENTIALING_WRITES = byRole('deny', 'deny', 'allow', 'allow');
const OWNER_ONLY = byRole('own', 'deny', 'deny', 'deny');
const PARTICIPANTS = byRole('participant', 'participant', 'participant', 'participant');

const RULES: { readonly [T in ResourceType]: Readonly<Record<ActionOf<T>, RoleRules>> } = {
  StaffProfile: {
    create: AGENCY_WRITES,
    list: byRole('deny', 'allow', 'allow', 'allow'),
    read: OWNER_AND_AGENCY_READ,
    update: byRole(ownProfileFields, 'allow', 'deny', 'allow'),
    readDateOfBirth: byRole('own', 'deny', 'allow', 'allow'),
  },
  Credential: {
    create: OWNER_AND_AGENCY_READ,
    list: OWNER_AND_AGENCY_READ,
    read: OWNER_AND_AGENCY_READ,
    verify: CREDENTIALING_WRITES,
    reject: CREDENTIALING_WRITES,
    revoke: CREDENTIALING_WRITES,
    uploadDocument: byRole('own', 'deny', 'allow', 'allow'),
    downloadDocument: OWNER_AND_AGENCY_READ,
    sweep: ADMIN_ONLY,
  },
  Contract: {
    create: AGENCY_WRITES,
    list: OWNER_AND_AGENCY_READ,
    read: OWNER_AND_AGENCY_READ,
    update: AGENCY_WRITES,
    offer: AGENCY_WRITES,
    // Only the staff member acknowledges or declines their own contract: admins included.
    acknowledge: OWNER_ONLY,
    decline: OWNER_ONLY,
    activate: AGENCY_WRITES,
    complete: AGENCY_WRITES,
    terminate: AGENCY_WRITES,
    withdraw: AGENCY_WRITES,
  },
  Appointment: {
    create: AGENCY_WRITES,
    list: OWNER_AND_AGENCY_READ,
    read: OWNER_AND_AGENCY_READ,
    update: AGENCY_WRITES,
    confirm: OWNER_ONLY,
    cancel: byRole('own', 'allow', 'deny', 'allow'),
    complete: AGENCY_WRITES,
    noShow: AGENCY_WRITES,
  },
  Conversation: {
    create: byRole(staffOpensWithAgency, 'allow', 'allow', 'allow'),
    list: byRole('allow', 'allow', 'allow', 'allow'),
    read: PARTICIPANTS,
    sendMessage: PARTICIPANTS,
    markRead: PARTICIPANTS,
    uploadAttachment: PARTICIPANTS,
    downloadAttachment: PARTICIPANTS,
  },
  // Staff read their own file; recruiters see a credentialing status only, never the checks.
  Verification: {
    create: CREDENTIALING_WRITES,
    list: byRole('own', 'deny', 'allow', 'allow'),
    check: CREDENTIALING_WRITES,
  },
  CredentialingDecision: {
    create: CREDENTIALING_WRITES,
    list: byRole('own', 'deny', 'allow', 'allow'),
    resolveFlag: CREDENTIALING_WRITES,
  },
  MonitoringRun: { list: CREDENTIALING_WRITES },
  // The queue is credentialing's; the staff member hears of their own flag, recruiters never.
  CredentialingFlag: { list: CREDENTIALING_WRITES, read: byRole('own', 'deny', 'allow', 'allow') },
  Audit: {
    list: byRole('deny', 'deny', credentialingChains, 'allow'),
    read: byRole('deny', 'deny', credentialingChains, 'allow'),
    verify: byRole('deny', 'deny', credentialingChains, 'allow'),
    // The digests and /audit/verify span every chain: admins only.
    verifyLedger: ADMIN_ONLY,
  },
  User: {
    invite: byRole('deny', recruiterInvitesStaff, 'deny', 'allow'),
    list: ADMIN_ONLY,
    changeRoles: ADMIN_ONLY,
    disable: ADMIN_ONLY,
    resetMfa: ADMIN_ONLY,
  },
  // Webhooks reach an agency's other systems: configuring where its data goes is an admin's call.
  Webhook: {
    create: ADMIN_ONLY,
    list: ADMIN_ONLY,
    read: ADMIN_ONLY,
    update: ADMIN_ONLY,
    delete: ADMIN_ONLY,
    rotateSecret: ADMIN_ONLY,
    listDeliveries: ADMIN_ONLY,
    replay: ADMIN_ONLY,
  },
};

const rulesFor = (type: ResourceType, action: string): RoleRules => {
  const rules = (RULES[type] as Readonly<Record<string, RoleRules>>)[action];
  if (rules === undefined) throw new Error(`no policy for ${type}.${action}`);
  return rules;
};

const evaluate = (rule: Rule, actor: Actor, resource: Resource): Decision => {
  if (rule === 'own') return ownership(actor, resource);
  if (rule === 'participant') return participation(actor, resource);
  if (typeof rule === 'function') return rule(actor, resource);
  return rule;
};

/** Most permissive over the caller's roles: allow beats deny, deny beats hide. */
const combine = (decisions: readonly Decision[]): Decision => {
  if (decisions.includes('allow')) return 'allow';
  if (decisions.includes('deny') || decisions.length === 0) return 'deny';
  return 'hide';
};

export const decide = <T extends ResourceType>(
  actor: Actor,
  action: ActionOf<T>,
  resource: ResourceOf<T>,
): Decision => {
  const rules = rulesFor(resource.type, action);
  return combine(actor.roles.map((role) => evaluate(rules[role], actor, resource)));
};

/** Throws Forbidden on 'deny' and NotFound on 'hide'. */
export const assertAllowed = (decision: Decision, message?: string): void => {
  if (decision === 'deny') throw new Forbidden(message);
  if (decision === 'hide') throw new NotFound(message);
};

/** `decide` + `assertAllowed`: the one-liner services use. */
export const authorize = <T extends ResourceType>(
  actor: Actor,
  action: ActionOf<T>,
  resource: ResourceOf<T>,
): void => assertAllowed(decide(actor, action, resource));

/**
 * The roles for which the action is not always denied: the roles of a route that performs it.
 * Unscoped (no owner to match), an 'own' rule always denies too.
 */
export const rolesThatMay = (type: ResourceType, action: string, { unscoped = false } = {}): Role[] => {
  const rules = rulesFor(type, action);
  const alwaysDenied = (rule: Rule) => rule === 'deny' || (unscoped && rule === 'own');
  return ROLES.filter((role) => !alwaysDenied(rules[role]));
};

/** Route-level check: public routes allow anyone; others need one of the route's roles. */
export const roleMayCall = (
  actor: Actor | undefined,
  route: { access: 'public' | { roles: readonly Role[] } },
): Decision => {
  if (route.access === 'public') return 'allow';
  const allowed = route.access.roles;
  return actor?.roles.some((role) => allowed.includes(role)) ? 'allow' : 'deny';
};
