/**
 * What each kind of interaction does. Every handler acknowledges before any I/O — a modal
 * when the command's declared inputs must be asked in its form (a modal must be the first
 * response), otherwise a private defer — then asks the engine and hands the replies to
 * reply-delivery. A handler that fails answers with the catalogue's apology and its request
 * id; nothing here can throw out to the client.
 */
import {
  type AutocompleteInteraction, type ButtonInteraction, ButtonStyle, type ChatInputCommandInteraction,
  type Interaction, type ModalSubmitInteraction,
} from 'discord.js';
import { discordIdentity } from '../domain/identity.js';
import { commandOfForm, exactCommand, formInputs, inputsToAsk } from '../core/interactions.js';
import { catalogue, localeFromTag, type Catalogue } from '../core/messages/index.js';
import type { EnginePort } from '../core/port.js';
import { newRequestId } from '../core/request-id.js';
import type { Action, Args, Command, Text } from '../core/types.js';
import type { Logger } from '../ops/logger.js';
import { verbOf } from './command-definitions.js';
import type { ConfirmationMemory } from './confirmations.js';
import { parseButtonId, parseModalId, withWelcomeGuild, withWelcomeGuildArgs } from './custom-ids.js';
import { describeDiscordError } from './errors.js';
import { formModal, submittedValue } from './forms.js';
import { discordInvocation } from './invocation.js';
import { withUserInstallNote } from './user-install.js';
import { verifiedWelcomeGuild } from './welcome-guild.js';
import { renderConfirmation, renderDiscordReply } from './render.js';
import { apologise, deferAsUpdate, deferPrivately, deliver, send } from './reply-delivery.js';

export type InteractionDeps = {
  engine: EnginePort;
  log: Logger;
  confirmations: ConfirmationMemory;
  /** Added to `/handle-admin onboarding enabled:true` while the bot cannot see people join. */
  onboardingWarning?: (messages: Catalogue) => Text;
};

/** Discord shows at most 25 suggestions. */
const AUTOCOMPLETE_MAX = 25;

/** Whether to go on after the first response; HTTP mode's cross-replica dedupe may answer after the defer. */
type Run = InteractionDeps & { admitted: Promise<boolean> };
const ADMITTED = Promise.resolve(true);

/**
 * `admitted`: HTTP mode's dedupe across replicas, when it had not answered by the time the
 * first response was due (http-endpoint.ts). A duplicate is deferred like the original — its
 * answer goes nowhere, the original's does — and then does nothing: the work waits for it.
 */
export function createInteractionHandler(shared: InteractionDeps): (interaction: Interaction, admitted?: Promise<boolean>) => Promise<void> {
  const { log } = shared;
  return async (interaction, admitted = ADMITTED) => {
    const requestId = newRequestId();
    const deps: Run = { ...shared, admitted };
    try {
      if (interaction.isChatInputCommand()) await onCommand(deps, interaction, requestId);
      else if (interaction.isAutocomplete()) await onAutocomplete(deps, interaction);
      else if (interaction.isModalSubmit()) await onModalSubmit(deps, interaction, requestId);
      else if (interaction.isButton()) await onButton(deps, interaction, requestId);
    } catch (error) {
      log.error({ requestId, err: describeDiscordError(error) }, 'Discord interaction handler failed');
      if (interaction.isRepliable() && (interaction.isChatInputCommand() || interaction.isButton() || interaction.isModalSubmit())) {
        await apologise(interaction, requestId, log);
      }
    }
  };
}

async function onCommand(deps: Run, interaction: ChatInputCommandInteraction, requestId: string): Promise<void> {
  const verb = verbOf(interaction.commandName, interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(false));
  const command = exactCommand(deps.engine.commands, verb);
  const args = command ? optionArgs(interaction, command) : {};
  const ask = command ? inputsToAsk(command, args, 'typed') : [];
  if (command && ask.length > 0) {
    await interaction.showModal(formModal(command, ask, undefined, localeFromTag(interaction.locale)));
    return;
  }
  await deferPrivately(interaction);
  if (!(await deps.admitted)) return;
  const invocation = discordInvocation(interaction, requestId, deps.onboardingWarning ? { onboardingWarning: deps.onboardingWarning } : {});
  const result = await deps.engine.dispatch(invocation, verb, args);
  await deliver(interaction, withUserInstallNote(interaction, result), deps.confirmations);
}

