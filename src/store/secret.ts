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

export type Secrets = { current: Buffer; previous?: Buffer };

function parseNamed(name: string, value: string): Buffer {
  const secret = parseSecret(value);
  if (!secret) throw new Error(`${name} ${SECRET_FORMAT}`);
  registerSecret(value.trim()); // never let it reach a log line
  return secret;
}

export function resolveSecrets(options: {
  secret?: string | undefined;
  previousSecret?: string | undefined;
  backend: 'sqlite' | 'redis' | 'postgres';
  dataDir: string;
  log: Logger;
}): Secrets {
  const current =
    options.secret !== undefined && options.secret.trim() !== ''
      ? parseNamed('HANDLE_BOT_SECRET', options.secret)
      : generatedSecret(options);
  if (options.previousSecret === undefined || options.previousSecret.trim() === '') return { current };
  const previous = parseNamed('HANDLE_BOT_SECRET_PREVIOUS', options.previousSecret);
  return previous.equals(current) ? { current } : { current, previous };
}

function generatedSecret(options: { backend: string; dataDir: string; log: Logger }): Buffer {
  if (options.backend !== 'sqlite') {
    throw new Error(
      `HANDLE_BOT_SECRET is required with a ${options.backend} store so that every replica opens the same keys (generate one with \`openssl rand -hex 32\`)`,
    );
  }
  const file = path.resolve(options.dataDir, 'secret');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written to a private temporary file, then hard-linked into place: link() fails if the file
  // exists, so when two processes start at once exactly one secret wins and nobody reads a
  // half-written file.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temporary, file);
    options.log.warn(
      { file },
      `Generated a sealing secret in ${file}: keep this file and back it up, without it the stored API keys cannot be opened. ` +
        'To manage the secret yourself, set HANDLE_BOT_SECRET (e.g. `openssl rand -hex 32`) and, to move existing keys over, ' +
        `HANDLE_BOT_SECRET_PREVIOUS to the content of ${file}, then run \`handle-bot rotate-secret\`.`,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  const text = fs.readFileSync(file, 'utf8');
  const secret = parseSecret(text);
  if (!secret) throw new Error(`${file} does not hold a valid secret: it ${SECRET_FORMAT}. Restore it from a backup or set HANDLE_BOT_SECRET.`);
  registerSecret(text.trim());
  if ((fs.statSync(file).mode & 0o077) !== 0) {
    options.log.warn({ file }, `${file} is readable by other users; restrict it with \`chmod 600 ${file}\``);
  }
  return secret;
}
