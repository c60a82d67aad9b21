/**
 * `node bench/bundles-table.ts`: only the bundle part of the bench (sizes, cold imports and where
 * an import's time goes), as its RESULTS.md tables — for checking one function's bundle without
 * the load workloads.
 */
import { bundleTables, measureBundles } from './bundles.ts';

console.log(bundleTables(await measureBundles()).join('\n'));
