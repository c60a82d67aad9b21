import type { BenchContext, BenchWorkload } from '../workloads.ts';

/** A new conversation the demo recruiter opens with the demo staff member: its id. */
export const openDemoConversation = async (
  { call, sessions }: BenchContext,
  subject: string,
): Promise<string> => {
  const opened = await call('POST', '/conversations', sessions.recruiter.idToken, {
    participantIds: [sessions.staff.userId],
    subject,
  });
  if (opened.status !== 201) throw new Error(`bench conversation not opened: ${opened.status}`);
  return (opened.body as { id: string }).id;
};

/** A conversation between the demo recruiter and the demo staff member, with `messages` in it. */
const conversationWith = async (context: BenchContext, messages: number): Promise<string> => {
  const { call, sessions } = context;
  const id = await openDemoConversation(context, 'Bench');
  for (let index = 0; index < messages; index += 1) {
    await call('POST', `/conversations/${id}/messages`, sessions.recruiter.idToken, {
      body: `bench ${index}`,
    });
  }
  return id;
};

export const MESSAGING_WORKLOADS: readonly BenchWorkload[] = [
  {
    name: 'POST /conversations/{id}/messages (send: membership GetItem + one conditional Put)',
    restsOn: 'GetItem + conditional Put',
    prepare: async (context) => {
      const id = await conversationWith(context, 0);
      return {
        method: 'POST',
        path: `/conversations/${id}/messages`,
        token: context.sessions.staff.idToken,
        body: { body: 'On my way', clientMessageId: 'bench-0' },
        // Each request is a new message: the same clientMessageId would be a retry of the first.
        vary: (body, sequence) => ({
          ...(body as object),
          clientMessageId: `bench-${process.pid}-${sequence}`,
        }),
      };
    },
  },
  {
    name: 'GET /conversations/{id}/messages (20 newest, with read receipts)',
    restsOn: 'GetItem + Query (20 items) + Query (members)',
    prepare: async (context) => {
      const id = await conversationWith(context, 20);
      return {
        method: 'GET',
        path: `/conversations/${id}/messages?limit=20`,
        token: context.sessions.staff.idToken,
      };
    },
  },
];