async function onModalSubmit(deps: Run, interaction: ModalSubmitInteraction, requestId: string): Promise<void> {
  const modal = parseModalId(interaction.customId);
  const command = modal.kind === 'form' ? commandOfForm(deps.engine.commands, modal.formId) : undefined;
  if (modal.kind === 'unknown' || !command) {
    await send(interaction, renderDiscordReply(catalogue(localeFromTag(interaction.locale)).discordStaleButtonReply()), 'private');
    return;
  }
  await deferPrivately(interaction);
  if (!(await deps.admitted)) return;
  const welcomeGuild = await verifiedWelcomeGuild(interaction, modal.welcomeGuild, deps.log);
  const invocation = discordInvocation(interaction, requestId, welcomeGuild ? { welcomeGuild } : {});
  // What was typed goes straight to the engine: it is never logged, echoed or kept here.
  const args: Args = {};
  for (const option of formInputs(command)) {
    const value = submittedValue(interaction, option.name);
    if (value !== undefined) args[option.name] = value;
  }
  const replies = withUserInstallNote(interaction, await deps.engine.dispatch(invocation, command.verb, args));
  await deliver(interaction, replies.map((reply) => withWelcomeGuild(reply, actingFor(interaction, invocation.scope, welcomeGuild))), deps.confirmations);
}

async function onButton(deps: Run, interaction: ButtonInteraction, requestId: string): Promise<void> {
  const parsed = parseButtonId(interaction.customId);
  const locale = localeFromTag(interaction.locale);
  if (parsed.kind === 'cancel') {
    await interaction.update({ ...renderDiscordReply(catalogue(locale).discordCancelledReply()), components: [] });
    return;
  }
  if (parsed.kind === 'unknown') {
    await send(interaction, renderDiscordReply(catalogue(locale).discordStaleButtonReply()), 'private');
    return;
  }
  const command = exactCommand(deps.engine.commands, parsed.verb);
  // A welcome DM's mark counts only in a DM (elsewhere the interaction has its own guild), and only
  // for everyone's verbs: settings stay with those who run /handle-admin in the server.
  const welcomeGuild = interaction.guildId === null && command?.who === 'everyone' ? parsed.welcomeGuild : undefined;
  const ask = command ? inputsToAsk(command, parsed.args, 'action') : [];
  if (command && ask.length > 0) {
    await interaction.showModal(formModal(command, ask, welcomeGuild, locale));
    return;
  }
  if (parsed.step === 'ask') {
    const action = pressedAction(interaction, parsed.verb, withWelcomeGuildArgs(parsed.args, welcomeGuild));
    await send(interaction, renderConfirmation(action, deps.confirmations.recall(interaction.customId), locale), 'private');
    return;
  }
  // Confirm replaces the question with the result (so it cannot be pressed twice); other buttons answer anew.
  if (parsed.step === 'confirmed') await deferAsUpdate(interaction);
  else await deferPrivately(interaction);
  if (!(await deps.admitted)) return;
  // Acted for only when the presser is a member (a crafted id could name any server).
  const member = await verifiedWelcomeGuild(interaction, welcomeGuild, deps.log);
  const invocation = discordInvocation(interaction, requestId, { fromAction: true, ...(member ? { welcomeGuild: member } : {}) });
  const replies = withUserInstallNote(interaction, await deps.engine.dispatch(invocation, parsed.verb, parsed.args));
  await deliver(interaction, replies.map((reply) => withWelcomeGuild(reply, actingFor(interaction, invocation.scope, member))), deps.confirmations);
}

/** The welcome guild a DM interaction acted for (its scope came from it): the next buttons keep acting for it. */
function actingFor(interaction: ButtonInteraction | ModalSubmitInteraction, scope: string | undefined, welcomeGuild: string | undefined): string | undefined {
  return interaction.guildId === null && scope !== undefined ? welcomeGuild : undefined;
}

/** Suggestions for the focused option, from the command's declared source (e.g. `delete`'s own handles). */
async function onAutocomplete(deps: InteractionDeps, interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const verb = verbOf(interaction.commandName, interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(false));
  const suggestions = await deps.engine.complete({ identity: discordIdentity(interaction.user.id) }, verb, focused.name, focused.value);
  await interaction.respond(suggestions.slice(0, AUTOCOMPLETE_MAX).map((value) => ({ name: value, value })));
}

function optionArgs(interaction: ChatInputCommandInteraction, command: Command): Args {
  const args: Args = {};
  for (const option of command.options) {
    const value = interaction.options.get(option.name)?.value;
    if (value === undefined) continue;
    args[option.name] = option.type === 'boolean' ? value === true : String(value);
  }
  return args;
}

/** The action a pressed ask-first button stands for, with the label and style it was drawn with. */
function pressedAction(interaction: ButtonInteraction, verb: string[], args: Record<string, string>): Action {
  const drawn = interaction.component;
  const label = 'label' in drawn && typeof drawn.label === 'string' && drawn.label !== '' ? drawn.label : verb.join(' ');
  const style = drawn.style === ButtonStyle.Danger ? 'danger' : 'primary';
  return { verb: verb.join(' '), args, label, style };
}
