/**
 * Never lose keys to a secret mix-up. A store whose sealed keys the configured secret cannot
 * open would answer every user "your linked key cannot be opened", and any key linked anew
 * would be sealed under the wrong secret: so the bot refuses to start instead, names the
 * secret ids involved and says how to fix it. The check only reads; nothing is rewritten.
 */
import type { SealingInspection } from './sealing-inspection.js';
import { StorageUnavailableError, type Store } from './types.js';

export class SecretMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretMismatchError';
  }
}

const FIX_ROTATE =
  'To move the keys to a new secret on purpose: set HANDLE_BOT_SECRET to the new secret and HANDLE_BOT_SECRET_PREVIOUS to the old one, ' +
  'then run `handle-bot rotate-secret`.';

/** "secret id 1a2b3c4d", or "secret ids 1a2b3c4d (3 keys), 5e6f7a8b (1 key)" when the sample holds several. */
function ids(kids: Record<string, number>): string {
  const entries = Object.entries(kids);
  if (entries.length === 1) return `secret id ${entries[0]?.[0] ?? ''}`;
  return `secret ids ${entries.map(([kid, n]) => `${kid} (${plural(n, 'key', 'keys')})`).join(', ')}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The refusal for a store whose sampled records none of the configured secrets open. */
export function mismatchMessage(inspection: SealingInspection, location: string): string {
  const configured = inspection.secretSource === 'HANDLE_BOT_SECRET'
    ? `HANDLE_BOT_SECRET (secret id ${inspection.currentKid})`
    : `the secret file ${inspection.secretSource} (secret id ${inspection.currentKid})`;
  const previous = inspection.previousKid ? ` and HANDLE_BOT_SECRET_PREVIOUS (secret id ${inspection.previousKid})` : '';
  return [
    `handle-bot will not start: the store ${location} holds ${plural(inspection.records, 'linked API key', 'linked API keys')} ` +
      `sealed under ${ids(inspection.kidsFound)}, and the configured ${configured}${previous} opens none of the ${inspection.sampled} checked.`,
    'Starting anyway would make every linked key unreadable. The store was not changed.',
    'To fix it, configure the secret those keys were sealed with: HANDLE_BOT_SECRET, or DATA_DIR pointing at the folder that holds ' +
      'the database together with its `secret` file (if the data folder moved).',
    FIX_ROTATE,
  ].join('\n');
}

/** The refusal to generate a secret beside keys sealed under another one. */
export function missingSecretMessage(found: { records: number; kid?: string }, location: string, file: string): string {
  const kid = found.kid === undefined ? '' : ` sealed under secret id ${found.kid}`;
  return [
    `handle-bot will not start: the store ${location} holds ${plural(found.records, 'linked API key', 'linked API keys')}${kid}, ` +
      `but no secret is configured and ${file} does not exist.`,
    'A newly generated secret would open none of them, so none was generated. The store was not changed.',
    `To fix it: if the data folder moved, set DATA_DIR to the folder that holds the \`secret\` file (or copy that file to ${file}); ` +
      'if you keep the secret elsewhere, set HANDLE_BOT_SECRET to it.',
    FIX_ROTATE,
  ].join('\n');
}

/**
 * Refuses (SecretMismatchError, after closing the store) when the store holds sealed keys and
 * none of the sampled ones opens. An unreachable store is not refused here: readiness reports it.
 */
export async function refuseUnopenableStore(store: Store): Promise<void> {
  let inspection: SealingInspection;
  try {
    inspection = await store.inspectSealing();
  } catch (error) {
    if (error instanceof StorageUnavailableError) return;
    throw error;
  }
  if (inspection.sampled === 0 || inspection.opened > 0) return;
  await store.close();
  throw new SecretMismatchError(mismatchMessage(inspection, store.location));
}
