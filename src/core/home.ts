/**
 * A person's own page with the bot (Slack's App Home): their link status and recent handles.
 * Read here so that a front door only draws it; a store failure becomes a notice on the page
 * instead of an empty one.
 */
import type { Logger } from '../ops/logger.js';
import type { HistoryEntry, KeyRecordView, Store } from '../store/types.js';
import type { Identity } from '../domain/identity.js';
import { catalogue, type Locale } from './messages/index.js';
import type { Reply } from './types.js';

export type { HistoryEntry, KeyRecordView } from '../store/types.js';

/** How many recent handles the page lists. */
export const HOME_HISTORY_LIMIT = 10;

export type HomeKeyState =
  | { status: 'linked'; record: KeyRecordView }
  | { status: 'none' }
  | { status: 'unreadable'; reason: 'tampered' | 'unknown_secret' }
  /** The store could not be read: the notice says so. */
  | { status: 'unknown' };

export type HomeState = { key: HomeKeyState; history: HistoryEntry[]; notice?: Reply[] };

export async function loadHome(store: Pick<Store, 'getKey' | 'listHistory'>, identity: Identity, requestId: string, log: Logger, locale?: Locale): Promise<HomeState> {
  try {
    const [opened, history] = await Promise.all([store.getKey(identity), store.listHistory(identity, HOME_HISTORY_LIMIT)]);
    const key: HomeKeyState = opened.status === 'linked' ? { status: 'linked', record: opened.record } : opened;
    return { key, history };
  } catch (error) {
    log.warn({ err: error, requestId }, 'App Home: could not read the store');
    return { key: { status: 'unknown' }, history: [], notice: [catalogue(locale).storageUnavailableReply(requestId)] };
  }
}
