/**
 * The Workflow Builder step "Claim an e-mail handle" (a custom step: `app.function`, the
 * `function_executed` event). Its inputs are the handle and Slack's interactivity input, whose
 * `interactor` is the person running the workflow: the step acts for that person only, with
 * their own linked key. No input names a user, so a workflow cannot spend a colleague's key.
 * Without a linked key the person gets a DM that shows how to link one and the step fails with
 * a readable error. Every run ends with `complete` or `fail`, exactly once, including when the
 * work throws or runs past its deadline. Its errors are written in the person's language once
 * it is known (English before: Workflow Builder itself is shown in the manifest's English).
 */
import type { webApi } from '@slack/bolt';
import { catalogue, claimStepText, type Catalogue } from '../core/messages/index.js';
import type { EnginePort } from '../core/port.js';
import { newRequestId } from '../core/request-id.js';
import { normaliseHandle } from '../domain/handle.js';
import { obj, str, type Untyped } from '../domain/untyped.js';
import type { Logger } from '../ops/logger.js';
import { actorFromEvent, buildInvocation } from './invocation.js';
import { sendDirectMessage } from './onboarding.js';
import type { UserDirectory } from './user-directory.js';

/** The step's callback id: the key of its definition in the manifest's `functions`. */
export const CLAIM_STEP_CALLBACK_ID = 'claim_handle';
/** Slack's interactivity type: `{ interactor: { id, secret }, interactivity_pointer }`. */
export const INTERACTIVITY_TYPE = 'slack#/types/interactivity';

/** The step's definition for the app manifest (schema version 1: flat parameters with is_required). */
export function claimStepDefinition(): Record<string, unknown> {
  const t = claimStepText;
  return {
    title: t.title,
    description: t.description,
    input_parameters: {
      handle: { type: 'string', title: t.handleTitle, description: t.handleDescription, hint: t.handleHint, is_required: true, name: 'handle' },
      interactivity: { type: INTERACTIVITY_TYPE, title: t.interactivityTitle, description: t.interactivityDescription, is_required: true, name: 'interactivity' },
    },
    output_parameters: {
      handle: { type: 'string', title: t.outHandleTitle, description: t.outHandleDescription, is_required: true, name: 'handle' },
      addresses: { type: 'string', title: t.outAddressesTitle, description: t.outAddressesDescription, is_required: true, name: 'addresses' },
    },
  };
}

/** The person running the workflow, from the interactivity input; never from any other input. */
export function interactorOf(inputs: Untyped | undefined): string | undefined {
  const id = str(obj(obj(inputs?.interactivity)?.interactor)?.id);
  return id !== undefined && /^[UW][A-Z0-9]+$/.test(id) ? id : undefined;
}

export type StepDeps = {
  engine: Pick<EnginePort, 'dispatch'>;
  users: UserDirectory;
  log: Logger;
  scopes?: { add(scope: string): void };
  /** How long the step may take before it fails with "did not finish in time". */
  deadlineMs: number;
};

export type StepRun = {
  body: unknown;
  inputs: Untyped | undefined;
  /** The listener's client: Bolt gives it the workflow's own token (bot_access_token). */
  client: webApi.WebClient;
  complete(params: { outputs: Record<string, unknown> }): Promise<unknown>;
  fail(params: { error: string }): Promise<unknown>;
  botUserId?: string | undefined;
};

/** complete/fail, first call wins; a complete Slack refuses is turned into a fail. */
function stepEnding(run: StepRun, log: Logger, requestId: string, words: () => Catalogue) {
  let ended = false;
  const failSafely = async (error: string) => {
    try {
      await run.fail({ error });
    } catch (failError) {
      log.error({ err: failError, requestId }, 'workflow step: functions.completeError failed');
    }
  };
  return {
    get ended() {
      return ended;
    },
    async complete(outputs: Record<string, unknown>) {
      if (ended) return;
      ended = true;
      try {
        await run.complete({ outputs });
        log.info({ requestId }, 'workflow step completed');
      } catch (error) {
        log.error({ err: error, requestId }, 'workflow step: functions.completeSuccess failed; failing the step instead');
        await failSafely(words().stepInternalError(requestId));
      }
    },
    async fail(error: string) {
      if (ended) return;
      ended = true;
      log.info({ requestId, error }, 'workflow step failed');
      await failSafely(error);
    },
  };
}

export async function runClaimStep(deps: StepDeps, run: StepRun): Promise<void> {
  const requestId = newRequestId();
  const log = deps.log.child({ requestId, step: CLAIM_STEP_CALLBACK_ID });
  let messages = catalogue(undefined);
  const end = stepEnding(run, log, requestId, () => messages);
  const typed = typeof run.inputs?.handle === 'string' ? run.inputs.handle : '';

  const work = async () => {
    const interactor = interactorOf(run.inputs);
    if (!interactor) return end.fail(messages.stepNoInteractorError());
    const actor = actorFromEvent(run.body, interactor);

    // The same path as `/handle create`: guards (key, cooldown), history, admin notification.
    const invocation = await buildInvocation({ users: deps.users, log, botUserId: run.botUserId, scopes: deps.scopes }, run.client, actor, requestId);
    messages = catalogue(invocation.locale);
    const { outcome, replies } = await deps.engine.dispatch(invocation, ['create'], { name: typed });
    if (outcome.kind === 'created') return end.complete({ handle: outcome.handle, addresses: outcome.addresses.join(', ') });
    if (outcome.kind === 'refused' && outcome.reason === 'no_key') {
      const dm = await sendDirectMessage(run.client, interactor, messages.stepNeedsKeyReply());
      if (!dm.ok) log.warn({ error: dm.error }, 'workflow step: could not DM how to link a key');
      return end.fail(messages.stepNoKeyError(dm.ok));
    }
    // Something broke inside the bot (the engine logged it): say so, with the request id.
    const last = replies[replies.length - 1];
    if (outcome.kind === 'broken' || !last) return end.fail(messages.stepInternalError(requestId));
    return end.fail(messages.stepFailedError(last));
  };

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log.warn({ deadlineMs: deps.deadlineMs }, 'workflow step ran past its deadline');
      void end.fail(messages.stepTimeoutError(normaliseHandle(typed) || typed)).then(resolve);
    }, deps.deadlineMs);
  });
  const done = work().catch(async (error: unknown) => {
    log.error({ err: error }, 'workflow step failed unexpectedly');
    await end.fail(messages.stepInternalError(requestId));
  });
  await Promise.race([done, deadline]);
  clearTimeout(timer);
  // Past the deadline the work still finishes (its bookkeeping matters); the step is already failed.
  await done;
}
