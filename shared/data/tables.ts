/**
 * Table and index definitions, declared once: the CDK stack builds its tables from these,
 * the local twin creates them in DynamoDB Local from the same objects.
 */
export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
}

export interface TableDefinition {
  /** Logical name: the CloudFormation id and, locally, the default table name. */
  id: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  globalSecondaryIndexes: readonly IndexDefinition[];
  timeToLiveAttribute?: string;
  stream?: 'NEW_AND_OLD_IMAGES';
}

const s = (name: string): KeyAttribute => ({ name, type: 'S' });

/** Main's indexes by purpose: repositories name them through this, never as strings. */
export const MAIN_INDEX = { byOwner: 'gsi1', byExpiryDay: 'gsi2', byStatus: 'gsi3' } as const;

/** Single table: every entity, auxiliary item, connection, idempotency record and access event. */
export const MAIN_TABLE = {
  id: 'Main',
  partitionKey: s('pk'),
  sortKey: s('sk'),
  globalSecondaryIndexes: [
    // Lists by owner / status / parent.
    { indexName: MAIN_INDEX.byOwner, partitionKey: s('gsi1pk'), sortKey: s('gsi1sk') },
    // Sparse: credentials with an expiry date, bucketed by day (EXP#YYYY-MM-DD).
    { indexName: MAIN_INDEX.byExpiryDay, partitionKey: s('gsi2pk'), sortKey: s('gsi2sk') },
    // Work queues by status (e.g. pending credentials across all staff): an item is listed by
    // its owner on gsi1 and by its status here, which one index cannot do for both.
    { indexName: MAIN_INDEX.byStatus, partitionKey: s('gsi3pk'), sortKey: s('gsi3sk') },
  ],
  timeToLiveAttribute: 'ttl',
  stream: 'NEW_AND_OLD_IMAGES',
} as const satisfies TableDefinition;

/** Append-only hash chain per entity; indexed by actor + time and entity type + day. */
export const AUDIT_LEDGER_TABLE = {
  id: 'AuditLedger',
  partitionKey: s('pk'),
  sortKey: s('sk'),
  globalSecondaryIndexes: [
    { indexName: 'byActor', partitionKey: s('actorKey'), sortKey: s('atKey') },
    { indexName: 'byTypeDay', partitionKey: s('typeDayKey'), sortKey: s('atKey') },
  ],
} as const satisfies TableDefinition;

export const TABLES = [MAIN_TABLE, AUDIT_LEDGER_TABLE] as const;

/** The attribute definitions a CreateTable call (or CfnTable) needs: every key attribute once. */
export const keyAttributesOf = (table: TableDefinition): KeyAttribute[] => {
  const all = [
    table.partitionKey,
    table.sortKey,
    ...table.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return [...new Map(all.map((attribute) => [attribute.name, attribute])).values()];
};
