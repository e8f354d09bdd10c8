/**
 * One better-sqlite3 connection to the store file, opened on first use and reopened after a
 * failure, so a file that cannot be opened now (folder missing or read-only, path taken by a
 * directory) fails that call and works again once the problem is fixed — no restart.
 *
 * Waiting for a lock never blocks the event loop. better-sqlite3 is synchronous: with SQLite's
 * own busy timeout, a write lock held by another process (a backup, a `sqlite3` shell, another
 * replica mid-transaction) froze the whole process — every ack, every front door — for the
 * timeout, and the store's deadline could not fire. So SQLite's busy timeout is 0 (a locked
 * file answers SQLITE_BUSY at once) and a call that meets a lock waits on a timer for it to be
 * free again, up to `waitMs` (the store's deadline). Reads never wait in WAL mode, so they go
 * on being answered meanwhile. bench/sqlite-wait/run.ts measured this against running the
 * connection on a worker thread (see the README there for the figures and why this one).
 *
 * Durability: WAL with synchronous=NORMAL. In WAL mode a commit is written (write(2)) to the
 * -wal file before the statement returns, so once a write is acknowledged it is in the kernel's
 * page cache and survives any death of this process, SIGKILL included (the next opening
 * replays the WAL; test/store/store.processes.test.ts kills a writer to check). What NORMAL
 * gives up is a power cut or kernel crash, which can lose the last commits (never corrupt the
 * file). FULL would fsync on every commit: measured here ~3 ms per write instead of ~0.07 ms,
 * on the path of every claimOnce (delivery dedupe), while holding the file's write lock.
 * Switch to FULL here if the host's power is a bigger risk than that.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';

/** Longest pause between two attempts on a locked file: how late we notice it is free again. */
const MAX_RETRY_DELAY_MS = 50;
/** Expired rows (claims) are deleted every this many writes; keyv itself only drops them when read. */
const SWEEP_EVERY_WRITES = 500;
/** Another connection holds a lock we need: worth trying again shortly. */
const BUSY = /^SQLITE_BUSY/;
/** Errors that say nothing about the connection itself: keep it. */
const TRANSIENT = /^SQLITE_(BUSY|LOCKED|CONSTRAINT)/;

const codeOf = (error: unknown) => String((error as { code?: unknown }).code);

export class SqliteFile {
  #db: Database.Database | undefined;
  #statements = new Map<string, Database.Statement>();
  #writes = 0;
  /** Calls waiting for a lock held elsewhere, and the promise that wakes them. */
  #waiting = 0;
  #free: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(
    readonly file: string,
    readonly table: string,
    /** How long one call may wait for a lock held elsewhere before it fails with SQLITE_BUSY. */
    readonly waitMs: number,
  ) {
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(table)) throw new Error(`invalid SQLite table name: ${table}`);
  }

  #open(): Database.Database {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const db = new Database(this.file, { timeout: 0 });
    try {
      // WAL is a persistent property of the file: only its very first opening switches it.
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(`CREATE TABLE IF NOT EXISTS ${this.table} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, expires INTEGER) WITHOUT ROWID`);
      db.exec(`CREATE INDEX IF NOT EXISTS ${this.table}_expires ON ${this.table} (expires) WHERE expires IS NOT NULL`);
    } catch (error) {
      // Opening half-way (e.g. SQLITE_BUSY while another process creates the file) starts over next time.
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

  #runOnce<T>(sql: string, use: (statement: Database.Statement) => T): T {
    try {
      this.#db ??= this.#open();
      let statement = this.#statements.get(sql);
      if (!statement) {
        statement = this.#db.prepare(sql.replaceAll('{t}', this.table));
        this.#statements.set(sql, statement);
      }
      return use(statement);
    } catch (error) {
      if (!TRANSIENT.test(codeOf(error))) this.#drop();
      throw error;
    }
  }

  /**
   * Runs `use` with a prepared statement for `sql` (`{t}` stands for the table name). While the
   * file is locked elsewhere it waits — without blocking — for up to `waitMs`, then fails with
   * the SQLITE_BUSY it got.
   */
  async run<T>(sql: string, use: (statement: Database.Statement) => T): Promise<T> {
    const giveUpAt = Date.now() + this.waitMs;
    for (;;) {
      try {
        return this.#runOnce(sql, use);
      } catch (error) {
        const left = giveUpAt - Date.now();
        if (!BUSY.test(codeOf(error)) || left <= 0) throw error;
        this.#waiting += 1;
        try {
          if (!(await this.#untilFree(left))) throw error;
        } finally {
          this.#waiting -= 1;
        }
      }
    }
  }

  /** true once the lock looks free again, false after `ms`. */
  #untilFree(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => { timer = setTimeout(() => { resolve(false); }, ms); });
    return Promise.race([this.#lockFreed().then(() => true), expired]).finally(() => { clearTimeout(timer); });
  }

  /**
   * Resolves when the write lock can be taken again. However many calls wait, one loop probes
   * (BEGIN IMMEDIATE, then ROLLBACK), backing off from 1 ms to MAX_RETRY_DELAY_MS, jittered so
   * processes waiting on one lock do not all try in the same instant: a long lock costs a few
   * dozen probes a second, not one per waiting call. The loop ends when nobody waits any more.
   */
  #lockFreed(): Promise<void> {
    if (this.#free) return this.#free.promise;
    let resolve: () => void = () => undefined;
    const promise = new Promise<void>((r) => { resolve = r; });
    this.#free = { promise, resolve };
    void this.#probe();
    return promise;
  }

  async #probe(): Promise<void> {
    for (let delay = 1; ; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
      await sleep(delay * (0.5 + Math.random()));
      if (this.#waiting === 0) break;
      try {
        this.#runOnce('BEGIN IMMEDIATE', (s) => s.run());
        this.#runOnce('ROLLBACK', (s) => s.run());
        break;
      } catch (error) {
        // Anything but "still locked" is for the waiting calls to meet and report themselves.
        if (!BUSY.test(codeOf(error))) break;
      }
    }
    const free = this.#free;
    this.#free = undefined;
    free?.resolve();
  }

  /** Counts a write; now and then deletes rows whose expiry has passed. */
  wrote(): void {
    this.#writes += 1;
    if (this.#writes % SWEEP_EVERY_WRITES !== 0) return;
    this.run('DELETE FROM {t} WHERE expires IS NOT NULL AND expires <= ?', (s) => s.run(Date.now())).catch(() => {
      // housekeeping only: the next sweep tries again
    });
  }

  close(): void {
    this.#drop();
  }
}
