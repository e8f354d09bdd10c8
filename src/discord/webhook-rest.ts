/**
 * Interaction webhooks without the bot's global limit.
 *
 * @discordjs/rest sends interaction *callbacks* (reply, deferReply, showModal) through a burst
 * handler that ignores its global limiter, but the webhook routes an interaction token opens
 * (`/webhooks/:application/:token…`: editReply, followUp, deleteReply) go through the ordinary
 * queue and its shared 50 requests/s budget. Discord does not count interaction endpoints
 * against the global limit, so under load the bot would queue its own answers for nothing
 * (and spend the budget its real bot-authenticated calls need).
 *
 * This REST sends those routes through a second REST instance with the same options but an
 * unbounded global budget. That instance still has its own per-route (per-token) buckets,
 * reads Discord's rate-limit headers, and waits out any real 429 — including one Discord
 * marks global. Everything else (bot-authenticated calls, other webhooks) is unchanged.
 */
import { type InternalRequest, REST, type RESTOptions, type ResponseLike } from 'discord.js';
import { callbackInteractionId, type FirstResponses } from './first-responses.js';

export class InteractionWebhookREST extends REST {
  /** The instance that carries interaction-webhook requests. */
  readonly interactionWebhooks: REST;
  private readonly webhookPrefix: string;

  /** HTTP mode: an interaction's first callback becomes the endpoint's HTTP response (first-responses.ts). */
  private readonly firstResponses: FirstResponses | undefined;

  constructor(options: Partial<RESTOptions>, applicationId: string, firstResponses?: FirstResponses) {
    super(options);
    this.firstResponses = firstResponses;
    this.interactionWebhooks = new REST({ ...options, globalRequestsPerSecond: Number.POSITIVE_INFINITY });
    this.webhookPrefix = `/webhooks/${applicationId}/`;
    // Callers listen on the main instance. (Not 'response': a listener makes REST clone every response.)
    for (const event of ['rateLimited', 'invalidRequestWarning'] as const) {
      this.interactionWebhooks.on(event, (...args: unknown[]) => this.emit(event, ...(args as [never])));
    }
  }

  /** An interaction's webhook: the application's own id plus a token, sent without the bot token. */
  isInteractionWebhook(request: Pick<InternalRequest, 'fullRoute' | 'auth'>): boolean {
    return request.auth === false && request.fullRoute.startsWith(this.webhookPrefix);
  }

  override queueRequest(request: InternalRequest): Promise<ResponseLike> {
    const callbackOf = this.firstResponses && !request.files?.length ? callbackInteractionId(request.fullRoute) : undefined;
    if (callbackOf !== undefined && this.firstResponses?.offer(callbackOf, request.body)) {
      return Promise.resolve(new Response(null, { status: 204 }));
    }
    return this.isInteractionWebhook(request) ? this.interactionWebhooks.queueRequest(request) : super.queueRequest(request);
  }

  override clearHashSweeper(): void {
    super.clearHashSweeper();
    this.interactionWebhooks.clearHashSweeper();
  }

  override clearHandlerSweeper(): void {
    super.clearHandlerSweeper();
    this.interactionWebhooks.clearHandlerSweeper();
  }
}
