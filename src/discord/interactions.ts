/**
 * What each kind of interaction does. Every handler acknowledges before any I/O — a modal
 * for `key set` and for a `key request` button without an address (a modal must be the first
 * response), otherwise a private defer — then asks the engine and hands the replies to
 * reply-delivery. A handler that fails answers with the catalogue's apology and its request
 * id; nothing here can throw out to the client.
 */
import {
  type AutocompleteInteraction, type ButtonInteraction, ButtonStyle, type ChatInputCommandInteraction,
  ComponentType, type Interaction, type ModalSubmitInteraction, type APIModalInteractionResponseCallbackData,
  TextInputStyle,
} from 'discord.js';
import type { Engine } from '../core/engine.js';
import { discordIdentity } from '../core/identity.js';
import * as messages from '../core/messages/index.js';
import { newRequestId } from '../core/request-id.js';
import type { Action, Args, Command, Text } from '../core/types.js';
import type { Store } from '../store/types.js';
import type { Logger } from '../ops/logger.js';
import { HANDLE_COMMAND, verbOf } from './command-definitions.js';
import type { ConfirmationMemory } from './confirmations.js';
import {
  EMAIL_INPUT_ID, KEY_INPUT_ID, type ModalKind, modalId, parseButtonId, parseModalId, withWelcomeGuild, withWelcomeGuildArgs,
} from './custom-ids.js';
import { describeDiscordError } from './errors.js';
import { discordInvocation } from './invocation.js';
import { renderConfirmation, renderDiscordReply } from './render.js';
import { apologise, deferAsUpdate, deferPrivately, deliver, send } from './reply-delivery.js';

export type InteractionDeps = {
  engine: Engine;
  store: Pick<Store, 'listHistory'>;
  log: Logger;
  confirmations: ConfirmationMemory;
  /** Added to `/handle-admin onboarding enabled:true` while the bot cannot see people join. */
  onboardingWarning?: Text;
};

const AUTOCOMPLETE_MAX = 25;
const KEY_INPUT_MAX = 256;
/** The service's own bounds for an address (and `key request`'s option). */
const EMAIL_MIN = 3;
const EMAIL_MAX = 254;

