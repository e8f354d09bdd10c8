/**
 * Who a Slack user is, for the engine: a display name, whether Slack calls them a workspace
 * admin/owner, and the language of their Slack (users.info with include_locale). Cached in
 * memory with a TTL, one lookup per user at a time (a burst of commands by one person makes one
 * call), and looked up only after the interaction was acknowledged: someone already cached
 * costs no round trip. Admin rights for an admin verb are never taken from the cache (`fresh`):
 * a demoted admin loses them at once, not when the entry expires.
 */
import { localeFromTag, type Locale } from '../core/messages/index.js';
import type { Logger } from '../ops/logger.js';

/** `locale`: undefined when Slack did not say (the lookup failed): the workspace's language is used. */
export type SlackUserInfo = { displayName: string; platformAdmin: boolean; locale?: Locale };

/** The part of users.info we read (the WebClient's answer, loosely typed). */
type UsersInfo = (args: { user: string; include_locale: boolean }) => Promise<{
  user?: {
    name?: string;
    locale?: string;
    real_name?: string;
    is_admin?: boolean;
    is_owner?: boolean;
    is_primary_owner?: boolean;
    profile?: { display_name?: string; real_name?: string };
  };
}>;

export type UserDirectory = {
  lookup(usersInfo: UsersInfo, key: string, userId: string, fallbackName: string): Promise<SlackUserInfo>;
  /** Slack's answer right now (users.info, never the cache), which then replaces the cached one. */
  fresh(usersInfo: UsersInfo, key: string, userId: string, fallbackName: string): Promise<SlackUserInfo>;
  /** What is known without asking Slack: the cached answer, if any. */
  peek(key: string): Promise<SlackUserInfo> | undefined;
  clear(): void;
};

type Entry = { expires: number; info: Promise<SlackUserInfo> };

export function createUserDirectory(options: { ttlMs?: number; failureTtlMs?: number; maxEntries?: number; log: Logger }): UserDirectory {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  // A failed lookup is retried soon, but not by every command of a burst.
  const failureTtlMs = options.failureTtlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, Entry>();

  function cacheEntry(key: string, entry: Entry): void {
    cache.delete(key);
    cache.set(key, entry);
    // Map keeps insertion order: the first key is the least recently stored.
    while (cache.size > maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  }

  function ask(usersInfo: UsersInfo, key: string, userId: string, fallbackName: string): Promise<SlackUserInfo> {
    const entry: Entry = { expires: Date.now() + ttlMs, info: Promise.resolve({ displayName: fallbackName, platformAdmin: false }) };
    entry.info = usersInfo({ user: userId, include_locale: true }).then(
      ({ user }) => {
        const locale = localeFromTag(user?.locale);
        return {
          displayName: user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || fallbackName,
          platformAdmin: user?.is_admin === true || user?.is_owner === true || user?.is_primary_owner === true,
          ...(locale ? { locale } : {}),
        };
      },
      (error: unknown) => {
        options.log.warn({ err: error, userId }, 'users.info failed: treating the user as a non-admin for now');
        entry.expires = Date.now() + failureTtlMs;
        return { displayName: fallbackName, platformAdmin: false };
      },
    );
    cacheEntry(key, entry);
    return entry.info;
  }

  return {
    peek(key) {
      const cached = cache.get(key);
      return cached && cached.expires > Date.now() ? cached.info : undefined;
    },
    lookup(usersInfo, key, userId, fallbackName) {
      const cached = cache.get(key);
      if (cached && cached.expires > Date.now()) return cached.info;
      return ask(usersInfo, key, userId, fallbackName);
    },
    fresh(usersInfo, key, userId, fallbackName) {
      return ask(usersInfo, key, userId, fallbackName);
    },
    clear() {
      cache.clear();
    },
  };
}
