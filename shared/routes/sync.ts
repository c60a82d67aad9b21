import { SyncPageSchema, SyncQuerySchema } from '#domain/schemas/sync.ts';
import type { RouteDefinition } from '../routes.ts';
import { SIGNED_IN } from './access.ts';

const tag = 'Sync';

// Any signed-in user syncs what they may see: each change is re-checked against the policy as
// the REST route would check it (shared/domain/sync/service.ts).
export const SYNC_ROUTES = [
  {
    method: 'GET',
    path: '/sync',
    operationId: 'sync',
    summary: "The caller's changes since a cursor, oldest first, for offline clients",
    tag,
    fn: 'sync',
    ...SIGNED_IN,
    request: { query: SyncQuerySchema },
    responses: {
      200: {
        description:
          'A page of changes, oldest first (a change is not an item: not the `{ items }` list shape). Keep asking with `since` = nextCursor while hasMore.',
        schema: SyncPageSchema,
      },
    },
    problems: [410],
  },
] as const satisfies readonly RouteDefinition[];
