import { isAdmin } from '../src/core/admin.js';
import { result } from '../src/core/outcome.js';
import { findCommand } from '../src/core/parse.js';
import type { Command } from '../src/core/types.js';

/** What the bot can do; `help <command>` explains one. Needs the full list, so it is built from it. */
export function helpCommand(all: () => Command[]): Command {
  return {
    verb: ['help'],
    description: 'Show what the bot can do',
    usage: 'help [command]',
    options: [{ name: 'command', description: 'a command to explain, e.g. create', type: 'string', max: 40, rest: true }],
    who: 'everyone',
    run(ctx, args) {
      const showAdmin = isAdmin(ctx.invocation, ctx.config);
      const asked = typeof args.command === 'string' ? args.command.trim().replace(/^\/handle(?:-admin)?\s*/, '') : '';
      if (asked === '') return Promise.resolve(result({ kind: 'shown' }, ctx.messages.helpReply(all(), showAdmin)));
      const command = findCommand(all(), asked.split(/\s+/));
      return Promise.resolve(command
        ? result({ kind: 'shown' }, ctx.messages.helpForCommand(command))
        : result({ kind: 'refused', reason: 'unknown_command' }, ctx.messages.unknownCommandReply(asked, all(), showAdmin)));
    },
  };
}
