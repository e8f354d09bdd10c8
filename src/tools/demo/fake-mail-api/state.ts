/**
 * What the fake service remembers (keys, bans, handles, rate-limit windows, confirmations) and
 * the small normalisations the service applies to what it receives.
 */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_RATE_LIMITS, type BodyShapes, type CredentialsSend, type Confirmation, type FakeBan, type FakeMailApiOptions, type PendingFault, type RateLimitSettings,
} from './types.js';

export type State = {
  domains: string[];
  shapes: BodyShapes;
  limits: RateLimitSettings | false;
  keys: Map<string, { email: string; revoked: boolean }>;
  bans: (FakeBan & { bannedAt: string })[];
  handles: Map<string, { owner: string; active: boolean }>;
  aliases: Map<string, boolean>;
  botTokens: Set<string>;
  windows: Map<string, { start: number; count: number }>;
  confirmations: Map<string, Confirmation>;
  credentialsSends: CredentialsSend[];
  mailDeliveryFails: boolean;
  latencyMs: number;
  faults: PendingFault[];
  gate: { promise: Promise<void>; open: () => void } | undefined;
};

export function createState(options: FakeMailApiOptions): State {
  const state: State = {
    domains: options.domains ?? ['example.test', 'example2.test'],
    shapes: options.shapes ?? 'live',
    limits: resolveLimits(options.rateLimits),
    keys: new Map(),
    bans: [],
    handles: new Map(),
    aliases: new Map(),
    botTokens: new Set(options.botTokens ?? []),
    windows: new Map(),
    confirmations: new Map(),
    credentialsSends: [],
    mailDeliveryFails: false,
    latencyMs: options.latencyMs ?? 0,
    faults: [],
    gate: undefined,
  };
  for (const [key, email] of Object.entries(options.keys ?? {})) state.keys.set(normaliseKey(key), { email, revoked: false });
  return state;
}

export function resolveLimits(limits: false | Partial<RateLimitSettings> | undefined): RateLimitSettings | false {
  return limits === false ? false : { ...DEFAULT_RATE_LIMITS, ...limits };
}

/** What the service does to the X-API-Key header before looking at it. */
export function normaliseKey(key: string): string {
  return key.trim().toLowerCase();
}

export function normaliseIp(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}

/** Echo a sane caller id; otherwise make one up (every response carries one). */
export function acceptRequestId(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\x21-\x7e]{1,128}$/.test(header) ? header : randomUUID();
}
