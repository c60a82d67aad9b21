import { RemovalPolicy } from 'aws-cdk-lib';
import {
  type Attribute,
  AttributeType,
  BillingMode,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IRole, PolicyDocument, PolicyStatement, StarPrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AUDIT_LEDGER_TABLE, type KeyAttribute, MAIN_TABLE, type TableDefinition } from '#data/tables.ts';
import { LEDGER_EXPIRY_ATTRIBUTES } from './access.ts';

/**
 * Writes the ledger refuses from every principal, the audit function's role included. UpdateItem
 * is denied by two statements of its own: of any attribute but the key and ttl, and to every
 * role but the archive's (onlyExpiredBy).
 */
export const LEDGER_DENIED_ACTIONS = [
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:PartiQLInsert',
];

const attribute = ({ name, type }: KeyAttribute): Attribute => ({
  name,
  type: type === 'N' ? AttributeType.NUMBER : AttributeType.STRING,
});

const tableFrom = (
  scope: Construct,
  definition: TableDefinition,
  key: IKey,
  resourcePolicy?: PolicyDocument,
) => {
  const table = new Table(scope, definition.id, {
    partitionKey: attribute(definition.partitionKey),
    sortKey: attribute(definition.sortKey),
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
    ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
    ...(definition.stream ? { stream: StreamViewType[definition.stream] } : {}),
    ...(resourcePolicy ? { resourcePolicy } : {}),
  });
  for (const index of definition.globalSecondaryIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: attribute(index.partitionKey),
      sortKey: attribute(index.sortKey),
    });
  }
  return table;
};

/** The Main table and the append-only AuditLedger, built from shared/data/tables.ts. */
export class Data extends Construct {
  readonly main: Table;
  readonly ledger: Table;

  constructor(scope: Construct, id: string, props: { key: IKey }) {
    super(scope, id);
    this.main = tableFrom(this, MAIN_TABLE, props.key);
    // A resource-policy Deny beats any Allow: nobody, not even an administrator's role, can
    // edit or delete a ledger entry without first removing this policy (a CloudTrail event).
    const appendOnly = new PolicyDocument({
      statements: [
        new PolicyStatement({
          sid: 'AppendOnly',
          effect: Effect.DENY,
          principals: [new StarPrincipal()],
          actions: LEDGER_DENIED_ACTIONS,
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'UpdatesOnlyExpire',
          effect: Effect.DENY,
          principals: [new StarPrincipal()],
          actions: ['dynamodb:UpdateItem'],
          resources: ['*'],
          conditions: { 'ForAnyValue:StringNotEquals': { 'dynamodb:Attributes': LEDGER_EXPIRY_ATTRIBUTES } },
        }),
      ],
    });
    this.ledger = tableFrom(this, AUDIT_LEDGER_TABLE, props.key, appendOnly);
  }

  /**
   * Only the audit consumer's role may put an entry. No condition key tells an overwrite from a
   * create, so the consumer's own puts stay conditional and the signed digests catch the rest.
   */
  onlyAppendedBy(role: IRole): void {
    this.ledger.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheAuditConsumerAppends',
        effect: Effect.DENY,
        principals: [new StarPrincipal()],
        actions: ['dynamodb:PutItem'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': role.roleArn } },
      }),
    );
  }

  /** Only the archive's role may update an entry, and then only its ttl (UpdatesOnlyExpire). */
  onlyExpiredBy(role: IRole): void {
    this.ledger.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheArchiveExpires',
        effect: Effect.DENY,
        principals: [new StarPrincipal()],
        actions: ['dynamodb:UpdateItem'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': role.roleArn } },
      }),
    );
  }
}
