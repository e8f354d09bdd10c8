/**
 * Where handle-bot's own folder is, and how relative paths in the configuration are read.
 * DATA_DIR and a relative `sqlite://` path are resolved against handle-bot's folder (the one
 * holding its package.json), never against the working directory: started from any folder —
 * `npm start`, `npx handle-bot`, a service manager — the bot finds the same database next to the
 * same secret, instead of silently creating a new pair where it happened to be started.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** handle-bot's folder: the nearest parent of this module with handle-bot's package.json (src/ under tsx, dist/src/ compiled). */
export function appRoot(): string {
  if (root !== undefined) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && isHandleBotManifest(manifest)) return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) return (root = process.cwd()); // not installed as a package: fall back to the working folder
    dir = parent;
  }
}

function isHandleBotManifest(file: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown }).name === 'handle-bot';
  } catch {
    return false;
  }
}

/** A configured path, absolute: relative ones are read from handle-bot's folder. */
export function resolveFromApp(value: string): string {
  return path.resolve(appRoot(), value);
}

/** The database file inside the data folder when STORE_URL is not set. */
export const DEFAULT_DATABASE_FILE = 'handle-bot.sqlite';

/** STORE_URL with a relative SQLite path made absolute (read from handle-bot's folder); other URLs unchanged. */
export function absoluteStoreUrl(url: string): string {
  if (!url.startsWith('sqlite://')) return url;
  const file = url.slice('sqlite://'.length);
  if (file === '' || path.isAbsolute(file)) return url;
  return `sqlite://${resolveFromApp(file)}`;
}
