/**
 * Verification records: each check of a staff member or a credential against a source is its
 * own immutable item (who, when, which source, what it answered, the evidence). Manual records
 * come from credentialing users; the primary-source adapters write theirs through `record`.
 */
import { ulid } from 'ulid';
import { newEntityMeta, type ServiceContext } from '../context.ts';
import type { CredentialRepository } from '../credentials/ports.ts';
import { NotFound, RuleViolation } from '../errors.ts';
import type { Page, PageRequest } from '../page.ts';
import { authorize } from '../policy.ts';
import type { NewManualVerification, Verification } from '../schemas/credentialing.ts';
import type { StaffProfileRepository } from '../staff/ports.ts';
import type { StoredVerification, VerificationRepository } from './ports.ts';

export interface VerificationServiceDeps {
  verifications: VerificationRepository;
  profiles: Pick<StaffProfileRepository, 'get'>;
  credentials: Pick<CredentialRepository, 'get'>;
  newId?: () => string;
}

/** What a check found, before it becomes a record. */
export type CheckOutcome = Omit<
  Verification,
  'id' | 'checkedAt' | 'verifier' | 'version' | 'createdAt' | 'updatedAt'
> & { checkedAt?: string };

/** The API shape of a stored record: no top-level staff id, owner sub or attribution. */
export const verificationView = (record: StoredVerification): Verification => {
  const { staffId: _staff, ownerUserId: _owner, lastActor: _actor, ...view } = record;
  return view;
};

/** Writes one record as the caller (or the system) saw it: nothing checks the caller here. */
export const recordVerification = async (
  verifications: VerificationRepository,
  context: ServiceContext,
  ownerUserId: string,
  outcome: CheckOutcome,
  newId: () => string = ulid,
): Promise<StoredVerification> => {
  const record: StoredVerification = {
    ...outcome,
    id: newId(),
    staffId: outcome.subject.staffId,
    ownerUserId,
    checkedAt: outcome.checkedAt ?? context.now.toISOString(),
    verifier: context.actor.userId,
    ...newEntityMeta(context),
  };
  await verifications.create(record);
  return record;
};

export const createVerificationService = ({
  verifications,
  profiles,
  credentials,
  newId = ulid,
}: VerificationServiceDeps) => {
  const ownerOf = async (staffId: string) => {
    const profile = await profiles.get(staffId);
    if (!profile) throw new NotFound('No such staff profile');
    return profile.userId;
  };

  return {
    /** A credentialing user's own check: a `manual` record. */
    createManual: async (
      context: ServiceContext,
      staffId: string,
      input: NewManualVerification,
    ): Promise<Verification> => {
      const ownerUserId = await ownerOf(staffId);
      authorize(context.actor, 'create', { type: 'Verification', ownerUserId });
      if (input.credentialId !== undefined) {
        const credential = await credentials.get(input.credentialId);
        if (credential?.staffId !== staffId) {
          throw new RuleViolation('The credential is not one of this staff member', {
            credentialId: input.credentialId,
          });
        }
      }
      if (input.checkedAt !== undefined && Date.parse(input.checkedAt) > context.now.getTime()) {
        throw new RuleViolation('A check cannot be recorded in the future', { checkedAt: input.checkedAt });
      }
      const { credentialId, ...rest } = input;
      const record = await recordVerification(
        verifications,
        context,
        ownerUserId,
        {
          ...rest,
          subject: { staffId, ...(credentialId ? { credentialId } : {}) },
          source: 'manual',
          method: 'manual',
          ...(input.checkedAt ? { checkedAt: new Date(input.checkedAt).toISOString() } : {}),
        },
        newId,
      );
      return verificationView(record);
    },

    listOfStaff: async (
      context: ServiceContext,
      staffId: string,
      page: PageRequest,
    ): Promise<Page<Verification>> => {
      authorize(context.actor, 'list', { type: 'Verification', ownerUserId: await ownerOf(staffId) });
      const found = await verifications.listOfStaff(staffId, page);
      return { items: found.items.map(verificationView), next: found.next };
    },
  };
};

export type VerificationService = ReturnType<typeof createVerificationService>;
