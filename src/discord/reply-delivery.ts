/**
 * The one place that decides how a message reaches Discord for an interaction: the first
 * response (`reply`), the deferred one (`editReply`) or another message (`followUp`), from
 * the interaction's own state. Nothing else in the adapter calls those methods, so
 * "Interaction has already been acknowledged" cannot happen.
 *
 * Private replies are ephemeral; a channel reply (the create announcement) is always a
 * separate, public follow-up, because a deferred ephemeral response cannot become public.
 */
import {
  type ButtonInteraction, type ChatInputCommandInteraction, MessageFlags, type ModalSubmitInteraction,
} from 'discord.js';
import { catalogue, localeFromTag } from '../core/messages/index.js';
import type { Reply } from '../core/types.js';
import type { Logger } from '../ops/logger.js';
import type { ConfirmationMemory } from './confirmations.js';
import { describeDiscordError } from './errors.js';
import { confirmationsOf, type DiscordMessage, renderDiscordReply } from './render.js';

export type AnswerableInteraction = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

type Delivery = {
  /** `reply`: the first response is our own message; `update`: it is the message carrying the pressed button. */
  mode: 'reply' | 'update';
  originalEphemeral: boolean;
  /** The deferred first response has been given its content. */
  originalFilled: boolean;
};

const deliveries = new WeakMap<AnswerableInteraction, Delivery>();

function deliveryOf(interaction: AnswerableInteraction): Delivery {
  let delivery = deliveries.get(interaction);
  if (!delivery) {
    delivery = { mode: 'reply', originalEphemeral: interaction.ephemeral === true, originalFilled: interaction.replied };
    deliveries.set(interaction, delivery);
  }
  return delivery;
}

/** Acknowledge with a private "thinking…" response. Call before any I/O. */
export async function deferPrivately(interaction: AnswerableInteraction): Promise<void> {
  if (interaction.deferred || interaction.replied) return;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  deliveries.set(interaction, { mode: 'reply', originalEphemeral: true, originalFilled: false });
}

/** Acknowledge a button press whose answer replaces the message carrying the button. */
export async function deferAsUpdate(interaction: ButtonInteraction): Promise<void> {
  if (interaction.deferred || interaction.replied) return;
  await interaction.deferUpdate();
  deliveries.set(interaction, { mode: 'update', originalEphemeral: interaction.message.flags.has(MessageFlags.Ephemeral), originalFilled: false });
}

/** Sends one rendered message with the visibility asked for, by whichever method the state allows. */
export async function send(interaction: AnswerableInteraction, message: DiscordMessage, visibility: Reply['visibility']): Promise<void> {
  const ephemeral = visibility === 'private';
  const withFlags = ephemeral ? { ...message, flags: MessageFlags.Ephemeral as const } : message;
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply(withFlags);
    deliveries.set(interaction, { mode: 'reply', originalEphemeral: ephemeral, originalFilled: true });
    return;
  }
  const delivery = deliveryOf(interaction);
  if (interaction.deferred && !delivery.originalFilled && delivery.originalEphemeral === ephemeral) {
    await interaction.editReply(message);
    delivery.originalFilled = true;
    return;
  }
  await interaction.followUp(withFlags);
}

/**
 * Delivers the engine's replies: the first private one fills the deferred response, channel
 * replies become public follow-ups, further private ones ephemeral follow-ups. The questions of
 * ask-first buttons are remembered for the confirmation step.
 */
export async function deliver(interaction: AnswerableInteraction, replies: Reply[], memory: ConfirmationMemory): Promise<void> {
  const firstPrivate = replies.find((r) => r.visibility === 'private');
  const ordered = firstPrivate ? [firstPrivate, ...replies.filter((r) => r !== firstPrivate)] : replies;
  for (const reply of ordered) {
    for (const { buttonId, confirm } of confirmationsOf(reply)) memory.remember(buttonId, confirm);
    await send(interaction, renderDiscordReply(reply), reply.visibility);
  }
  await settle(interaction);
}

/** A deferred response nothing filled must not stay "thinking…" forever. */
async function settle(interaction: AnswerableInteraction): Promise<void> {
  const delivery = deliveries.get(interaction);
  if (!interaction.deferred || !delivery || delivery.originalFilled) return;
  if (delivery.mode === 'update') await interaction.editReply({ components: [] });
  else await interaction.deleteReply();
  delivery.originalFilled = true;
}

/** The catalogue's apology with the request id, by whatever route is still open. Never throws. */
export async function apologise(interaction: AnswerableInteraction, requestId: string, log: Logger): Promise<void> {
  try {
    await send(interaction, renderDiscordReply(catalogue(localeFromTag(interaction.locale)).internalErrorReply(requestId)), 'private');
  } catch (error) {
    log.warn({ requestId, err: describeDiscordError(error) }, 'could not send the apology to Discord');
  }
}
