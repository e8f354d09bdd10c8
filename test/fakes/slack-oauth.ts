/**
 * The fake Slack's side of "Add to Slack": workspaces that install the app through Bolt's real
 * OAuth flow. `GET /oauth/v2/authorize` plays the browser's consent screen (the `team` query
 * parameter says which workspace the installer picked, `deny=1` cancels) and redirects back with
 * a one-time code; `oauth.v2.access` exchanges it — or, with token rotation, a refresh token —
 * for a bot token of that workspace. Every Web API call is then answered as that workspace
 * (`auth.test`), and a revoked token gets `token_revoked` everywhere.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from './traffic-log.js';

export interface FakeWorkspace {
  teamId: string;
  teamName: string;
  /** An organisation (Enterprise Grid); with `isEnterpriseInstall` the install is org-wide. */
  enterpriseId?: string;
  enterpriseName?: string;
  isEnterpriseInstall?: boolean;
  /** Token rotation on: the installation's token expires after `expiresIn` seconds (refreshed ones after 12 h) and comes with a refresh token. */
  tokenRotation?: boolean;
  expiresIn?: number;
  botUserId?: string;
  /** Who clicks "Allow". */
  installerUserId?: string;
}

type Issued = { workspace: FakeWorkspace; kind: 'bot' | 'refresh'; revoked: boolean };

export class FakeSlackWorkspaces {
  readonly workspaces = new Map<string, FakeWorkspace>();
  /** Every token and refresh token handed out, by value. */
  readonly issued = new Map<string, Issued>();
  private readonly codes = new Map<string, { workspace: FakeWorkspace; redirectUri: string | undefined }>();
  /** The app's configured redirect URL, used when the authorize request names none (as Slack does). */
  redirectUrl: string | undefined;

  constructor(private readonly appId: string, private readonly clientId: string, private readonly clientSecret: string) {}

  add(workspace: FakeWorkspace): void {
    this.workspaces.set(workspace.teamId, workspace);
  }

  /** The live bot tokens of a workspace, newest last. */
  botTokens(teamId: string): string[] {
    return [...this.issued].filter(([, t]) => t.kind === 'bot' && !t.revoked && t.workspace.teamId === teamId).map(([token]) => token);
  }

  /** Every secret this fake handed out for a workspace (tokens and refresh tokens), revoked or not. */
  secretsOf(teamId: string): string[] {
    return [...this.issued].filter(([, t]) => t.workspace.teamId === teamId).map(([token]) => token);
  }

  revoke(teamId: string): void {
    for (const token of this.issued.values()) if (token.workspace.teamId === teamId) token.revoked = true;
  }

  /** The consent screen: 302 back to the app with a code (or with error=access_denied). */
  authorize(req: IncomingMessage, res: ServerResponse): void {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const redirectUri = query.get('redirect_uri') ?? this.redirectUrl;
    const workspace = this.workspaces.get(query.get('team') ?? '');
    if (!redirectUri || query.get('client_id') !== this.clientId || !workspace) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('fake Slack: unknown client, workspace or redirect URL');
      return;
    }
    const back = new URL(redirectUri);
    if (query.get('deny') === '1') {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = `code-${randomBytes(8).toString('hex')}`;
      this.codes.set(code, { workspace, redirectUri: query.get('redirect_uri') ?? undefined });
      back.searchParams.set('code', code);
    }
    back.searchParams.set('state', query.get('state') ?? '');
    res.writeHead(302, { location: back.href }).end();
  }

  /** Answers the methods it knows for the token given; undefined leaves the call to the rest of the fake. */
  answer(method: string, body: JsonObject, bearer: string | undefined): JsonObject | undefined {
    if (method === 'oauth.v2.access') return this.access(body);
    const token = bearer ?? (typeof body.token === 'string' ? body.token : undefined);
    const issued = token === undefined ? undefined : this.issued.get(token);
    if (!issued) return undefined;
    if (issued.revoked || issued.kind !== 'bot') return { ok: false, error: 'token_revoked' };
    if (method !== 'auth.test') return undefined;
    const w = issued.workspace;
    return {
      ok: true, url: `https://${w.teamId.toLowerCase()}.slack.com/`, team: w.teamName, user: 'handle-bot', team_id: w.teamId,
      user_id: w.botUserId ?? 'UBOT', bot_id: `B${w.teamId}`, is_enterprise_install: w.isEnterpriseInstall ?? false,
      ...(w.enterpriseId ? { enterprise_id: w.enterpriseId } : {}),
    };
  }

  private access(body: JsonObject): JsonObject {
    if (body.client_id !== this.clientId || body.client_secret !== this.clientSecret) return { ok: false, error: 'invalid_client_id' };
    let workspace: FakeWorkspace | undefined;
    if (body.grant_type === 'refresh_token') {
      const refresh = typeof body.refresh_token === 'string' ? this.issued.get(body.refresh_token) : undefined;
      if (!refresh || refresh.kind !== 'refresh' || refresh.revoked) return { ok: false, error: 'invalid_refresh_token' };
      refresh.revoked = true; // a refresh token is good once
      workspace = refresh.workspace;
    } else {
      const grant = typeof body.code === 'string' ? this.codes.get(body.code) : undefined;
      if (!grant) return { ok: false, error: 'invalid_code' };
      this.codes.delete(body.code as string);
      if (grant.redirectUri !== undefined && body.redirect_uri !== grant.redirectUri) return { ok: false, error: 'bad_redirect_uri' };
      workspace = grant.workspace;
    }
    const token = `xoxb-${workspace.teamId}-${randomBytes(12).toString('hex')}`;
    this.issued.set(token, { workspace, kind: 'bot', revoked: false });
    const rotation: JsonObject = {};
    if (workspace.tokenRotation) {
      const refresh = `xoxe-1-${randomBytes(16).toString('hex')}`;
      this.issued.set(refresh, { workspace, kind: 'refresh', revoked: false });
      Object.assign(rotation, { refresh_token: refresh, expires_in: body.grant_type === 'refresh_token' ? 43_200 : workspace.expiresIn ?? 43_200 });
    }
    if (body.grant_type === 'refresh_token') return { ok: true, access_token: token, token_type: 'bot', ...rotation };
    return {
      ok: true, app_id: this.appId, access_token: token, token_type: 'bot', scope: 'commands,chat:write,im:write,users:read,channels:read,groups:read,channels:join',
      bot_user_id: workspace.botUserId ?? 'UBOT',
      team: workspace.isEnterpriseInstall ? null : { id: workspace.teamId, name: workspace.teamName },
      enterprise: workspace.enterpriseId ? { id: workspace.enterpriseId, name: workspace.enterpriseName ?? workspace.enterpriseId } : null,
      is_enterprise_install: workspace.isEnterpriseInstall ?? false,
      authed_user: { id: workspace.installerUserId ?? 'UINSTALLER' },
      ...rotation,
    };
  }
}
