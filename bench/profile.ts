/**
 * Summarises the profiles written by `npm run bench -- --cpu-prof` for a measured window:
 * - `.cpuprofile` (V8 CPU profile): self time by package (node_modules/<pkg>, the project's own
 *   folders, node internals, GC) and by function, and the inclusive time of the project's own functions;
 * - `.heapprofile` (V8 sampling heap profile, garbage included): bytes allocated by package and by function.
 *
 *   npx tsx bench/profile.ts bench/results/profiles/<run>/<cell>.cpuprofile [top=25]
 *   npx tsx bench/profile.ts bench/results/profiles/<run>/<cell>.heapprofile [top=25]
 *   npx tsx bench/profile.ts --stages <a.cpuprofile> [<b.cpuprofile> …]   CPU ms per command by stage
 *     (bench/stages.ts), one column per profile; the command count is the file name's n<N>.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stageOf, STAGES, type Frame as StageFrame } from './stages.js';

type Frame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: Frame; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** The project's own file (src/…, commands/…, bench/…) a URL points at, wherever it was compiled to. */
function ownFile(url: string): string | undefined {
  if (url.includes('/node_modules/')) return undefined;
  const match = /\/((?:src|commands|bench)\/.+)$/.exec(url.replace(/^.*\/bench\/results\/build\//, '/'));
  return match?.[1];
}

export function packageOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return '(gc)';
  if (functionName === '(idle)' || functionName === '(program)') return functionName;
  if (url === '') return '(native/V8)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const own = ownFile(url);
  return own ? own.split('/').slice(0, own.startsWith('src/') ? 2 : 1).join('/') : url;
}

export function summariseProfile(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const file = frame.url.replace(/^.*\/(node_modules\/|bench\/results\/build\/)/, '');
    const key = `${frame.functionName || '(anonymous)'}  ${file}:${String(frame.lineNumber + 1)}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = packageOf(frame.url, frame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const busy = total - (byPackage.get('(idle)') ?? 0);
  const lines = [`${(total / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s not idle`, '', 'self time by package (% of non-idle):'];
  for (const [pkg, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    if (pkg === '(idle)') continue;
    lines.push(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${pkg}`);
  }
  // Inclusive time of the project's own functions: self time plus everything they called
  // synchronously (a function counted once per stack, so recursion does not double it).
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      const file = frame ? ownFile(frame.url) : undefined;
      if (!frame || !file) continue;
      const key = `${frame.functionName || '(anonymous)'}  ${file}:${String(frame.lineNumber + 1)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  lines.push('', "inclusive time of the project's own functions (synchronous part, % of non-idle):");
  for (const [fn, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${fn}`);
  }
  lines.push('', 'self time by function (% of non-idle):');
  for (const [fn, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    if (fn.startsWith('(idle)')) continue;
    lines.push(`  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${fn}`);
  }
  return lines.join('\n');
}

type AllocationNode = { callFrame: Frame; selfSize: number; children: AllocationNode[] };

export function summariseAllocations(root: AllocationNode, top = 25): string {
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  const walk = (node: AllocationNode, ownStack: string[]) => {
    const frame = node.callFrame;
    const file = frame.url.replace(/^.*\/(node_modules\/|bench\/results\/build\/)/, '');
    const key = `${frame.functionName || '(anonymous)'}  ${file}:${String(frame.lineNumber + 1)}`;
    const own = ownFile(frame.url) ? [...new Set([...ownStack, key])] : ownStack;
    if (node.selfSize > 0) {
      total += node.selfSize;
      const pkg = packageOf(frame.url, frame.functionName);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + node.selfSize);
      byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
      for (const fn of own) inclusive.set(fn, (inclusive.get(fn) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, own);
  };
  walk(root, []);
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1).padStart(7);
  const pct = (bytes: number) => ((bytes / total) * 100).toFixed(1).padStart(5);
  const section = (title: string, map: Map<string, number>) => [
    '', title,
    ...[...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, bytes]) => `  ${pct(bytes)}%  ${mb(bytes)} MB  ${k}`),
  ];
  return [
    `${mb(total).trim()} MB allocated (sampled estimate, garbage included)`,
    ...section('allocated by package:', byPackage),
    ...section("allocated under the project's own functions (inclusive):", inclusive),
    ...section('allocated by function (self):', byFunction),
  ].join('\n');
}

/** CPU µs by stage (bench/stages.ts) over the profile's non-idle samples. */
export function stageTimes(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stageOfNode = new Map<number, string>();
  const times = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const leaf = byId.get(id)?.callFrame.functionName;
    if (leaf === '(idle)' || leaf === '(program)') return;
    let stage = stageOfNode.get(id);
    if (stage === undefined) {
      const stack: StageFrame[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)?.callFrame;
        if (frame) stack.push(frame);
      }
      stage = stageOf(stack);
      stageOfNode.set(id, stage);
    }
    times.set(stage, (times.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return times;
}

/** One column per profile: CPU ms per command by stage, and each stage's share. */
export function stageTable(files: string[]): string {
  const columns = files.map((file) => {
    const commands = Number(/-n(\d+)\./.exec(path.basename(file))?.[1] ?? 1);
    return { name: path.basename(file).replace(/\.cpuprofile$/, ''), commands, times: stageTimes(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile) };
  });
  const width = Math.max(...columns.map((c) => c.name.length), 18);
  const cell = (us: number, total: number, commands: number) => `${(us / 1000 / commands).toFixed(2).padStart(6)} ms ${((us / total) * 100).toFixed(0).padStart(3)}%`.padStart(width);
  const totals = columns.map((c) => [...c.times.values()].reduce((a, b) => a + b, 0));
  const lines = [`${'stage (CPU per command, share)'.padEnd(42)}${columns.map((c) => c.name.padStart(width + 2)).join('')}`];
  for (const stage of STAGES) {
    lines.push(`${stage.padEnd(42)}${columns.map((c, i) => `  ${cell(c.times.get(stage) ?? 0, totals[i]!, c.commands)}`).join('')}`);
  }
  lines.push(`${'total (profiled, not idle)'.padEnd(42)}${columns.map((c, i) => `  ${cell(totals[i]!, totals[i]!, c.commands)}`).join('')}`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1] ?? ''}` && process.argv[2] === '--stages') {
  process.stdout.write(`${stageTable(process.argv.slice(3))}\n`);
} else if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: npx tsx bench/profile.ts <file.cpuprofile|file.heapprofile> [top]\n');
    process.exit(2);
  }
  const top = Number(process.argv[3] ?? 25);
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile | { head: AllocationNode };
  process.stdout.write(`${'head' in parsed ? summariseAllocations(parsed.head, top) : summariseProfile(parsed, top)}\n`);
}
