import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ACKNOWLEDGEMENTS, acknowledge } from './nag.ts';

/**
 * AWS Backup of the tables beside their 35-day point-in-time recovery: daily backups kept
 * 35 days and monthly ones kept a year, in their own encrypted vault, surviving the table.
 */
export class Backup extends Construct {
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: { key: IKey; tables: ITable[] }) {
    super(scope, id);
    const vault = new BackupVault(this, 'Vault', {
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.plan = new BackupPlan(this, 'Plan', {
      backupPlanName: `${Stack.of(this).stackName}-tables`,
      backupVault: vault,
      backupPlanRules: [BackupPlanRule.daily(), BackupPlanRule.monthly1Year()],
    });
    const selection = this.plan.addSelection('Tables', {
      resources: props.tables.map((table) => BackupResource.fromArn(table.tableArn)),
    });
    acknowledge(selection, ACKNOWLEDGEMENTS.backupServiceRole);
  }
}
