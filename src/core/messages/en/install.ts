/**
 * The web pages of "Add to Slack" (the hosted, multi-workspace mode): the install page, and the
 * page Slack sends the installer back to. The Slack front door draws them as HTML, escaping
 * every word.
 */

/** One page: its title, a heading, paragraphs, and the label of its one button (if any). */
export type InstallPageWords = { title: string; heading: string; lines: string[]; button?: string };

/** Why an install did not finish, in words an installer can act on. */
export type InstallFailure = 'cancelled' | 'expired' | 'failed';

export function installPage(): InstallPageWords {
  return {
    title: 'Add handle-bot to Slack',
    heading: 'Add handle-bot to your Slack workspace',
    lines: [
      'handle-bot lets each member claim an e-mail handle on the mail-forwarding service from any channel, with their own API key.',
      'Slack will show what the bot may do and ask you to pick the workspace. Installing needs permission to add apps there.',
    ],
    button: 'Add to Slack',
  };
}

export function installedPage(workspace: string): InstallPageWords {
  return {
    title: 'handle-bot is installed',
    heading: `handle-bot is now in ${workspace}`,
    lines: [
      'Next: type /handle help in any channel to see what it does.',
      'Each member links their own API key with /handle key set, then claims a handle with /handle create <name>.',
      'Admins choose where the bot reports new handles and outages with /handle admin notify #channel.',
    ],
  };
}

export function installFailedPage(reason: InstallFailure): InstallPageWords {
  const why: Record<InstallFailure, string> = {
    cancelled: 'The installation was cancelled in Slack, so nothing was installed.',
    expired: 'This installation link has expired or was opened in another browser. Start again from the install page, in one browser, within 10 minutes.',
    failed: 'Slack did not confirm the installation, so nothing was installed. Try again in a minute; if it keeps failing, tell whoever runs this bot.',
  };
  return { title: 'handle-bot was not installed', heading: 'handle-bot was not installed', lines: [why[reason]], button: 'Start again' };
}
