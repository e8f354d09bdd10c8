/**
 * Admission of the work after an ack (issue 19, ack latency at 200 in flight): it starts on a
 * later turn of the event loop than the acks that arrived with it, at most `limit` commands
 * compute at once, a command waiting (the network, its cooldown turn) gives its place up and
 * comes back ahead of new commands, and no place outlives the work that held it.
 */
import { describe, expect, it } from 'vitest';
import { createAdmission, whileWaiting } from '../../src/core/admission.js';

const nextTurn = () => new Promise<void>((resolve) => { setImmediate(resolve); });
const microtasks = async () => {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
};

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { opened, open };
}

describe('admission', () => {
  it('starts the work on a later turn of the event loop, never in the same one', async () => {
    const admission = createAdmission(4);
    let started = false;
    const done = admission.run(() => {
      started = true;
      return Promise.resolve();
    });
    await microtasks();
    expect(started).toBe(false);
    await done;
    expect(started).toBe(true);
    expect(admission.running).toBe(0);
  });

  it('runs at most `limit` at once; the next starts, in arrival order, when a place is free', async () => {
    const admission = createAdmission(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) => admission.run(async () => { started.push(i); await g.opened; }));
    await nextTurn();
    await nextTurn();
    expect(started).toEqual([0, 1]);
    expect(admission.running).toBe(2);
    expect(admission.waiting).toBe(2);
    gates[1]?.open();
    await runs[1];
    await nextTurn();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.open();
    gates[2]?.open();
    gates[3]?.open();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(admission.running).toBe(0);
    expect(admission.waiting).toBe(0);
  });

  it('gives the place up while waiting, and takes it back ahead of commands not started yet', async () => {
    const admission = createAdmission(1);
    const network = gate();
    const order: string[] = [];
    const first = admission.run(async () => {
      order.push('first computes');
      await whileWaiting(network.opened);
      order.push('first resumes');
    });
    await nextTurn();
    const second = admission.run(async () => {
      order.push('second computes');
      // While the second holds the place, a third arrives; the first comes back meanwhile.
      network.open();
      await microtasks();
      order.push('second done');
    });
    const third = admission.run(() => {
      order.push('third computes');
      return Promise.resolve();
    });
    await Promise.all([first, second, third]);
    expect(order).toEqual(['first computes', 'second computes', 'second done', 'first resumes', 'third computes']);
    expect(admission.running).toBe(0);
  });

  it('frees the place of work that throws', async () => {
    const admission = createAdmission(1);
    await expect(admission.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(admission.running).toBe(0);
    await expect(admission.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('never lets a place outlive its work: a leftover wait after the work ended takes none', async () => {
    const admission = createAdmission(1);
    const late = gate();
    let leftover: Promise<void> | undefined;
    await admission.run(() => {
      // Started by the work, not awaited by it (a fire-and-forget lookup).
      leftover = whileWaiting(late.opened);
      return Promise.resolve();
    });
    late.open();
    await leftover;
    await nextTurn();
    expect(admission.running).toBe(0);
    await expect(admission.run(() => Promise.resolve('still admitted'))).resolves.toBe('still admitted');
  });

  it('two branches of one command waiting at once give the place up once and take it back once', async () => {
    const admission = createAdmission(1);
    const a = gate();
    const b = gate();
    await admission.run(async () => {
      const branches = Promise.all([whileWaiting(a.opened), whileWaiting(b.opened)]);
      a.open();
      b.open();
      await branches;
      expect(admission.running).toBe(1);
    });
    expect(admission.running).toBe(0);
  });

  it('waits plainly outside admitted work', async () => {
    await expect(whileWaiting(Promise.resolve(7))).resolves.toBe(7);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => createAdmission(0)).toThrow(RangeError);
    expect(() => createAdmission(1.5)).toThrow(RangeError);
  });
});
