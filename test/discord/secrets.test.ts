/**
 * Secret scan: whole Discord flows with a known API key. The key reaches the mail API (that is
 * its job) and nowhere else: not in anything the bot sent to Discord, not in the logs, not in
 * the store's files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, embedText, type Harness, startHarness, MODES } from './harness.js';

describe.each(MODES)('%s mode', (mode) => {

  let h: Harness;
  beforeAll(async () => { h = await startHarness({ mode }); });
  afterAll(async () => { await h.close(); });

  it('a known key appears nowhere but in the calls to the mail API', async () => {
    const key = h.mail.newKey('alice@owner.example');
    const variants = [key, key.toUpperCase()];

    expect((await h.run('set', {}, ALICE, { group: 'key' }).callback()).type).toBe(9);
    const linked = h.submitModal('hb-key-set', { key: ` ${key.toUpperCase()} ` });
    expect(embedText(await linked.original())).toMatch(/^Your API key is linked/);
    expect(embedText(await h.run('status', {}, ALICE, { group: 'key' }).original())).toMatch(/^Your API key is linked/);
    const created = h.run('create', { name: 'secret-test' });
    expect(embedText(await created.original())).toMatch(/^You claimed `secret-test`/);
    await created.followUp();
    // A key pasted into a malformed submit, and one the service rejects, are not echoed either.
    const rejected = 'cd'.repeat(32);
    expect(embedText(await h.submitModal('hb-key-set', { key: rejected }).original())).toMatch(/does not accept/);
    await h.run('forget').original();
    await created.settled();

    // The mail API did receive it: the scan below is looking at the right string.
    expect(h.mail.requests.some((r) => r.headers['x-api-key'] === key)).toBe(true);

    // Everything the bot sent to Discord (REST calls and gateway frames from the bot; not what "Discord" sent it).
    const fromBot = JSON.stringify(h.discord.traffic.filter((t) => t.kind !== 'gateway' || t.direction === 'in'));
    const logs = h.logLines.join('\n');
    for (const secret of [...variants, rejected]) {
      expect(fromBot).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(await h.storeFilesContain(secret)).toBe(false);
    }
    // Nothing secret even reached the logger (the scrubber would have had to redact it).
    expect(logs).not.toContain('[Redacted]');
  });
});
