import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/ops/metrics.js';

describe('metrics', () => {
  it('counts commands by platform, verb and tone, and never by user or handle', async () => {
    const metrics = createMetrics();
    metrics.commandFinished({ platform: 'slack', verb: 'create', tone: 'success', durationMs: 12 });
    metrics.commandFinished({ platform: 'discord', verb: 'create', tone: 'success', durationMs: 8 });
    metrics.commandFinished({ platform: 'discord', verb: 'create', tone: 'success', durationMs: 9 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('handlebot_commands_total{platform="slack",verb="create",tone="success"} 1');
    expect(text).toContain('handlebot_commands_total{platform="discord",verb="create",tone="success"} 2');
    expect(text).toMatch(/handlebot_command_duration_seconds_count\{platform="discord",verb="create"\} 2/);
  });

  it('counts platform rate limits by platform and route', async () => {
    const metrics = createMetrics();
    metrics.platformRateLimited({ platform: 'slack', route: 'chat.postMessage' });
    metrics.platformRateLimited({ platform: 'slack', route: 'chat.postMessage' });
    metrics.platformRateLimited({ platform: 'discord', route: '/channels/:id/messages' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('handlebot_platform_rate_limited_total{platform="slack",route="chat.postMessage"} 2');
    expect(text).toContain('handlebot_platform_rate_limited_total{platform="discord",route="/channels/:id/messages"} 1');
  });

  it('counts commands a stopped replica left: recovered, or abandoned and why', async () => {
    const metrics = createMetrics();
    metrics.commandIntent('recovered');
    metrics.commandIntent('recovered');
    metrics.commandIntent('abandoned', 'too_old');
    const text = await metrics.registry.metrics();
    expect(text).toContain('handlebot_command_intents_total{event="recovered",reason=""} 2');
    expect(text).toContain('handlebot_command_intents_total{event="abandoned",reason="too_old"} 1');
  });
});
