/**
 * Which servers the bot is in, and each one's language, for admin notifications (the
 * service's outages go to every server; a notice is written in the server's language).
 * With a gateway, discord.js's guild cache knows. Without one (HTTP mode), the list comes
 * from REST (`GET /users/@me/guilds`, 200 per page) at start and every few minutes, and a
 * server's language from the interactions it sent (`guild_locale`); an admin can set the
 * language explicitly (/handle-admin language) for notices that come before any interaction.
 */
import { type Client, makeURLSearchParams, Routes } from 'discord.js';
import type { Logger } from '../ops/logger.js';

export type GuildDirectory = {
  ids(): string[];
  /** The server's locale tag (`pt-BR`), when known. */
  locale(guildId: string): string | undefined;
  /** HTTP mode: a server's language as an interaction showed it. */
  sawLocale(guildId: string, tag: string | null): void;
  close(): void;
};

export function gatewayGuilds(client: Client): GuildDirectory {
  return {
    ids: () => [...client.guilds.cache.keys()],
    locale: (id) => client.guilds.cache.get(id)?.preferredLocale,
    sawLocale: () => undefined,
    close: () => undefined,
  };
}

const PAGE = 200;
const REFRESH_MS = 5 * 60_000;

export async function restGuilds(client: Client, log: Logger, refreshMs = REFRESH_MS): Promise<GuildDirectory> {
  let ids: string[] = [];
  const locales = new Map<string, string>();
  const refresh = async () => {
    const found: string[] = [];
    for (;;) {
      const after = found.at(-1);
      const page = await client.rest.get(Routes.userGuilds(), { query: makeURLSearchParams({ limit: PAGE, ...(after ? { after } : {}) }) }) as { id: string }[];
      found.push(...page.map((g) => g.id));
      if (page.length < PAGE) break;
    }
    ids = found;
  };
  // The endpoint can serve before the list is read: commands need nothing from it.
  await refresh().catch((error: unknown) => { log.warn({ err: error }, 'could not list the servers the bot is in'); });
  const timer = setInterval(() => {
    refresh().catch((error: unknown) => { log.warn({ err: error }, 'could not refresh the servers the bot is in'); });
  }, refreshMs);
  timer.unref();
  return {
    ids: () => ids,
    locale: (id) => locales.get(id),
    sawLocale(id, tag) {
      if (tag) locales.set(id, tag);
      if (!ids.includes(id)) ids = [...ids, id];
    },
    close: () => { clearInterval(timer); },
  };
}
