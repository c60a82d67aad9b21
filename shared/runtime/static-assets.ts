/**
 * Static files a function serves from npm packages (no CDN): from DOCS_ASSETS_DIR (the bundle's
 * flat copy, set by the stack) or else from each package's own directory. Only the listed files
 * are served, by their base name; each is read once per cold start.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssetCopy } from '#shared/functions.ts';
import { optionalEnv } from './config.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
};

export const contentTypeOf = (file: string): string =>
  CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

const isText = (contentType: string): boolean =>
  contentType.startsWith('text/') || contentType.startsWith('application/json');

export interface StaticAsset {
  contentType: string;
  /** Text as a string, binary as bytes (sent base64). */
  body: string | Uint8Array;
}

// Bundles get a `createRequire` banner from the stack, so this module resolves with import.meta.
const packageDir = (name: string): string =>
  dirname(fileURLToPath(import.meta.resolve(`${name}/package.json`)));

export const staticAssets = (copies: readonly AssetCopy[]) => {
  const sources = new Map<string, { fromPackage: string; file: string }>();
  for (const copy of copies)
    for (const file of copy.files) sources.set(basename(file), { fromPackage: copy.fromPackage, file });
  const cache = new Map<string, Promise<StaticAsset>>();

  return {
    files: [...sources.keys()] as readonly string[],
    /** The asset, or undefined when it is not on the list. */
    read: (name: string): Promise<StaticAsset> | undefined => {
      const source = sources.get(name);
      if (source === undefined) return undefined;
      const dir = optionalEnv('docsAssetsDir');
      const path = dir === undefined ? join(packageDir(source.fromPackage), source.file) : join(dir, name);
      let asset = cache.get(path);
      if (asset === undefined) {
        const contentType = contentTypeOf(name);
        asset = readFile(path).then((bytes) => ({
          contentType,
          body: isText(contentType) ? bytes.toString('utf8') : new Uint8Array(bytes),
        }));
        // A failed read is not cached: the next request tries again.
        asset.catch(() => cache.delete(path));
        cache.set(path, asset);
      }
      return asset;
    },
  };
};
