/**
 * Credentials: created pending by the staff member or the agency, verified, rejected or revoked
 * by credentialing (the state machine decides what is allowed), listed per staff member and in
 * the work queue by status or expiry.
 */
import { ulid } from 'ulid';
import { newEntityMeta, type ServiceContext } from '../context.ts';
import type { StoredVerification, VerificationRepository } from '../credentialing/ports.ts';
import { recordVerification } from '../credentialing/verifications.ts';
import { NotFound, RuleViolation } from '../errors.ts';
import { changeStampOf, lostRace, transitionFrom, visible } from '../lifecycle.ts';
import type { Page, PageRequest } from '../page.ts';
import { authorize } from '../policy.ts';
import type {
  Credential,
  CredentialQueueFilters,
  NewCredentialInput,
  ReasonInput,
  VerifyCredentialInput,
} from '../schemas/credentials.ts';
import type { StaffProfileRepository } from '../staff/ports.ts';
import { addDays, dayOf } from './days.ts';
import { isPastExpiry } from './expiry.ts';
import type { CredentialRepository, DocumentStore, StoredCredential } from './ports.ts';
import { CREDENTIAL_LIFECYCLE, type CredentialStatus } from './state-machine.ts';
import { credentialView } from './view.ts';
import { type ExpiringPosition, listExpiring } from './work-queue.ts';

export interface CredentialServiceDeps {
  credentials: CredentialRepository;
  profiles: Pick<StaffProfileRepository, 'get' | 'getMany'>;
  /** Where a verification reads the document it records (key, version, SHA-256). */
  documents: Pick<DocumentStore, 'fingerprint'>;
  /** Verify names a verification record, or (the older body) writes a manual one on the way. */
  verifications: VerificationRepository;
  newId?: () => string;
}

/** A decision of credentialing: the transition and its request body. */
export type CredentialDecision =
  | ({ transition: 'verify' } & VerifyCredentialInput)
  | ({ transition: 'reject' | 'revoke' } & ReasonInput);

type VerifiedDocument = NonNullable<NonNullable<Credential['verification']>['document']>;

/**
 * The record a decision leaves on the credential; a verification points at its record and names
 * the document it saw.
 */
const recordOf = (
  context: ServiceContext,
  decision: CredentialDecision,
  seen: { checked?: StoredVerification; document?: VerifiedDocument } = {},
) => {
  const { checked, document } = seen;
  const by = context.actor.userId;
  const at = context.now.toISOString();
  switch (decision.transition) {
    case 'verify': {
      const method = 'method' in decision ? decision.method : (checked?.source ?? 'manual');
      const note = 'note' in decision ? decision.note : checked?.note;
      return {
        verification: {
          by,
          at,
          method,
          ...(note ? { note } : {}),
          ...(checked ? { verificationId: checked.id } : {}),
          ...(document ? { document } : {}),
        },
      };
    }
    case 'reject':
      return { rejection: { by, at, reason: decision.reason } };
    case 'revoke':
      return { revocation: { by, at, reason: decision.reason } };
  }
};

/** A record that may verify the credential: of its staff member, about it (or the person), a match. */
const usableRecord = (credential: StoredCredential, record: StoredVerification | undefined) => {
  if (!record || record.subject.staffId !== credential.staffId) {
    throw new RuleViolation('No such verification record of this staff member', {});
  }
  const about = record.subject.credentialId;
  if (about !== undefined && about !== credential.id) {
    throw new RuleViolation('The verification record is about another credential', {
      verificationId: record.id,
    });
  }
  if (record.result !== 'match') {
    throw new RuleViolation('Only a matching check verifies a credential', {
      verificationId: record.id,
      result: record.result,
    });
  }
  return record;
};

