/**
 * The words of the Slack manifest's Workflow Builder step. The manifest stays English (one
 * manifest per app, whatever each person's language), so these are not part of any locale's
 * catalogue; a locale that mentions the step quotes its English title, as Workflow Builder shows it.
 */
export const claimStepText = {
  title: 'Claim an e-mail handle',
  description: 'Claims a handle on the mail-forwarding service for the person running the workflow, with their own linked API key',
  handleTitle: 'Handle',
  handleDescription: 'The handle to claim: the part before the @',
  handleHint: 'Letters a–z, digits and . _ - + ; for example the person’s name',
  interactivityTitle: 'Person running the workflow',
  interactivityDescription: 'Who started the workflow: the step acts only for them, with their own API key',
  outHandleTitle: 'Handle',
  outHandleDescription: 'The handle that was claimed',
  outAddressesTitle: 'Addresses',
  outAddressesDescription: 'Every address of the handle, comma-separated',
} as const;
