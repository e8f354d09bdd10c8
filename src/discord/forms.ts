/**
 * A command's form as a Discord modal: the form's words from the catalogue, one short text
 * input per input to ask (its id is the option's name), drawn from the command's declaration.
 * Discord's limits: title and label 45 characters, description and placeholder 100.
 */
import { ComponentType, type APIModalInteractionResponseCallbackData, type ModalSubmitInteraction, TextInputStyle } from 'discord.js';
import { formLimits } from '../core/interactions.js';
import { catalogue, type Locale } from '../core/messages/index.js';
import type { Command, Option } from '../core/types.js';
import { modalId } from './custom-ids.js';
import { truncatePlain } from './markdown.js';

const TITLE_MAX = 45;
const DESCRIPTION_MAX = 100;

export function formModal(command: Command, inputs: Option[], welcomeGuild?: string, locale?: Locale): APIModalInteractionResponseCallbackData {
  const form = command.form ? catalogue(locale).forms[command.form] : undefined;
  return {
    custom_id: modalId(command.form ?? command.verb.join('_'), welcomeGuild),
    title: truncatePlain(form?.title ?? command.description, TITLE_MAX),
    components: inputs.map((option) => {
      const field = form?.fields[option.name];
      const hint = field?.hintShort ?? field?.hint;
      const { min, max } = formLimits(option);
      return {
        type: ComponentType.Label,
        label: truncatePlain(field?.label ?? option.name, TITLE_MAX),
        ...(hint ? { description: truncatePlain(hint, DESCRIPTION_MAX) } : {}),
        component: {
          type: ComponentType.TextInput,
          custom_id: option.name,
          style: TextInputStyle.Short,
          ...(field?.placeholder ? { placeholder: truncatePlain(field.placeholder, DESCRIPTION_MAX) } : {}),
          required: true,
          ...(min !== undefined ? { min_length: min } : {}),
          max_length: max,
        },
      };
    }),
  };
}

/** What was typed into one input of a submitted modal; undefined when the modal had no such input. */
export function submittedValue(interaction: ModalSubmitInteraction, inputId: string): string | undefined {
  try {
    return interaction.fields.getTextInputValue(inputId);
  } catch {
    return undefined;
  }
}
