/**
 * `node bench/bundles-table.ts`: only the bundle part of the bench (sizes and cold imports), as
 * its RESULTS.md table — for checking one function's bundle without the load workloads.
 */
import { measureBundles } from './bundles.ts';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const bundles = await measureBundles();
console.log(
  [
    '| function | entry | bundle | cold import (median) | cold import (best) |',
    '|---|---|---:|---:|---:|',
    ...bundles.map(
      (figure) =>
        `| ${figure.name} | \`${figure.entry}\` | ${kb(figure.bytes)}${figure.totalBytes > figure.bytes ? ` (${kb(figure.totalBytes)} with the chunks loaded on first use)` : ''} | ${figure.importMsMedian.toFixed(1)} ms | ${figure.importMsMin.toFixed(1)} ms |`,
    ),
  ].join('\n'),
);
