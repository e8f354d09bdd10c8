/** The Workflow Builder step "Claim an e-mail handle" (acknowledged by the middleware, first). */
import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { catalogue } from '../../core/messages/index.js';
import { CLAIM_STEP_CALLBACK_ID, runClaimStep } from '../workflow-step.js';
import type { SlackDeps } from './context.js';

export function handleClaimStep(deps: SlackDeps) {
  return async ({ body, inputs, client, complete, fail, context }: SlackEventMiddlewareArgs<'function_executed'> & AllMiddlewareArgs): Promise<void> => {
    if (deps.isStopping()) {
      // Failed at once rather than cut off by the shutdown: the person can simply run it again.
      await fail({ error: catalogue(undefined).restartingText() }).catch((error: unknown) => {
        deps.log.warn({ err: error }, 'workflow step: could not fail the run while stopping');
      });
      return;
    }
    await runClaimStep(
      { engine: deps.engine, users: deps.users, log: deps.log, deadlineMs: deps.deadlines.stepMs, scopes: deps.scopes },
      { body, inputs, client, complete, fail, botUserId: context.botUserId },
    );
  };
}

export function registerStepListeners(app: App, deps: SlackDeps): void {
  app.function(CLAIM_STEP_CALLBACK_ID, { autoAcknowledge: false }, handleClaimStep(deps));
}
