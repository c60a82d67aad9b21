/**
 * `npm test`: every test level (unit, infra, integration, e2e) in one vitest run, after
 * making sure the system packages the integration and e2e levels need are installed.
 */
import { spawnSync } from 'node:child_process';
import { ensureSystem } from './ensure-system.ts';

ensureSystem(['java', 'chromium']);
const result = spawnSync('vitest', ['run', ...process.argv.slice(2)], { stdio: 'inherit', shell: false });
process.exit(result.status ?? 1);
