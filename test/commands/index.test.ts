import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { formInputs } from '../../src/core/interactions.js';
import { catalogue } from '../../src/core/messages/index.js';

describe('the command list', () => {
  it('names each verb once, and every input asked in a form has a form with words for it', () => {
    const verbs = commands.map((c) => c.verb.join(' '));
    expect(new Set(verbs).size).toBe(verbs.length);
    for (const command of commands) {
      const inputs = formInputs(command);
      if (inputs.length === 0) continue;
      expect(command.form, command.verb.join(' ')).toBeDefined();
      for (const input of inputs) expect(catalogue('en').forms[command.form!].fields[input.name], `${verbs.join()} ${input.name}`).toBeDefined();
    }
  });
});
