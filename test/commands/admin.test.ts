import { describe, expect, it } from 'vitest';
import { adminAnnounce, adminKeyEvents, adminLanguage, adminNotify, adminNotifyOff, adminOnboarding } from '../../commands/admin.js';
import { plainText } from '../../src/core/text.js';
import { fakeCtx } from './fake-ctx.js';

describe('admin settings', () => {
  it('notify: a channel the platform accepts, one it refuses (nothing saved), and off', async () => {
    const run = fakeCtx({ invocation: { checkChannel: (id) => Promise.resolve(id === 'CBAD' ? { ok: false, fix: ['Invite the bot.'] } : { ok: true }) } });
    expect((await adminNotify.run(run.ctx, { channel: 'CADMIN' })).outcome).toEqual({ kind: 'settings_changed' });
    expect(run.settings.get('slack:T1')?.notifyChannel).toBe('CADMIN');
    expect((await adminNotify.run(run.ctx, { channel: 'CBAD' })).outcome).toEqual({ kind: 'refused', reason: 'channel_unusable' });
    expect(run.settings.get('slack:T1')?.notifyChannel).toBe('CADMIN');
    expect((await adminNotify.run(run.ctx, { channel: 'OFF' })).outcome).toEqual({ kind: 'settings_changed' });
    expect(run.settings.get('slack:T1')?.notifyChannel).toBeUndefined();
    await adminNotify.run(run.ctx, { channel: 'CADMIN' });
    expect((await adminNotifyOff.run(run.ctx)).outcome).toEqual({ kind: 'settings_changed' });
    expect(run.settings.get('slack:T1')?.notifyChannel).toBeUndefined();
  });

  it('announce and key events switch one setting each', async () => {
    const run = fakeCtx();
    await adminAnnounce.run(run.ctx, { enabled: false });
    await adminKeyEvents.run(run.ctx, { enabled: true });
    expect(run.settings.get('slack:T1')).toMatchObject({ announce: false, keyEvents: true });
  });

  it('language: a locale (as typed in any case, or by its language) is kept; auto clears it; anything else is refused', async () => {
    const run = fakeCtx();
    const set = await adminLanguage.run(run.ctx, { language: 'pt_br' });
    expect(set.outcome).toEqual({ kind: 'settings_changed' });
    expect(run.settings.get('slack:T1')?.language).toBe('pt-BR');
    expect(plainText(set.replies[0]!.title)).toBe('The bot’s posts here are now in Brazilian Portuguese');
    expect(set.replies[0]?.fields?.find((f) => f.label === 'Language')?.value).toEqual(['Brazilian Portuguese']);
    await adminLanguage.run(run.ctx, { language: 'en' });
    expect(run.settings.get('slack:T1')?.language).toBe('en');
    await adminLanguage.run(run.ctx, { language: 'AUTO' });
    expect(run.settings.get('slack:T1')?.language).toBeUndefined();
    const french = await adminLanguage.run(run.ctx, { language: 'fr' });
    expect(french.outcome).toEqual({ kind: 'refused', reason: 'invalid_input' });
    expect(plainText(french.replies[0]!.body![0]!)).toBe('Say `auto`, `en` or `pt-BR`. For example: `/handle admin language auto`.');
  });

  it('onboarding keeps the welcome text, and warns when the platform cannot see people join', async () => {
    const run = fakeCtx({ invocation: { onboardingWarning: ['Cannot see joins.'] } });
    const on = await adminOnboarding.run(run.ctx, { enabled: true, welcome: 'Hi!' });
    expect(on.outcome).toEqual({ kind: 'settings_changed' });
    expect(run.settings.get('slack:T1')).toMatchObject({ onboarding: true, welcomeText: 'Hi!' });
    expect((on.replies[0]?.body ?? []).map((l) => plainText(l)).join('\n')).toContain('Cannot see joins.');
    const off = await adminOnboarding.run(run.ctx, { enabled: false });
    expect((off.replies[0]?.body ?? []).map((l) => plainText(l)).join('\n')).not.toContain('Cannot see joins.');
  });
});
