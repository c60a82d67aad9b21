/**
 * Adds `.openapi()` to every zod schema: each module that declares schemas imports this once
 * (`import '../zod-openapi.ts'`) beside `import * as z from 'zod'`.
 *
 * Why not one module re-exporting `z`: esbuild cannot tree-shake a namespace that is imported
 * and re-exported, so every function bundled all of zod — its 40-odd error-message locales
 * included, ~370 KB of a 770 KB bundle. A namespace imported where it is used is shaken to the
 * parts that module uses. For the same reason the extension gets the prototype, not the namespace.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { ZodType } from 'zod';

extendZodWithOpenApi({ ZodType } as unknown as Parameters<typeof extendZodWithOpenApi>[0]);