export function createInteractionHandler(deps: InteractionDeps): (interaction: Interaction) => Promise<void> {
  const { log } = deps;
  return async (interaction) => {
    const requestId = newRequestId();
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

async function onCommand(deps: InteractionDeps, interaction: ChatInputCommandInteraction, requestId: string): Promise<void> {
  const verb = verbOf(interaction.commandName, interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(false));
  const command = exactCommand(deps.engine, verb);
  if (command?.firstResponse === 'modal') {
    await interaction.showModal(keyModal());
    return;
  }
  await deferPrivately(interaction);
  const args = command ? optionArgs(interaction, command) : {};
  const invocation = discordInvocation(interaction, requestId, deps.onboardingWarning ? { onboardingWarning: deps.onboardingWarning } : {});
  const replies = await deps.engine.dispatch(invocation, verb, args);
  await deliver(interaction, replies, deps.confirmations);
}

async function onModalSubmit(deps: InteractionDeps, interaction: ModalSubmitInteraction, requestId: string): Promise<void> {
  const modal = parseModalId(interaction.customId);
  if (modal.kind === 'unknown') {
    await send(interaction, renderDiscordReply(messages.discordStaleButtonReply()), 'private');
    return;
  }
  await deferPrivately(interaction);
  const invocation = discordInvocation(interaction, requestId, modal.welcomeGuild ? { welcomeGuild: modal.welcomeGuild } : {});
  // The key goes straight to the engine: it is never logged, echoed or kept here.
  const [verb, args]: [string[], Args] = modal.kind === 'key_set'
    ? [['key', 'set'], { key: interaction.fields.getTextInputValue(KEY_INPUT_ID) }]
    : [['key', 'request'], { email: interaction.fields.getTextInputValue(EMAIL_INPUT_ID) }];
  const replies = await deps.engine.dispatch(invocation, verb, args);
  await deliver(interaction, replies.map((reply) => withWelcomeGuild(reply, actingFor(interaction, invocation.scope, modal.welcomeGuild))), deps.confirmations);
}

async function onButton(deps: InteractionDeps, interaction: ButtonInteraction, requestId: string): Promise<void> {
  const parsed = parseButtonId(interaction.customId);
  if (parsed.kind === 'cancel') {
    await interaction.update({ ...renderDiscordReply(messages.discordCancelledReply()), components: [] });
    return;
  }
  if (parsed.kind === 'unknown') {
    await send(interaction, renderDiscordReply(messages.discordStaleButtonReply()), 'private');
    return;
  }
  const command = exactCommand(deps.engine, parsed.verb);
  // A welcome DM's mark counts only in a DM (elsewhere the interaction has its own guild), and only
  // for everyone's verbs: settings stay with those who run /handle-admin in the server.
  const welcomeGuild = interaction.guildId === null && command?.who === 'everyone' ? parsed.welcomeGuild : undefined;
  const modal = modalFor(command, parsed.args);
  if (modal) {
    await interaction.showModal(modal === 'key_set' ? keyModal(welcomeGuild) : keyRequestModal(welcomeGuild));
    return;
  }
  if (parsed.step === 'ask') {
    const action = pressedAction(interaction, parsed.verb, withWelcomeGuildArgs(parsed.args, welcomeGuild));
    await send(interaction, renderConfirmation(action, deps.confirmations.recall(interaction.customId)), 'private');
    return;
  }
  // Confirm replaces the question with the result (so it cannot be pressed twice); other buttons answer anew.
  if (parsed.step === 'confirmed') await deferAsUpdate(interaction);
  else await deferPrivately(interaction);
  const invocation = discordInvocation(interaction, requestId, { fromAction: true, ...(welcomeGuild ? { welcomeGuild } : {}) });
  const replies = await deps.engine.dispatch(invocation, parsed.verb, parsed.args);
  await deliver(interaction, replies.map((reply) => withWelcomeGuild(reply, actingFor(interaction, invocation.scope, welcomeGuild))), deps.confirmations);
}

/** A button that must ask for something first: the key (always), or the address for "I need a key". */
function modalFor(command: Command | undefined, args: Record<string, string>): ModalKind | undefined {
  if (command?.firstResponse === 'modal') return 'key_set';
  if (command?.verb.join(' ') === 'key request' && !args.email) return 'key_request';
  return undefined;
}

/** The welcome guild a DM interaction acted for (its scope came from it): the next buttons keep acting for it. */
function actingFor(interaction: ButtonInteraction | ModalSubmitInteraction, scope: string | undefined, welcomeGuild: string | undefined): string | undefined {
  return interaction.guildId === null && scope !== undefined ? welcomeGuild : undefined;
}

/** `delete`'s `name`: the caller's own handles that are still theirs, newest first, matching what is typed. */
async function onAutocomplete(deps: InteractionDeps, interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const subcommand = interaction.options.getSubcommand(false);
  if (interaction.commandName !== HANDLE_COMMAND || subcommand !== 'delete' || focused.name !== 'name') {
    await interaction.respond([]);
    return;
  }
  const typed = focused.value.trim().toLowerCase();
  let handles: string[] = [];
  try {
    const history = await deps.store.listHistory(discordIdentity(interaction.user.id), 200);
    const latest = new Map<string, string>();
    for (const entry of history) if (!latest.has(entry.handle)) latest.set(entry.handle, entry.status);
    handles = [...latest].filter(([, status]) => status !== 'deleted').map(([handle]) => handle);
  } catch (error) {
    deps.log.warn({ err: describeDiscordError(error) }, 'autocomplete: history unavailable');
  }
  const matching = handles.filter((h) => h.includes(typed));
  const ranked = [...matching.filter((h) => h.startsWith(typed)), ...matching.filter((h) => !h.startsWith(typed))];
  await interaction.respond(ranked.slice(0, AUTOCOMPLETE_MAX).map((h) => ({ name: h, value: h })));
}

function exactCommand(engine: Engine, verb: string[]): Command | undefined {
  const command = engine.findCommand(verb);
  return command && command.verb.length === verb.length ? command : undefined;
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

type ModalText = { title: string; label: string; description: string; placeholder: string };

/** Both of our modals ask for one short line: the key, or the address to e-mail one to. */
function oneLineModal(customId: string, text: ModalText, input: { id: string; minLength?: number; maxLength: number }): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId,
    title: text.title,
    components: [
      {
        type: ComponentType.Label,
        label: text.label,
        description: text.description,
        component: {
          type: ComponentType.TextInput,
          custom_id: input.id,
          style: TextInputStyle.Short,
          placeholder: text.placeholder,
          required: true,
          ...(input.minLength !== undefined ? { min_length: input.minLength } : {}),
          max_length: input.maxLength,
        },
      },
    ],
  };
}

function keyModal(welcomeGuild?: string): APIModalInteractionResponseCallbackData {
  return oneLineModal(modalId('key_set', welcomeGuild), messages.discordKeyModalText, { id: KEY_INPUT_ID, maxLength: KEY_INPUT_MAX });
}

/** "I need a key": the address the service should e-mail (then the service's own checks and limits apply). */
function keyRequestModal(welcomeGuild?: string): APIModalInteractionResponseCallbackData {
  return oneLineModal(modalId('key_request', welcomeGuild), messages.discordKeyRequestModalText, {
    id: EMAIL_INPUT_ID, minLength: EMAIL_MIN, maxLength: EMAIL_MAX,
  });
}
