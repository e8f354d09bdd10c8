/**
 * Welcoming a newcomer, platform-neutral: whether this workspace/guild wants it, and the
 * message. Adapters call it on a join event and deliver the reply as a direct message; when
 * that fails (DMs closed) they raise `welcome_undeliverable` for the admins.
 */
import type { Store } from '../store/types.js';
import { catalogue, workspaceLocale, type Locale } from './messages/index.js';
import type { Reply } from './types.js';

/** Long enough that a redelivered join event never welcomes anyone twice. */
const WELCOME_ONCE_SECONDS = 7 * 24 * 60 * 60;

export async function welcomeFor(
  store: Pick<Store, 'getSettings' | 'claimOnce'>,
  /** `locale`: the newcomer's own language when the platform told it; `scopeLocale`: the place's. */
  newcomer: { scope: string; identity: string; displayName: string; locale?: Locale | undefined; scopeLocale?: Locale | undefined },
): Promise<Reply | undefined> {
  const settings = await store.getSettings(newcomer.scope);
  if (!settings.onboarding) return undefined;
  // Once per person and place, across replicas and redeliveries.
  if (!(await store.claimOnce(`welcome:${newcomer.scope}:${newcomer.identity}`, WELCOME_ONCE_SECONDS))) return undefined;
  const locale = newcomer.locale ?? workspaceLocale(settings.language, newcomer.scopeLocale);
  return catalogue(locale).welcomeReply(newcomer.displayName, settings.welcomeText);
}
