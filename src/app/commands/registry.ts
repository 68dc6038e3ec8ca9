import type { Command } from '../../domain/command.js';
import { actionCommand } from './action.command.js';
import { assignCommand } from './assign.command.js';
import { championCommand } from './champion.command.js';
import type { CommandHandler } from './command-handler.js';
import {
  digestPreviewCommand,
  subscribeDigestCommand,
  unsubscribeDigestCommand,
} from './digest.command.js';
import { exportCommand } from './export.command.js';
import { helpCommand } from './help.command.js';
import { importFileCommand } from './import-file.command.js';
import { myActionsCommand } from './my-actions.command.js';
import { overdueCommand } from './overdue.command.js';
import { planCommand } from './plan.command.js';
import { reachCommand } from './reach.command.js';
import { statusCommand } from './status.command.js';
import { unknownCommand } from './unknown.command.js';
import { usageCommand } from './usage.command.js';
import { welcomeCommand } from './welcome.command.js';

/**
 * Every kind of command and its handler, one line each. The type wants a handler for every kind
 * of domain/command.ts's Command, so a new kind does not compile until it has its line here.
 */
export const COMMAND_HANDLERS: { readonly [K in Command['kind']]: CommandHandler<K> } = {
  help: helpCommand,
  welcome: welcomeCommand,
  unknown: unknownCommand,
  myActions: myActionsCommand,
  action: actionCommand,
  status: statusCommand,
  overdue: overdueCommand,
  plan: planCommand,
  assign: assignCommand,
  champion: championCommand,
  usage: usageCommand,
  export: exportCommand,
  subscribeDigest: subscribeDigestCommand,
  unsubscribeDigest: unsubscribeDigestCommand,
  digestPreview: digestPreviewCommand,
  importFile: importFileCommand,
  reach: reachCommand,
};
