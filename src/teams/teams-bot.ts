import { Application } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { BotDeps } from '../app/bot-deps.js';
import { isActionPlanError } from '../domain/errors.js';
import type { Logger } from '../ports/logger.js';
import type { ChannelPoster } from '../ports/channel-poster.js';
import { BotAdapter, type InboundRequest, type InboundResponse } from './bot-adapter.js';
import { registerCardActions } from './card-action-route.js';
import {
  INVOKE_DEADLINE,
  invokeNameOf,
  withinInvokeDeadline,
  type InvokeDeadline,
} from './invoke-deadline.js';
import { createChannelPoster } from './channel-poster.js';
import type { AuthenticationOverrides, BotSettings } from './bot-settings.js';
import { escapePlainReplies } from './plain-text.js';
import { tenantGate } from './tenant-gate.js';
import {
  installationUpdateRoute,
  membersAddedRoute,
  membersRemovedRoute,
} from './install-routes.js';
import { fileConsentAccepted, fileConsentDeclined } from './file-consent.js';
import { messageRoute, type RouteContext } from './message-route.js';
import { failureText } from './replies.js';

export type { InboundRequest, InboundResponse } from './bot-adapter.js';
export type { AuthenticationOverrides, BotSettings } from './bot-settings.js';
export { INVOKE_DEADLINE, type InvokeDeadline } from './invoke-deadline.js';
export { TokenEndpointCredentialsFactory } from './token-endpoint-credentials-factory.js';
/** Credentials for the bot's outbound calls (a Bot Framework type, named here for callers). */
export type OutboundCredentialsFactory = ServiceClientCredentialsFactory;

export interface TeamsBotOptions {
  readonly settings: BotSettings;
  readonly deps: BotDeps;
  readonly logger: Logger;
  /** Loopback OpenID and issuers for the authentication tests, or a sovereign cloud. */
  readonly authentication?: AuthenticationOverrides;
  /** Replaces the credentials built from the settings (used only when an app id is set). */
  readonly credentialsFactory?: OutboundCredentialsFactory;
  /** How long an invoke may take (INVOKE_DEADLINE unless given). */
  readonly invokeDeadline?: InvokeDeadline;
}

/** The bot as the HTTP server sees it: one request in, one response out. */
export interface TeamsBot {
  handle(request: InboundRequest): Promise<InboundResponse>;
  /** Posts proactively to a channel or group chat (the weekly digest). */
  readonly poster: ChannelPoster;
}

/**
 * The Teams door: the adapter (authentication, the connector), the teams-ai Application (routing,
 * no AI planner) and the routes, wired to the use cases.
 *
 * Every activity first passes the tenant check (tenantGate): an activity from a tenant not
 * allowed, or naming two tenants, is logged and dropped before any route runs, so nothing is
 * stored and nothing is said. A route that fails is answered by `failureText` (a person never sees a stack trace)
 * and logged with the activity id.
 */
export function createTeamsBot(options: TeamsBotOptions): TeamsBot {
  const { settings, logger } = options;
  const adapter = new BotAdapter({
    settings,
    logger,
    ...(options.authentication ? { authentication: options.authentication } : {}),
    ...(options.credentialsFactory ? { credentialsFactory: options.credentialsFactory } : {}),
  });
  const app = new Application({
    adapter,
    ...(settings.appId ? { botAppId: settings.appId } : {}),
    // The routes strip the mention themselves: they need to know it was there.
    removeRecipientMention: false,
    // Its timer is shared by all turns of the Application, and replies come in well under a second.
    startTypingTimer: false,
    longRunningMessages: false,
  });

  const poster = createChannelPoster(adapter, settings.appId);
  const route: RouteContext = { deps: options.deps, logger, poster };
  // Card buttons, Action.Execute and the Action.Submit fallback: before the message route, which
  // would otherwise take a submit for a chat message.
  registerCardActions(app, {
    deps: options.deps,
    logger,
    adapter,
    ...(settings.appId ? { appId: settings.appId } : {}),
  });
  app.activity(ActivityTypes.Message, answering(route, 'answer a message', messageRoute));
  app.conversationUpdate(
    'membersAdded',
    quietly(route, 'record an installation', membersAddedRoute),
  );
  app.conversationUpdate('membersRemoved', quietly(route, 'record a removal', membersRemovedRoute));
  app.activity(
    ActivityTypes.InstallationUpdate,
    quietly(route, 'record an installation update', installationUpdateRoute),
  );
  // The answer to a file consent card (`export` in a personal chat): upload, or not.
  app.fileConsentAccept(answering(route, 'send a file', fileConsentAccepted));
  app.fileConsentDecline(answering(route, 'answer a declined file', fileConsentDeclined));
  // Whatever escapes the routes (a malformed activity the SDK itself trips over).
  app.error(async (context, error) => {
    logger.error({ activityId: context.activity?.id, err: error }, 'turn failed');
  });

  const tenantAllowed = tenantGate(settings, logger);
  const deadline = options.invokeDeadline ?? INVOKE_DEADLINE;
  const process = async (request: InboundRequest): Promise<InboundResponse> => {
    try {
      return await adapter.handle(request, async (context) => {
        if (!tenantAllowed(context.activity)) return;
        escapePlainReplies(context);
        await app.run(context);
      });
    } catch (error) {
      logger.error({ err: error }, 'an activity could not be processed');
      return { status: 500 };
    }
  };

  return {
    poster,
    handle(request: InboundRequest): Promise<InboundResponse> {
      const invoke = invokeNameOf(request.body);
      return invoke === undefined
        ? process(request)
        : withinInvokeDeadline(invoke, () => process(request), logger, deadline);
    },
  };
}

type Handler = (context: TurnContext) => Promise<void>;
/** A route, made for each turn with that turn's context. */
type Route = (route: RouteContext) => Handler;

/**
 * The routes' context for one turn: its logger puts the activity id on every line the route
 * writes, so a turn's lines can be found together (in Application Insights too).
 */
const forTurn = (route: RouteContext, context: TurnContext): RouteContext => ({
  ...route,
  logger: route.logger.child({ activityId: context.activity.id }),
});

/** For messages: a failure is answered in the conversation, in plain words, and logged. */
function answering(route: RouteContext, doing: string, make: Route): Handler {
  return async (context) => {
    const turn = forTurn(route, context);
    try {
      await make(turn)(context);
    } catch (error) {
      logFailure(turn, doing, error);
      try {
        await context.sendActivity({ type: 'message', text: failureText(error) });
      } catch (sendError) {
        turn.logger.error(
          { err: sendError },
          'could not tell the person that their message failed',
        );
      }
    }
  };
}

/** For events nobody typed (installs, removals): a failure is logged, and nobody is told. */
function quietly(route: RouteContext, doing: string, make: Route): Handler {
  return async (context) => {
    const turn = forTurn(route, context);
    try {
      await make(turn)(context);
    } catch (error) {
      logFailure(turn, doing, error);
    }
  };
}

/** `turn`'s logger already carries the activity id. */
function logFailure(turn: RouteContext, doing: string, error: unknown) {
  const fields = { err: error };
  if (isActionPlanError(error, 'storage_unavailable')) {
    turn.logger.warn(fields, `could not ${doing}: storage unavailable`);
  } else if (isActionPlanError(error)) {
    turn.logger.info(fields, `could not ${doing}: ${error.reason}`);
  } else {
    turn.logger.error(fields, `could not ${doing}`);
  }
}
