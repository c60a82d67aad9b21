/**
 * Migration (CHANGELOG "Conversations name their participants"): conversations and their
 * memberships written before display names were stored get `participants` ({ id, name } in
 * `participantIds` order, names from the user pool). Idempotent: it writes only items that
 * still lack the field, so a partial run is finished by running it again.
 *
 * `node scripts/migrations/conversation-participant-names.ts` with the functions' environment
 * (MAIN_TABLE_NAME, USER_POOL_ID, AWS credentials); against the twin it reads
 * `<SHIFTLINE_DATA_DIR>/twin.json` (default .data) as `npm run redrive` does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type Participant = { id: string; name: string };

const loadTwinEnvironment = () => {
  const twinFile = join(resolve(process.env.SHIFTLINE_DATA_DIR ?? '.data'), 'twin.json');
  if (!existsSync(twinFile)) return;
  const { env = {} } = JSON.parse(readFileSync(twinFile, 'utf8')) as { env?: Record<string, string> };
  for (const [key, value] of Object.entries(env)) process.env[key] ??= value;
};

export const migrateConversationParticipantNames = async (): Promise<{ conversations: number }> => {
  // Imported once the environment is set: the data modules read it when first used.
  const { cognitoIdentity } = await import('#data/cognito-identity.ts');
  const { is } = await import('#data/conditions.ts');
  const { conversationEntity, membershipEntity } = await import('#data/entities/messaging.ts');
  const { messagingRepository } = await import('#data/messaging.ts');
  const { StaleWrite } = await import('#domain/repository.ts');
  const { lastActorOf, SYSTEM_ACTOR } = await import('#domain/context.ts');

  const context = { actor: SYSTEM_ACTOR, now: new Date(), requestId: `migration:${Date.now()}` };
  const change = (participants: Participant[]) => ({
    set: { participants, updatedAt: context.now.toISOString(), lastActor: lastActorOf(context, 'migrate') },
    increment: ['version'],
  });
  // An item someone else completed meanwhile (or a rerun) is already done.
  const unlessDone = (error: unknown) => {
    if (!(error instanceof StaleWrite)) throw error;
  };
  const names = new Map<string, string>();
  const nameOf = async (userId: string) => {
    if (!names.has(userId)) names.set(userId, (await cognitoIdentity.getUser(userId))?.name ?? '');
    return names.get(userId) ?? '';
  };

  const done = new Set<string>();
  let pageToken: string | undefined;
  do {
    const users = await cognitoIdentity.listUsers({ limit: 60, ...(pageToken ? { pageToken } : {}) });
    for (const user of users.users) {
      let position: Parameters<typeof messagingRepository.listMembershipsOfUser>[2];
      do {
        const page = await messagingRepository.listMembershipsOfUser(user.id, 100, position);
        for (const membership of page.items) {
          if (membership.participants !== undefined || done.has(membership.conversationId)) continue;
          done.add(membership.conversationId);
          const { conversationId, participantIds } = membership;
          const participants = await Promise.all(
            participantIds.map(async (id) => ({ id, name: await nameOf(id) })),
          );
          const pending = [is.present(), is.absent('participants')];
          await conversationEntity
            .update({ id: conversationId }, change(participants), pending)
            .catch(unlessDone);
          for (const member of await messagingRepository.listMembers(conversationId))
            await membershipEntity
              .update({ conversationId, userId: member.userId }, change(participants), pending)
              .catch(unlessDone);
        }
        position = page.next;
      } while (position !== undefined);
    }
    pageToken = users.nextPageToken;
  } while (pageToken !== undefined);
  return { conversations: done.size };
};

if (import.meta.main) {
  loadTwinEnvironment();
  const { conversations } = await migrateConversationParticipantNames();
  console.log(
    `conversation-participant-names: ${conversations} conversation(s) given their participants' names`,
  );
}
