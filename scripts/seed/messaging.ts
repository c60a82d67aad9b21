/**
 * Demo messaging: a conversation between the demo recruiter and the demo staff member with a
 * short thread. Idempotent: the conversation is found by its subject in the recruiter's list,
 * and each message has a fixed clientMessageId, so a second run sends nothing new.
 */
import { messagingService as messaging } from '#shared/services/messaging.ts';
import type { DemoSeeder } from '../seed.ts';

const SUBJECT = 'Welcome to Shiftline';

const THREAD = [
  {
    from: 'recruiter',
    clientMessageId: 'demo-welcome-1',
    body: 'Welcome aboard! Your first shift is on the board.',
  },
  { from: 'staff', clientMessageId: 'demo-welcome-2', body: 'Thanks! Where do I pick up my badge?' },
  { from: 'recruiter', clientMessageId: 'demo-welcome-3', body: 'Front desk of the east wing, from 7am.' },
] as const;

const seedMessaging: DemoSeeder = async (demo) => {
  const recruiter = demo.as('recruiter');
  const existing = await messaging.listConversations(recruiter, { limit: 100 });
  const conversation =
    existing.items.find((item) => item.subject === SUBJECT) ??
    (await messaging.createConversation(recruiter, {
      participantIds: [demo.users.staff.id],
      subject: SUBJECT,
    }));
  let replyTo: string | undefined;
  for (const line of THREAD) {
    const message = await messaging.sendMessage(demo.as(line.from), conversation.id, {
      body: line.body,
      clientMessageId: line.clientMessageId,
      ...(replyTo ? { replyTo } : {}),
    });
    replyTo = message.id;
  }
};

export default seedMessaging;
