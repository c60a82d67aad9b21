/**
 * Migration (CHANGELOG "Presence items"): connections registered before presence items existed
 * are added to their user's `LIVE#<sub>` item, so that a send (one BatchGetItem of the
 * participants' presence items) reaches them. Connections live at most 2 h, so this matters only
 * right after the deploy; run it then. Idempotent: it adds only entries the item still lacks.
 *
 * `node scripts/migrations/connection-presence.ts` with the functions' environment
 * (MAIN_TABLE_NAME, AWS credentials); against the twin it reads
 * `<SHIFTLINE_DATA_DIR>/twin.json` (default .data) as `npm run redrive` does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const loadTwinEnvironment = () => {
  const twinFile = join(resolve(process.env.SHIFTLINE_DATA_DIR ?? '.data'), 'twin.json');
  if (!existsSync(twinFile)) return;
  const { env = {} } = JSON.parse(readFileSync(twinFile, 'utf8')) as { env?: Record<string, string> };
  for (const [key, value] of Object.entries(env)) process.env[key] ??= value;
};

export const migrateConnectionPresence = async (): Promise<{ connections: number }> => {
  // Imported once the environment is set: the data modules read it when first used.
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  const { documentClient } = await import('#data/client.ts');
  const { is } = await import('#data/conditions.ts');
  const { connectionEntity, presenceAttribute, presenceEntity } = await import(
    '#data/entities/connections.ts'
  );
  const { applied } = await import('#data/entity-writes.ts');
  const { requireEnv } = await import('#runtime/config.ts');

  const nowSeconds = Math.floor(Date.now() / 1000);
  let added = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    // Connections have no index of their own: one pass over the table, once, at the deploy.
    const page = await documentClient.send(
      new ScanCommand({
        TableName: requireEnv('mainTable'),
        FilterExpression: '#kind = :kind',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':kind': connectionEntity.kind },
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const { connectionId, userId, roles, ttl, issuedAt, originJti } = connectionEntity.record(item);
      if (ttl <= nowSeconds) continue;
      const attribute = presenceAttribute(connectionId);
      const entry = { connectionId, userId, roles, ttl, issuedAt, originJti };
      const change = {
        set: { kind: presenceEntity.kind, userId, [attribute]: JSON.parse(JSON.stringify(entry)) },
      };
      if (await applied(presenceEntity.update({ userId }, change, [is.absent(attribute)]))) added += 1;
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  return { connections: added };
};

if (import.meta.main) {
  loadTwinEnvironment();
  const { connections } = await migrateConnectionPresence();
  console.log(`connection-presence: ${connections} connection(s) added to their user's presence item`);
}
