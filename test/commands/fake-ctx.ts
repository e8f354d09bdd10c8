/**
 * A Ctx for one command run, without a network or a database: the mail service answers what
 * the test says (an unexpected call fails the test), the store is a small in-memory one, and
 * notifier events are recorded. For testing each branch of a command's outcome switch.
 */
import { loadConfig } from '../../src/ops/config.js';
import { createLogger } from '../../src/ops/logger.js';
import { createClaimLedger } from '../../src/core/claim-ledger.js';
import { catalogue, type Locale } from '../../src/core/messages/index.js';
import type { NotifierEvent } from '../../src/core/notifier.js';
import type { Ctx, Invocation } from '../../src/core/types.js';
import type { ApiKey } from '../../src/domain/api-key.js';
import type { MailApi } from '../../src/mail-api/outcomes.js';
import { DEFAULT_SETTINGS, type HistoryEntry, type KeyRecordView, type Settings, type Store } from '../../src/store/types.js';

export const KEY = 'a'.repeat(64) as ApiKey;
export const RECORD: KeyRecordView = { fingerprint: '…aaaa', linkedAt: 1_700_000_000_000, verifyResult: 'ok', ownerEmail: 'dana@private.example' };

export type FakeRun = {
  ctx: Ctx;
  events: NotifierEvent[];
  history: HistoryEntry[];
  settings: Map<string, Settings>;
  keyMeta: unknown[];
  mailCalls: string[];
};

export function fakeCtx(options: {
  mail?: Partial<MailApi>;
  store?: Partial<Store>;
  invocation?: Partial<Invocation>;
  history?: HistoryEntry[];
  linked?: boolean;
  /** false: the caller's queue of creates/deletes is full (waitForTurn refuses). */
  turnFree?: boolean;
  env?: Record<string, string>;
  locale?: Locale;
} = {}): FakeRun {
  const events: NotifierEvent[] = [];
  const history = [...(options.history ?? [])];
  const settings = new Map<string, Settings>();
  const keyMeta: unknown[] = [];
  const mailCalls: string[] = [];
  const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected mail call: ${name}`));
  const recorded = <K extends keyof MailApi>(name: K): MailApi[K] => {
    const given = options.mail?.[name];
    return ((...args: unknown[]) => {
      mailCalls.push(name);
      return given ? (given as (...a: unknown[]) => unknown)(...args) : unexpected(name)();
    }) as MailApi[K];
  };
  const store: Store = {
    location: 'fake',
    getKey: () => Promise.resolve(options.linked === false ? { status: 'none' } : { status: 'linked', apiKey: KEY, record: RECORD }),
    setKey: (_id, key, meta) => Promise.resolve({ fingerprint: `…${key.slice(-4)}`, linkedAt: Date.now(), ...meta }),
    updateKeyMeta: (_id, patch) => { keyMeta.push(patch); return Promise.resolve(); },
    removeKey: () => Promise.resolve(options.linked !== false),
    getSettings: (scope) => Promise.resolve(settings.get(scope) ?? { ...DEFAULT_SETTINGS }),
    updateSettings: (scope, patch) => {
      const next = { ...(settings.get(scope) ?? DEFAULT_SETTINGS), ...patch };
      settings.set(scope, next);
      return Promise.resolve(next);
    },
    addHistory: (_id, entry) => { history.unshift(entry); return Promise.resolve(); },
    listHistory: (_id, limit = 50) => Promise.resolve(history.slice(0, limit)),
    // Write-ahead claims: the pending entry is one object in `history`, replaced in place when settled.
    beginClaim: (identity, entry) => {
      const claim = { identity, key: `k${entry.at}-${history.length}`, handle: entry.handle, at: entry.at, ...(entry.requestId ? { requestId: entry.requestId } : {}) };
      history.unshift({ handle: entry.handle, status: 'pending', at: entry.at, ...(entry.requestId ? { requestId: entry.requestId } : {}), key: claim.key } as HistoryEntry);
      return Promise.resolve(claim);
    },
    settleClaim: (claim, status) => {
      const index = history.findIndex((e) => (e as { key?: string }).key === claim.key);
      if (index >= 0) {
        if (status === undefined) history.splice(index, 1);
        else history[index] = { handle: claim.handle, status, at: claim.at, ...(claim.requestId ? { requestId: claim.requestId } : {}) };
      }
      return Promise.resolve();
    },
    claimOnce: () => Promise.resolve(true),
    reserveTurn: () => Promise.resolve({ ok: true, waitMs: 0 }),
    releaseClaim: () => Promise.resolve(),
    forget: () => Promise.resolve(),
    installations: {
      save: () => Promise.reject(new Error('unexpected store call: installations.save')),
      fetch: () => Promise.resolve(undefined),
      remove: () => Promise.resolve(false),
      resealAll: () => Promise.reject(new Error('unexpected store call: installations.resealAll')),
    },
    intents: {
      idOf: (seenKey) => seenKey,
      begin: () => Promise.reject(new Error('unexpected store call: intents.begin')),
      renew: () => Promise.resolve(),
      finish: () => Promise.resolve(),
      expired: () => Promise.resolve([]),
      take: () => Promise.resolve(false),
    },
    forgetScope: () => Promise.reject(new Error('unexpected store call: forgetScope')),
    rotateSecret: () => Promise.resolve({ resealed: 0, alreadyCurrent: 0, unreadable: 0 }),
    inspectSealing: () => Promise.reject(new Error('unexpected store call: inspectSealing')),
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
    ...options.store,
  };
  const invocation: Invocation = {
    platform: 'slack', identity: 'slack:T1:U1', scope: 'slack:T1', channelId: 'C1', displayName: 'Dana Scully',
    platformAdmin: false, requestId: 'hb-test', ...options.invocation,
  };
  const ctx: Ctx = {
    invocation,
    messages: catalogue(options.locale),
    config: loadConfig({ COOLDOWN_SECONDS: '5', ...options.env }),
    mail: {
      createHandle: recorded('createHandle'), deleteHandle: recorded('deleteHandle'), checkKey: recorded('checkKey'),
      requestCredentials: recorded('requestCredentials'), domains: recorded('domains'), close: () => Promise.resolve(),
    },
    store,
    notifier: { notify: (event) => events.push(event) },
    log: createLogger({ level: 'silent' }),
    ...(options.linked === false ? {} : { linkedKey: { apiKey: KEY, record: RECORD } }),
    call: { requestId: 'hb-test', source: invocation.identity },
    claims: createClaimLedger({ store, log: createLogger({ level: 'silent' }) }),
    waitForTurn: () => Promise.resolve(options.turnFree === false ? { ok: false, retryAfterSeconds: 12 } : { ok: true }),
  };
  return { ctx, events, history, settings, keyMeta, mailCalls };
}

export const base = { requestId: 'hb-test' } as const;
