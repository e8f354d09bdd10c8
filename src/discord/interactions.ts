/**
 * What each kind of interaction does. Every handler acknowledges before any I/O — a modal
 * for `key set` (which must be the first response), otherwise a private defer — then asks the
 * engine and hands the replies to reply-delivery. A handler that fails answers with the
 * catalogue's apology and its request id; nothing here can throw out to the client.
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
import type { Action, Args, Command } from '../core/types.js';
import type { Store } from '../store/types.js';
import type { Logger } from '../ops/logger.js';
import { HANDLE_COMMAND, verbOf } from './command-definitions.js';
import type { ConfirmationMemory } from './confirmations.js';
import { KEY_INPUT_ID, KEY_MODAL_ID, parseButtonId } from './custom-ids.js';
import { describeDiscordError } from './errors.js';
import { discordInvocation } from './invocation.js';
import { renderConfirmation, renderDiscordReply } from './render.js';
import { apologise, deferAsUpdate, deferPrivately, deliver, send } from './reply-delivery.js';

export type InteractionDeps = {
  engine: Engine;
  store: Pick<Store, 'listHistory'>;
  log: Logger;
  confirmations: ConfirmationMemory;
};

const AUTOCOMPLETE_MAX = 25;
const KEY_INPUT_MAX = 256;

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
  const replies = await deps.engine.dispatch(discordInvocation(interaction, requestId), verb, args);
  await deliver(interaction, replies, deps.confirmations);
}

async function onModalSubmit(deps: InteractionDeps, interaction: ModalSubmitInteraction, requestId: string): Promise<void> {
  if (interaction.customId !== KEY_MODAL_ID) {
    await send(interaction, renderDiscordReply(messages.discordStaleButtonReply()), 'private');
    return;
  }
  await deferPrivately(interaction);
  // The key goes straight to the engine: it is never logged, echoed or kept here.
  const key = interaction.fields.getTextInputValue(KEY_INPUT_ID);
  const replies = await deps.engine.dispatch(discordInvocation(interaction, requestId), ['key', 'set'], { key });
  await deliver(interaction, replies, deps.confirmations);
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
  if (command?.firstResponse === 'modal') {
    await interaction.showModal(keyModal());
    return;
  }
  if (parsed.step === 'ask') {
    const action = pressedAction(interaction, parsed.verb, parsed.args);
    await send(interaction, renderConfirmation(action, deps.confirmations.recall(interaction.customId)), 'private');
    return;
  }
  // Confirm replaces the question with the result (so it cannot be pressed twice); other buttons answer anew.
  if (parsed.step === 'confirmed') await deferAsUpdate(interaction);
  else await deferPrivately(interaction);
  const invocation = discordInvocation(interaction, requestId, { fromAction: true });
  const replies = await deps.engine.dispatch(invocation, parsed.verb, parsed.args);
  await deliver(interaction, replies, deps.confirmations);
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

function keyModal(): APIModalInteractionResponseCallbackData {
  const text = messages.discordKeyModalText;
  return {
    custom_id: KEY_MODAL_ID,
    title: text.title,
    components: [
      {
        type: ComponentType.Label,
        label: text.label,
        description: text.description,
        component: {
          type: ComponentType.TextInput,
          custom_id: KEY_INPUT_ID,
          style: TextInputStyle.Short,
          placeholder: text.placeholder,
          required: true,
          max_length: KEY_INPUT_MAX,
        },
      },
    ],
  };
}
