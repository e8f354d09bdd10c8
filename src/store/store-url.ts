/**
 * STORE_URL → which backend and where. `sqlite://data/x.sqlite` is relative to the working
 * directory, `sqlite:///abs/x.sqlite` absolute; Redis and Postgres URLs go to their drivers as-is.
 */
import path from 'node:path';

export type StoreLocation =
  | { kind: 'sqlite'; file: string }
  | { kind: 'redis'; url: string }
  | { kind: 'postgres'; url: string };

export function parseStoreUrl(url: string, cwd = process.cwd()): StoreLocation {
  const text = url.trim();
  if (text.startsWith('sqlite://')) {
    const rest = text.slice('sqlite://'.length);
    if (rest === '') throw new Error('STORE_URL: sqlite:// needs a file path, e.g. sqlite://data/handle-bot.sqlite');
    return { kind: 'sqlite', file: path.resolve(cwd, rest) };
  }
  if (/^rediss?:\/\//.test(text)) return { kind: 'redis', url: text };
  if (/^postgres(ql)?:\/\//.test(text)) return { kind: 'postgres', url: text };
  throw new Error('STORE_URL must start with sqlite://, redis://, rediss:// or postgres://');
}

/** The URL without credentials, for logs. */
export function describeLocation(location: StoreLocation): string {
  if (location.kind === 'sqlite') return `sqlite:${location.file}`;
  try {
    const u = new URL(location.url);
    if (u.password) u.password = '***';
    if (u.username) u.username = '***';
    return u.toString();
  } catch {
    return `${location.kind}://(unparseable url)`;
  }
}
