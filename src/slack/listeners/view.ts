/**
 * A submitted form (any command's: `key set`, "I need a key", "Claim a handle"). Each input is
 * checked by its kind's rule and refused inline (the precise reason; a key is described, never
 * echoed); otherwise "working…" at once, then the engine's answer in the modal, and a fresh App
 * Home when the form was opened from there.
 */
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { checkInput, commandOfForm } from '../../core/interactions.js';
import { catalogue } from '../../core/messages/index.js';
import { newRequestId } from '../../core/request-id.js';
import type { Args, Reply } from '../../core/types.js';
import { isFirstDelivery } from '../dedupe.js';
import { decodeMetadata, FORM_CALLBACK, formIdOf, formResultModal, formWorkingModal, submittedInputs } from '../forms.js';
import { publishHome } from '../home.js';
import { actorFromInteraction } from '../invocation.js';
import { invocationFor, type SlackDeps } from './context.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function handleFormSubmission(deps: SlackDeps) {
  const { log } = deps;
  return async ({ ack, body, view, client, context }: SubmitArgs): Promise<void> => {
    const command = commandOfForm(deps.engine.commands, formIdOf(view.callback_id));
    const submitted = command ? submittedInputs(command, view.state) : [];
    if (!command || submitted.length === 0) {
      await ack();
      log.warn({ callbackId: view.callback_id }, 'a form was submitted without its input');
      return;
    }
    // The form was opened in the person's language, and says so in its metadata.
    const meta = decodeMetadata(view.private_metadata);
    const messages = catalogue(meta.locale);
    const args: Args = {};
    const values: Record<string, string> = {};
    const errors: Record<string, string> = {};
    for (const { option, blockId, value } of submitted) {
      const check = checkInput(option, value, messages);
      if (check.ok) values[option.name] = check.value;
      else errors[blockId] = check.error;
    }
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    if (deps.isStopping()) {
      await ack({ response_action: 'errors', errors: Object.fromEntries(submitted.map((s) => [s.blockId, messages.restartingText()])) });
      return;
    }
    Object.assign(args, values);
    await ack({ response_action: 'update', view: formWorkingModal(command, meta, values) });

    const requestId = newRequestId();
    const actor = actorFromInteraction(body, meta.channelId);
    const inputs = submitted.map((s) => s.option);
    const showResult = async (replies: Reply[]) => {
      await client.views.update({ view_id: view.id, view: formResultModal(command, inputs, replies, meta) });
      if (meta.fromHome) await publishHome(deps, client, actor, requestId);
    };
    try {
      if (!(await isFirstDelivery(deps.engine, body))) return;
      const invocation = await invocationFor(deps, client, actor, requestId, context.botUserId);
      await showResult((await deps.engine.dispatch(invocation, command.verb, args)).replies);
    } catch (error) {
      log.error({ err: error, requestId, listener: view.callback_id }, 'slack listener failed');
      await showResult([messages.internalErrorReply(requestId)]).catch((updateError: unknown) => {
        log.warn({ err: updateError, requestId }, 'could not update the form with the apology');
      });
    }
  };
}

export function registerViewListeners(app: App, deps: SlackDeps): void {
  app.view({ type: 'view_submission', callback_id: FORM_CALLBACK }, handleFormSubmission(deps));
}
