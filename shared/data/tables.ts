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

/**
 * Main's global secondary indexes, named in code by what they hold. The physical names stay
 * `gsi1..3`: renaming an index is a destructive deployment (CloudFormation allows one index
 * change per update) and the twin never alters an existing table. Entities declare their own
 * index names (shared/data/entities/*) as aliases of these.
 */
export const MAIN_INDEX = {
  /** gsi1: items listed under a parent — an owner's contracts, a conversation's messages, a user's connections. */
  byParent: { indexName: 'gsi1', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk') },
  /** gsi2 (sparse): credentials by expiry day, `EXP#YYYY-MM-DD`. */
  byExpiryDay: { indexName: 'gsi2', partitionKey: s('gsi2pk'), sortKey: s('gsi2sk') },
  /**
   * gsi3: every item of a kind, by status or time (work queues, admin lists): an item listed
   * under its parent on gsi1 is listed with its kind here, which one index cannot do for both.
   */
  byKind: { indexName: 'gsi3', partitionKey: s('gsi3pk'), sortKey: s('gsi3sk') },
} as const satisfies Record<string, IndexDefinition>;

export type MainIndexName = keyof typeof MAIN_INDEX;

/** Single table: every entity, auxiliary item, connection, idempotency record and access event. */
export const MAIN_TABLE = {
  id: 'Main',
  partitionKey: s('pk'),
  sortKey: s('sk'),
  globalSecondaryIndexes: Object.values(MAIN_INDEX),
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
  // Set by ledgerArchive alone, once a day is exported to the locked bucket (never on a chain's newest).
  timeToLiveAttribute: 'ttl',
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
