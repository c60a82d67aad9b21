import type { BenchContext, BenchWorkload } from '../workloads.ts';
import { openDemoConversation } from './messaging.ts';

const CHANGES = 1000;
const PAGE = 100;

interface SyncPage {
  changes: { entityType: string }[];
  nextCursor: string;
  hasMore: boolean;
}

const syncPage = async ({ call, sessions }: BenchContext, since: string | undefined, limit: number) => {
  const query = `?limit=${limit}${since ? `&since=${encodeURIComponent(since)}` : ''}`;
  const page = await call('GET', `/sync${query}`, sessions.staff.idToken);
  if (page.status !== 200) throw new Error(`bench sync answered ${page.status}`);
  return page.body as SyncPage;
};

/** The demo staff member's cursor now: a snapshot read to its end. */
const cursorNow = async (context: BenchContext): Promise<string> => {
  let page = await syncPage(context, undefined, 200);
  while (page.hasMore) page = await syncPage(context, page.nextCursor, 200);
  return page.nextCursor;
};

/**
 * Waits until the notify consumer has handled the newest message (a conversation's records are
 * handled in order, so every earlier one is done; it moves the reader's `lastMessageAt` while
 * it logs the message), then past the reader's settle time.
 */
const loggedMessages = async ({ call, sessions }: BenchContext, conversationId: string, newest: string) => {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const read = await call('GET', `/conversations/${conversationId}`, sessions.staff.idToken);
    if (((read.body as { lastMessageAt?: string }).lastMessageAt ?? '') >= newest) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`bench sync: the message sent at ${newest} not handled in time`);
};

export const SYNC_WORKLOADS: readonly BenchWorkload[] = [
  {
    name: `GET /sync (a page of ${PAGE} from ${CHANGES} pending changes: feed Query + the items read in batches)`,
    restsOn: `Query (${PAGE + 1} entries) + the page's items in batches (BatchGetItem per kind; a conversation's messages one Query over their ids, its membership and members read once)`,
    prepare: async (context) => {
      const { call, sessions } = context;
      const cursor = await cursorNow(context);
      const id = await openDemoConversation(context, 'Bench sync');
      // Ten sends at a time: the log's order is the order of the notify consumer's writes.
      let newest = '';
      for (let index = 0; index < CHANGES; index += 10) {
        const sent = await Promise.all(
          Array.from({ length: 10 }, (_, offset) =>
            call('POST', `/conversations/${id}/messages`, sessions.recruiter.idToken, {
              body: `sync ${index + offset}`,
            }),
          ),
        );
        for (const { body } of sent) {
          const sentAt = (body as { sentAt?: string }).sentAt ?? '';
          if (sentAt > newest) newest = sentAt;
        }
      }
      await loggedMessages(context, id, newest);
      // The same cursor every time: the first page of the 1,000 changes since it.
      return {
        method: 'GET',
        path: `/sync?limit=${PAGE}&since=${encodeURIComponent(cursor)}`,
        token: sessions.staff.idToken,
      };
    },
  },
];
