/**
 * A workspace's token that Slack no longer accepts, met while serving someone: in the hosted
 * mode the workspace has uninstalled the app or revoked its token (the event that says so may be
 * lost or late), so it is removed just as app_uninstalled would — once across replicas, logged as
 * such. With one configured token (SLACK_BOT_TOKEN) the operator's token is wrong instead, and
 * nobody's data is touched.
 */
import type { EnginePort } from '../core/port.js';
import type { Logger } from '../ops/logger.js';
import { platformError } from './channel-check.js';

/** Web API errors that mean "this token is dead", not "this call failed". */
export const REVOKED_TOKEN_ERRORS: ReadonlySet<string> = new Set(['invalid_auth', 'token_revoked', 'account_inactive']);

export function isRevokedToken(error: unknown): boolean {
  const code = platformError(error);
  return code !== undefined && REVOKED_TOKEN_ERRORS.has(code);
}

/** Hosted mode: the workspace whose token was refused is removed (in the background; never throws). */
export function forgetIfRevoked(
  deps: { engine: Pick<EnginePort, 'workspaces'>; log: Logger; hosted: boolean },
  workspace: { teamId: string; enterpriseId?: string | undefined },
  error: unknown,
): void {
  if (!deps.hosted || !isRevokedToken(error) || workspace.teamId === '') return;
  deps.log.warn({ teamId: workspace.teamId, error: platformError(error) }, 'slack refused this workspace\'s token during a command: removing the workspace');
  deps.engine.workspaces.gone({ teamId: workspace.teamId, enterpriseId: workspace.enterpriseId }, 'token_refused').catch((cleanupError: unknown) => {
    deps.log.error({ err: cleanupError }, 'could not remove a workspace whose token was refused');
  });
}
