/**
 * Which secrets seal and open keys. HANDLE_BOT_SECRET when given; otherwise, for SQLite only,
 * a secret generated once into `<dataDir>/secret` (mode 0600) and reused — a single-host
 * default that still keeps keys sealed if only the database file leaks. Redis and Postgres
 * serve replicas, which must share one secret, so there it is required.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../ops/logger.js';
import { parseSecret } from '../ops/config.js';
import { registerSecret } from '../ops/redact.js';

const SECRET_FORMAT = 'must be 32 random bytes as 64 hex characters or 44 base64 characters (e.g. `openssl rand -hex 32`)';

/** `source` says where the current secret came from, for messages: the variable or the file. */
export type Secrets = { current: Buffer; previous?: Buffer; source: string };

/** The generated secret's file inside the data folder. */
export function secretFile(dataDir: string): string {
  return path.resolve(dataDir, 'secret');
}

function parseNamed(name: string, value: string): Buffer {
  const secret = parseSecret(value);
  if (!secret) throw new Error(`${name} ${SECRET_FORMAT}`);
  registerSecret(value.trim()); // never let it reach a log line
  return secret;
}

export async function resolveSecrets(options: {
  secret?: string | undefined;
  previousSecret?: string | undefined;
  backend: 'sqlite' | 'redis' | 'postgres';
  dataDir: string;
  log: Logger;
  /**
   * Called before a secret is generated; throws to refuse (the store already holds keys sealed
   * under another secret, which a new one would never open).
   */
  beforeGenerating: (file: string) => Promise<void>;
}): Promise<Secrets> {
  const configured = options.secret !== undefined && options.secret.trim() !== '';
  const current = configured ? parseNamed('HANDLE_BOT_SECRET', options.secret ?? '') : await fileSecret(options);
  const source = configured ? 'HANDLE_BOT_SECRET' : secretFile(options.dataDir);
  if (options.previousSecret === undefined || options.previousSecret.trim() === '') return { current, source };
  const previous = parseNamed('HANDLE_BOT_SECRET_PREVIOUS', options.previousSecret);
  return previous.equals(current) ? { current, source } : { current, previous, source };
}

async function fileSecret(options: { backend: string; dataDir: string; log: Logger; beforeGenerating: (file: string) => Promise<void> }): Promise<Buffer> {
  if (options.backend !== 'sqlite') {
    throw new Error(
      `HANDLE_BOT_SECRET is required with a ${options.backend} store so that every replica opens the same keys (generate one with \`openssl rand -hex 32\`)`,
    );
  }
  const file = secretFile(options.dataDir);
  if (!fs.existsSync(file)) {
    await options.beforeGenerating(file);
    generateSecret(file, options.log);
  }
  return readSecret(file, options.log);
}

function generateSecret(file: string, log: Logger): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written to a private temporary file, then hard-linked into place: link() fails if the file
  // exists, so when two processes start at once exactly one secret wins and nobody reads a
  // half-written file.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temporary, file);
    // The message names the file itself: a person reads this on a terminal, as one sentence.
    log.warn(
      `Generated a new sealing secret in ${file}. Back it up together with the database: without it, the stored API keys cannot be opened. ` +
        'To manage the secret yourself instead, set HANDLE_BOT_SECRET (e.g. `openssl rand -hex 32`), set HANDLE_BOT_SECRET_PREVIOUS ' +
        `to the content of ${file}, and run \`handle-bot rotate-secret\` to move the stored keys over.`,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function readSecret(file: string, log: Logger): Buffer {
  const text = fs.readFileSync(file, 'utf8');
  const secret = parseSecret(text);
  if (!secret) throw new Error(`${file} does not hold a valid secret: it ${SECRET_FORMAT}. Restore it from a backup or set HANDLE_BOT_SECRET.`);
  registerSecret(text.trim());
  if ((fs.statSync(file).mode & 0o077) !== 0) {
    log.warn(`${file} is readable by other users: restrict it with \`chmod 600 ${file}\`.`);
  }
  return secret;
}
