/**
 * Primary-source checks of one staff member now (`POST /staff/{id}/checks/{source}`): the
 * source answers through the one PrimarySource interface, its raw answer is kept as evidence
 * (SHA-256 and object key), and the outcome becomes an immutable verification record. A source
 * that cannot be reached leaves an `error` record, so the attempt is on file too.
 */
import { ulid } from 'ulid';
import type { ServiceContext } from '../context.ts';
import type { CredentialRepository, StoredCredential } from '../credentials/ports.ts';
import { DependencyUnavailable, NotFound } from '../errors.ts';
import { authorize } from '../policy.ts';
import type { Verification } from '../schemas/credentialing.ts';
import type { StaffProfileRepository, StoredStaffProfile } from '../staff/ports.ts';
import type { EvidenceStore, VerificationRepository } from './ports.ts';
import type { CheckSubject, PrimarySource } from './sources.ts';
import { type CheckOutcome, recordVerification, verificationView } from './verifications.ts';

export interface CheckServiceDeps {
  verifications: VerificationRepository;
  profiles: Pick<StaffProfileRepository, 'get'>;
  credentials: Pick<CredentialRepository, 'listOfStaff'>;
  evidence: EvidenceStore;
  sources: Readonly<Record<string, PrimarySource>>;
  newId?: () => string;
}

/** Every active credential of the staff member, page by page. */
export const activeCredentialsOf = async (
  credentials: Pick<CredentialRepository, 'listOfStaff'>,
  staffId: string,
): Promise<StoredCredential[]> => {
  const all: StoredCredential[] = [];
  let position: Record<string, unknown> | undefined;
  do {
    const page = await credentials.listOfStaff(staffId, 'active', { limit: 100, position });
    all.push(...page.items);
    position = page.next;
  } while (position);
  return all;
};

export const createCheckService = ({
  verifications,
  profiles,
  credentials,
  evidence,
  sources,
  newId = ulid,
}: CheckServiceDeps) => {
  /** Asks the source; its answer as a record's outcome, or an `error` outcome when unreachable. */
  const ask = async (source: PrimarySource, subject: CheckSubject): Promise<CheckOutcome> => {
    const about = { subject: { staffId: subject.profile.id }, source: source.source, method: source.method };
    try {
      const answer = await source.check(subject);
      const kept = await evidence.keep(source.source, answer.snapshot);
      return {
        ...about,
        result: answer.result,
        sourceRef: answer.sourceRef,
        evidence: kept,
        ...(answer.differences ? { differences: answer.differences } : {}),
      };
    } catch (error) {
      if (!(error instanceof DependencyUnavailable)) throw error;
      return { ...about, result: 'error', sourceRef: `${source.source} unavailable` };
    }
  };

  /** Asks the source about the profile and records the outcome, as whoever the context names. */
  const screen = async (context: ServiceContext, profile: StoredStaffProfile, sourceName: string) => {
    const source = sources[sourceName];
    if (!source) throw new NotFound('No such source');
    const subject = { profile, activeCredentials: await activeCredentialsOf(credentials, profile.id) };
    const outcome = await ask(source, subject);
    return verificationView(await recordVerification(verifications, context, profile.userId, outcome, newId));
  };

  return {
    run: async (context: ServiceContext, staffId: string, sourceName: string): Promise<Verification> => {
      const profile = await profiles.get(staffId);
      if (!profile) throw new NotFound('No such staff profile');
      authorize(context.actor, 'check', { type: 'Verification', ownerUserId: profile.userId });
      return screen(context, profile, sourceName);
    },

    /** The system's screen (monitoring): no caller to authorize. */
    screen,
  };
};

export type CheckService = ReturnType<typeof createCheckService>;
