/**
 * The OIG LEIE in Main (shared/data/entities/credentialing.ts): a month's rows under
 * `LEIE#<month>`, written in BatchWriteItem batches of 25 (puts by month and row: a rerun writes
 * the same items), found by NPI or by name on sparse indexes; the import record is created once
 * and the active-month pointer never moves back, both after every batch is in.
 */
import type { ExclusionRepository } from '#domain/credentialing/ports.ts';
import { putItems } from './batch-write.ts';
import { is } from './conditions.ts';
import { leieActiveMonthEntity, leieExclusionEntity, leieImportEntity } from './entities/credentialing.ts';
import { applied } from './entity-writes.ts';

export const exclusionRepository: ExclusionRepository = {
  importOf: (month) => leieImportEntity.get({ month }, { consistent: true }),

  activeImport: async () => {
    const active = await leieActiveMonthEntity.get({}, { consistent: true });
    return active ? leieImportEntity.get({ month: active.month }, { consistent: true }) : undefined;
  },

  writeRows: (rows) =>
    putItems(
      rows.map((row) => leieExclusionEntity.item(row)),
      'LEIE batch write throttled; run the import again',
    ),

  complete: async (record) => {
    // A crashed earlier run may have created the record already: that is the same import.
    await applied(leieImportEntity.create(record));
    const activated = await applied(
      leieActiveMonthEntity.put({ month: record.month, importId: record.id, activatedAt: record.createdAt }, [
        is.any(is.absent('month'), is.atMost('month', record.month)),
      ]),
    );
    return { activated };
  },

  byNpi: (month, npi) => leieExclusionEntity.all.byNpi({ month, npi }),
  byName: (month, nameKey) => leieExclusionEntity.all.byName({ month, nameKey }),
};
