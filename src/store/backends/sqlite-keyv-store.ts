/**
 * A keyv store over SqliteFile: one instance per keyv namespace, all sharing the connection.
 * keyv prefixes keys with `<namespace>:`; `clear()` deletes only that prefix. Expiry is kept
 * in its own column so expired rows can be swept (keyv also checks it on read).
 */
import { EventEmitter } from 'node:events';
import type { StoredData } from 'keyv';
import { prefixRange } from '../layout.js';
import type { SqliteFile } from './sqlite-file.js';

export class SqliteKeyvStore extends EventEmitter {
  readonly opts = { dialect: 'better-sqlite3' };
  namespace?: string | undefined;

  constructor(private readonly file: SqliteFile) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const row = (await this.file.run('SELECT value FROM {t} WHERE key = ? AND (expires IS NULL OR expires > ?)', (s) =>
      s.get(key, Date.now()),
    )) as { value: string } | undefined;
    return row?.value as StoredData<Value> | undefined;
  }

  getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    return Promise.all(keys.map((key) => this.get<Value>(key)));
  }

  async set(key: string, value: unknown, ttl?: number): Promise<void> {
    if (typeof value !== 'string') throw new TypeError('SqliteKeyvStore stores serialized (string) values');
    const expires = typeof ttl === 'number' && ttl > 0 ? Date.now() + ttl : null;
    await this.file.run(
      'INSERT INTO {t} (key, value, expires) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires',
      (s) => s.run(key, value, expires),
    );
    this.file.wrote();
  }

  async delete(key: string): Promise<boolean> {
    return (await this.file.run('DELETE FROM {t} WHERE key = ?', (s) => s.run(key))).changes > 0;
  }

  has(key: string): Promise<boolean> {
    return this.get(key).then((value) => value !== undefined);
  }

  async clear(): Promise<void> {
    if (!this.namespace) throw new Error('refusing to clear a SQLite store without a namespace');
    const [low, high] = prefixRange(`${this.namespace}:`);
    await this.file.run('DELETE FROM {t} WHERE key >= ? AND key < ?', (s) => s.run(low, high));
  }
}
