/**
 * Which locale a reply is written in. A person's own language, as their platform tells it,
 * comes first; when the platform did not say, the workspace's language (the admin setting, or
 * what the platform says about the place). Channel posts always use the workspace's language.
 */
import type { Settings, Store } from '../store/types.js';
import { catalogue, DEFAULT_LOCALE, workspaceLocale, type Catalogue, type Locale } from './messages/index.js';
import type { Invocation } from './types.js';

/** The caller's locale; reads the settings only when the platform did not tell the person's language. */
export async function callerLocale(store: Pick<Store, 'getSettings'>, invocation: Pick<Invocation, 'locale' | 'scope' | 'scopeLocale'>): Promise<Locale> {
  if (invocation.locale) return invocation.locale;
  if (!invocation.scope) return invocation.scopeLocale ?? DEFAULT_LOCALE;
  // An unreadable store is reported by whatever reads it next; the reply is still written.
  const settings = await store.getSettings(invocation.scope).catch(() => undefined);
  return workspaceLocale(settings?.language, invocation.scopeLocale);
}

/** The catalogue for what is posted to the invocation's workspace (a claim's announcement). */
export function workspaceMessages(settings: Pick<Settings, 'language'> | undefined, invocation: Pick<Invocation, 'scopeLocale'>): Catalogue {
  return catalogue(workspaceLocale(settings?.language, invocation.scopeLocale));
}
