/**
 * `handle-bot rotate-secret`: re-seal every stored key under HANDLE_BOT_SECRET. Before touching
 * anything, it looks at which secrets the keys are sealed under: keys under a secret that is
 * neither HANDLE_BOT_SECRET nor HANDLE_BOT_SECRET_PREVIOUS cannot be moved, and the command says
 * which secret id it needs instead of reporting them as "unreadable".
 */
import fs from 'node:fs';
import type { Config } from '../ops/config.js';
import { registerSecret } from '../ops/redact.js';
import { secretFile } from '../store/secret.js';
import type { SealingInspection } from '../store/types.js';
import { openToolStore } from './open-tool-store.js';

/** Secret ids found in the store that no configured secret matches. */
function unknownKids(inspection: SealingInspection): string[] {
  return Object.keys(inspection.kidsFound).filter((kid) => kid !== inspection.currentKid && kid !== inspection.previousKid);
}

export function needsPreviousMessage(inspection: SealingInspection): string | undefined {
  const unknown = unknownKids(inspection).filter((kid) => !kid.startsWith('('));
  if (unknown.length === 0) return undefined;
  const which = unknown.join(', ');
  return inspection.previousKid === undefined
    ? `Some stored keys are sealed under secret id ${which}, which is not configured. Set HANDLE_BOT_SECRET_PREVIOUS to that old secret ` +
        `(HANDLE_BOT_SECRET stays the new one, id ${inspection.currentKid}) and run \`handle-bot rotate-secret\` again. Nothing was changed.`
    : `Some stored keys are sealed under secret id ${which}, but HANDLE_BOT_SECRET_PREVIOUS has id ${inspection.previousKid}: ` +
        'set HANDLE_BOT_SECRET_PREVIOUS to the secret those keys were sealed with and run `handle-bot rotate-secret` again. Nothing was changed.';
}

export async function rotateSecretCommand(config: Config): Promise<number> {
  for (const secret of [config.HANDLE_BOT_SECRET, config.HANDLE_BOT_SECRET_PREVIOUS]) registerSecret(secret);
  const store = await openToolStore(config);
  try {
    // Every record, not a sample: one key under a missing secret is enough to stop.
    const inspection = await store.inspectSealing(Number.MAX_SAFE_INTEGER);
    const missing = needsPreviousMessage(inspection);
    if (missing) {
      const generated = secretFile(config.DATA_DIR);
      const hint = config.HANDLE_BOT_SECRET && fs.existsSync(generated) ? `\nIf those keys were sealed with the generated secret, it is the content of ${generated}.` : '';
      process.stderr.write(`${missing}${hint}\n`);
      return 2;
    }
    const report = await store.rotateSecret();
    process.stdout.write(`Re-sealed ${report.resealed} key(s) under secret id ${inspection.currentKid}; ${report.alreadyCurrent} already current; ${report.unreadable} unreadable.\n`);
    // Hosted Slack mode: the workspaces' bot tokens are sealed too, and must move with the keys.
    const installations = await store.installations.resealAll();
    const installed = installations.resealed + installations.alreadyCurrent + installations.unreadable;
    if (installed > 0) {
      process.stdout.write(`Re-sealed ${installations.resealed} Slack installation(s); ${installations.alreadyCurrent} already current; ${installations.unreadable} unreadable (those workspaces must install the app again).\n`);
    }
    const unreadable = report.unreadable + installations.unreadable;
    if (report.resealed + installations.resealed > 0 && inspection.previousKid !== undefined && unreadable === 0) {
      process.stdout.write('Everything now opens with HANDLE_BOT_SECRET alone: you can remove HANDLE_BOT_SECRET_PREVIOUS.\n');
    }
    return unreadable > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}