export const createCredentialService = ({
  credentials,
  profiles,
  documents,
  verifications,
  newId = ulid,
}: CredentialServiceDeps) => {
  /** The uploaded document a verification looks at, fingerprinted; none when nothing was uploaded. */
  const documentSeen = async (credential: StoredCredential): Promise<VerifiedDocument | undefined> => {
    if (credential.documentKey === undefined) return undefined;
    const fingerprint = await documents.fingerprint(credential.documentKey);
    return fingerprint && { key: credential.documentKey, ...fingerprint };
  };

  /** The record a verify rests on: the one named, or a manual record of the older body. */
  const checkFor = async (
    context: ServiceContext,
    credential: StoredCredential,
    decision: CredentialDecision,
  ) => {
    if (decision.transition !== 'verify') return undefined;
    if ('verificationId' in decision) {
      return usableRecord(credential, await verifications.get(decision.verificationId));
    }
    // Written before the transition: the check happened even if the transition loses a race.
    return recordVerification(
      verifications,
      context,
      credential.ownerUserId,
      {
        subject: { staffId: credential.staffId, credentialId: credential.id },
        source: 'manual',
        sourceRef: decision.method,
        method: 'manual',
        result: 'match',
        ...(decision.note ? { note: decision.note } : {}),
      },
      newId,
    );
  };

  const ownerOf = async (staffId: string) => {
    const profile = await profiles.get(staffId);
    if (!profile) throw new NotFound('No such staff profile');
    return profile.userId;
  };

  const views = (page: Page<StoredCredential>): Page<Credential> => ({
    items: page.items.map(credentialView),
    next: page.next,
  });

  /**
   * The work queue names whose credential each is, as a UI shows it: readers of the queue
   * (credentialing, admin) read staff profiles anyway, so a name widens nothing.
   */
  const withStaffNames = async (page: Page<Credential>): Promise<Page<Credential>> => {
    const staffIds = [...new Set(page.items.map((credential) => credential.staffId))];
    // One batch read a page (a snapshot or a role change's delta lists the whole queue).
    const names = new Map((await profiles.getMany(staffIds)).map((profile) => [profile.id, profile.name]));
    return {
      ...page,
      items: page.items.map((credential) => {
        const staffName = names.get(credential.staffId);
        return staffName === undefined ? credential : { ...credential, staffName };
      }),
    };
  };

  return {
    create: async (
      context: ServiceContext,
      staffId: string,
      input: NewCredentialInput,
    ): Promise<Credential> => {
      const ownerUserId = await ownerOf(staffId);
      authorize(context.actor, 'create', { type: 'Credential', ownerUserId });
      const credential: StoredCredential = {
        ...input,
        id: newId(),
        staffId,
        ownerUserId,
        status: 'pending',
        expiryWarning: null,
        ...newEntityMeta(context),
      };
      await credentials.create(credential);
      return credentialView(credential);
    },

    get: async (context: ServiceContext, credentialId: string): Promise<Credential> =>
      credentialView(await visible(CREDENTIAL_LIFECYCLE, context, 'read', credentials.get(credentialId))),

    /** As `get`, for a credential already read (offline sync reads a page's in one batch). */
    show: async (context: ServiceContext, credential: StoredCredential): Promise<Credential> =>
      credentialView(await visible(CREDENTIAL_LIFECYCLE, context, 'read', Promise.resolve(credential))),

    listOfStaff: async (
      context: ServiceContext,
      staffId: string,
      status: CredentialStatus | undefined,
      page: PageRequest,
    ): Promise<Page<Credential>> => {
      authorize(context.actor, 'list', { type: 'Credential', ownerUserId: await ownerOf(staffId) });
      return views(await credentials.listOfStaff(staffId, status, page));
    },

    /** The work queue: by status (oldest first), or by expiry day from today (then by status too). */
    queue: async (
      context: ServiceContext,
      query: CredentialQueueFilters,
      page: PageRequest,
    ): Promise<Page<Credential>> => {
      authorize(context.actor, 'list', { type: 'Credential' });
      if (query.expiringWithinDays === undefined) {
        return withStaffNames(views(await credentials.listByStatus(query.status ?? 'pending', page)));
      }
      const today = dayOf(context.now);
      const window = { from: today, to: addDays(today, query.expiringWithinDays) };
      // The cursor is bound to the filters, so a position here came from this same branch.
      return withStaffNames(
        views(await listExpiring(credentials, window, query.status, page as PageRequest<ExpiringPosition>)),
      );
    },

    decide: async (context: ServiceContext, credentialId: string, decision: CredentialDecision) => {
      const name = decision.transition;
      const credential = await visible(CREDENTIAL_LIFECYCLE, context, name, credentials.get(credentialId));
      const rule = transitionFrom(CREDENTIAL_LIFECYCLE, name, credential.status);
      if (name === 'verify' && isPastExpiry(credential.expiryDate, dayOf(context.now))) {
        throw new RuleViolation('The credential expired before it was verified', {
          expiryDate: credential.expiryDate,
        });
      }
      const document = name === 'verify' ? await documentSeen(credential) : undefined;
      const uploaded =
        document && credential.document ? { document: { ...credential.document, status: 'uploaded' } } : {};
      const checked = await checkFor(context, credential, decision);
      const updated = await credentials
        .transition(credential, rule, {
          set: { ...recordOf(context, decision, { checked, document }), ...uploaded },
          meta: changeStampOf(context, name),
        })
        .catch(lostRace(CREDENTIAL_LIFECYCLE, { action: name }));
      return credentialView(updated);
    },
  };
};

export type CredentialService = ReturnType<typeof createCredentialService>;
