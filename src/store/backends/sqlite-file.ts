/**
 * One better-sqlite3 connection to the store file, opened on first use and reopened after a
 * failure, so a file that cannot be opened now (folder missing or read-only, path taken by a
 * directory) fails that call and works again once the problem is fixed — no restart.
 *
 * Durability: WAL with synchronous=NORMAL. In WAL mode a commit is written (write(2)) to the
 * -wal file before the statement returns, so once a write is acknowledged it is in the kernel's
 * page cache and survives any death of this process, SIGKILL included (the next opening
 * replays the WAL; test/store/store.processes.test.ts kills a writer to check). What NORMAL
 * gives up is a power cut or kernel crash, which can lose the last commits (never corrupt the
 * file). FULL would fsync on every commit: measured here ~3 ms per write instead of ~0.07 ms,
 * on the path of every claimOnce (delivery dedupe), while holding the file's write lock.
 * Switch to FULL here if the host's power is a bigger risk than that.
 * A 5 s busy timeout lets several processes share the file without SQLITE_BUSY failures.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

const BUSY_TIMEOUT_MS = 5000;
/** Expired rows (claims) are deleted every this many writes; keyv itself only drops them when read. */
const SWEEP_EVERY_WRITES = 500;
/** Errors that say nothing about the connection itself: keep it. */
const TRANSIENT = /^SQLITE_(BUSY|LOCKED|CONSTRAINT)/;

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Switches the file to WAL (a persistent property of the file, so only its very first opening
 * does anything). SQLite answers SQLITE_BUSY to this switch at once, without its busy handler,
 * when another process holds a lock — as when two processes open a new file together — so it
 * is retried here for up to the busy timeout.
 */
function enableWal(db: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 10 + Math.random() * 20); // a synchronous pause: opening is synchronous
    }
  }
}

export class SqliteFile {
  #db: Database.Database | undefined;
  #statements = new Map<string, Database.Statement>();
  #writes = 0;

  constructor(
    readonly file: string,
    readonly table: string,
  ) {
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(table)) throw new Error(`invalid SQLite table name: ${table}`);
  }

  #open(): Database.Database {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const db = new Database(this.file, { timeout: BUSY_TIMEOUT_MS });
    try {
      enableWal(db);
      db.pragma('synchronous = NORMAL');
      db.exec(`CREATE TABLE IF NOT EXISTS ${this.table} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, expires INTEGER) WITHOUT ROWID`);
      db.exec(`CREATE INDEX IF NOT EXISTS ${this.table}_expires ON ${this.table} (expires) WHERE expires IS NOT NULL`);
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  }

  #drop(): void {
    const db = this.#db;
    this.#db = undefined;
    this.#statements.clear();
    try {
      db?.close();
    } catch {
      // already unusable; the next call opens a fresh connection
    }
  }

  /** Runs `use` with a prepared statement for `sql` (`{t}` stands for the table name). */
  run<T>(sql: string, use: (statement: Database.Statement) => T): T {
    try {
      this.#db ??= this.#open();
      let statement = this.#statements.get(sql);
      if (!statement) {
        statement = this.#db.prepare(sql.replaceAll('{t}', this.table));
        this.#statements.set(sql, statement);
      }
      return use(statement);
    } catch (error) {
      if (!TRANSIENT.test(String((error as { code?: unknown }).code))) this.#drop();
      throw error;
    }
  }

  /** Counts a write; now and then deletes rows whose expiry has passed. */
  wrote(): void {
    this.#writes += 1;
    if (this.#writes % SWEEP_EVERY_WRITES !== 0) return;
    try {
      this.run('DELETE FROM {t} WHERE expires IS NOT NULL AND expires <= ?', (s) => s.run(Date.now()));
    } catch {
      // housekeeping only: the next sweep tries again
    }
  }

  close(): void {
    this.#drop();
  }
}
