/**
 * Staff profiles in Main: the profile and its user link, created together
 * (shared/data/entities/staff.ts). Each function is one DynamoDB call or one transaction.
 */
import { Conflict, NotFound, PreconditionFailed } from '#domain/errors.ts';
import { StaleWrite } from '#domain/repository.ts';
import type { CredentialingFilter, StaffProfileRepository } from '#domain/staff/ports.ts';
import { profileTerms } from '#domain/staff/search-terms.ts';
import { type Clause, is } from './conditions.ts';
import { staffProfileEntity, staffProfileLinkEntity } from './entities/staff.ts';
import { termWrites } from './staff-search.ts';
import { TransactionRefused, transact } from './transact.ts';

/** A status filter on the list's Query (a page may come back short; its cursor goes on). */
const credentialingClauses = (filter: CredentialingFilter | undefined): Clause[] => {
  if (filter === undefined) return [];
  if (filter.stored === 'none') return [is.absent('credentialingStatus')];
  return [
    is.equal('credentialingStatus', filter.stored),
    ...(filter.dueAfter ? [is.above('recredentialDueAt', filter.dueAfter)] : []),
    ...(filter.dueAtMost ? [is.atMost('recredentialDueAt', filter.dueAtMost)] : []),
  ];
};

export const staffProfileRepository: StaffProfileRepository = {
  create: async (profile) => {
    const link = { userId: profile.userId, staffId: profile.id, createdAt: profile.createdAt };
    try {
      await transact([
        staffProfileEntity.ops.create(profile),
        staffProfileLinkEntity.ops.create(link),
        ...termWrites([], profileTerms(profile)),
      ]);
    } catch (error) {
      if (error instanceof TransactionRefused && error.failedAt(1))
        throw new Conflict('This user already has a staff profile', 'exists');
      throw error;
    }
  },

  get: (staffId) => staffProfileEntity.get({ id: staffId }, { consistent: true }),

  getMany: (staffIds) => staffProfileEntity.getMany(staffIds.map((id) => ({ id }))),

  profileIdOfUser: async (userId) =>
    (await staffProfileLinkEntity.get({ userId }, { consistent: true }))?.staffId,

  // One UpdateItem, or a transaction with the search terms when the name or NPI changes.
  update: async (previous, next) => {
    const terms = termWrites(profileTerms(previous), profileTerms(next));
    const unchanged = previous.name === next.name && previous.npi === next.npi;
    try {
      if (unchanged) await staffProfileEntity.patch(previous, next, [is.equal('version', previous.version)]);
      else
        await transact([staffProfileEntity.ops.put(next, [is.equal('version', previous.version)]), ...terms]);
    } catch (error) {
      const current = error instanceof TransactionRefused ? error.failedAt(0) : undefined;
      if (!(error instanceof StaleWrite) && current === undefined) throw error;
      if ((error instanceof StaleWrite ? error.current : current?.current) === undefined)
        throw new NotFound('No such staff profile');
      throw new PreconditionFailed();
    }
  },

  list: (filters, page) => {
    const filtered = { ...page, filter: credentialingClauses(filters.credentialing) };
    return filters.specialty === undefined
      ? staffProfileEntity.query.all({ isActive: filters.active }, filtered)
      : staffProfileEntity.query.bySpecialty(
          { specialty: filters.specialty, isActive: filters.active },
          filtered,
        );
  },
};
