/**
 * The doctor's checks of what is on this side: the store answers a write, read and delete, and
 * the sealing secret opens the keys it holds. Read-mostly: the round trip removes its own probe,
 * and no secret is generated here (the first start does that).
 */
import fs from 'node:fs';
import net from 'node:net';
import type { Config } from '../../ops/config.js';
import { parseSecret } from '../../ops/config.js';
import type { Logger } from '../../ops/logger.js';
import type { Backend } from '../../store/backend.js';
import { DEFAULT_NAMESPACE_PREFIX, describeLocation, openBackend, parseStoreUrl } from '../../store/index.js';
import { inspectSealing } from '../../store/sealing-inspection.js';
import { sealingKey } from '../../store/seal.js';
import { secretFile } from '../../store/secret.js';
import { mismatchMessage } from '../../store/secret-check.js';
import { ok, problem, skipped, type Check } from './check.js';

const STORE_DEADLINE_MS = 3000;
const PROBE_KEY = 'doctor|probe';

function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { reject(new Error(`no answer within ${STORE_DEADLINE_MS / 1000} s (${what})`)); }, STORE_DEADLINE_MS);
  });
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => { clearTimeout(timer); });
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

export async function openDoctorBackend(config: Config, log: Logger): Promise<{ backend: Backend; where: string }> {
  const location = parseStoreUrl(config.STORE_URL);
  const backend = await openBackend({ location, prefix: config.STORE_PREFIX ?? DEFAULT_NAMESPACE_PREFIX, log });
  return { backend, where: describeLocation(location) };
}

/** For a network store that failed: what a plain TCP connection to it says (" (ECONNREFUSED at host:port)"), or nothing. */
function tcpReason(storeUrl: string): Promise<string> {
  const url = new URL(storeUrl);
  const host = url.hostname || '127.0.0.1';
  const port = Number(url.port || (url.protocol.startsWith('redis') ? 6379 : 5432));
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (text: string) => { socket.destroy(); resolve(text); };
    socket.setTimeout(2000, () => { done(` (no TCP answer from ${host}:${port} within 2 s)`); });
    socket.once('connect', () => { done(` (${host}:${port} accepts connections, so check the credentials, TLS and database name)`); });
    socket.once('error', (error: NodeJS.ErrnoException) => { done(` (${error.code ?? error.message} at ${host}:${port})`); });
  });
}

export async function storeCheck(config: Config, backend: Backend, where: string): Promise<Check> {
  const name = 'Store';
  const started = performance.now();
  try {
    await withDeadline(backend.ready().then(async () => {
      const value = `probe-${Date.now()}`;
      await backend.kv.settings.set(PROBE_KEY, value);
      const read: unknown = await backend.kv.settings.get(PROBE_KEY);
      if (read !== value) throw new Error('a value just written read back differently');
      await backend.kv.settings.delete(PROBE_KEY);
    }), 'write, read, delete');
    return ok(name, `${where} answered a write, read and delete in ${Math.round(performance.now() - started)} ms`);
  } catch (error) {
    const network = where.startsWith('sqlite:') ? '' : await tcpReason(config.STORE_URL);
    const fix = where.startsWith('sqlite:')
      ? 'check that the data folder exists and is writable by this user (DATA_DIR), or set STORE_URL'
      : 'check that the server is running and reachable from here, and the credentials in STORE_URL';
    return problem(name, `${where} did not complete a write, read and delete: ${reason(error)}${network}`, fix);
  }
}

/** The secret the bot would use, without generating one: HANDLE_BOT_SECRET, or the data folder's file. */
function configuredSecret(config: Config): { secret?: Buffer; source: string; missingFile?: string } {
  if (config.HANDLE_BOT_SECRET) return { secret: parseSecret(config.HANDLE_BOT_SECRET) ?? Buffer.alloc(0), source: 'HANDLE_BOT_SECRET' };
  const file = secretFile(config.DATA_DIR);
  if (!fs.existsSync(file)) return { source: file, missingFile: file };
  const secret = parseSecret(fs.readFileSync(file, 'utf8'));
  return secret ? { secret, source: file } : { source: file };
}

export async function secretCheck(config: Config, backend: Backend, where: string, storeOk: boolean): Promise<Check> {
  const name = 'Sealing secret';
  if (!storeOk) return skipped(name, 'not checked: the store did not answer');
  const configured = configuredSecret(config);
  if (configured.secret?.length !== 32) {
    if (configured.missingFile) {
      const records = (await withDeadline(backend.listKeys('links'), 'list keys')).length;
      return records === 0
        ? ok(name, `none yet: the first start generates one in ${configured.missingFile} (back it up with the database)`)
        : problem(name, `the store holds ${records} linked key(s), but no secret is configured and ${configured.missingFile} does not exist`,
          'set DATA_DIR to the folder that holds the database together with its `secret` file, or HANDLE_BOT_SECRET to the secret the keys were sealed with');
    }
    return problem(name, `${configured.source} does not hold a valid secret`, 'restore the file from a backup, or set HANDLE_BOT_SECRET');
  }
  const previous = config.HANDLE_BOT_SECRET_PREVIOUS ? parseSecret(config.HANDLE_BOT_SECRET_PREVIOUS) : undefined;
  const keys = { current: sealingKey(configured.secret), source: configured.source, ...(previous ? { previous: sealingKey(previous) } : {}) };
  const inspection = await withDeadline(inspectSealing(backend, keys), 'inspect sealed keys');
  if (inspection.sampled === 0) return ok(name, `secret id ${inspection.currentKid} (${configured.source}); no keys stored yet`);
  if (inspection.opened === 0) {
    const [summary = '', ...fixes] = mismatchMessage(inspection, where).split('\n');
    return problem(name, summary.replace(/^handle-bot will not start: /, ''), fixes.slice(1).join(' '));
  }
  const partly = inspection.opened < inspection.sampled ? `; ${inspection.sampled - inspection.opened} damaged or sealed under another secret` : '';
  return ok(name, `secret id ${inspection.currentKid} (${configured.source}) opens ${inspection.opened} of the ${inspection.sampled} stored keys checked${partly}`);
}
