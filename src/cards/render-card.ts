import { Template } from 'adaptivecards-templating';
import {
  cardBytes,
  MAX_CARD_BYTES,
  type CardView,
  type PlainFallback,
  type RenderCard,
  type RenderedCard,
} from '../ports/card-renderer.js';
import { actionCardData, actionListCardData } from './action-cards.js';
import { digestCardData, withMentions } from './digest-cards.js';
import { escapeData } from './escape.js';
import { importPreviewCardData } from './import-cards.js';
import { helpCardData, messageCardData, welcomeCardData } from './notice-cards.js';
import { planProgressCardData, statusCardData } from './progress-cards.js';
import { reminderCardData } from './reminder-cards.js';
// Imported (not read from disk) so that `tsc` copies the templates into dist with the code.
import actionTemplate from './action.card.json';
import actionListTemplate from './action-list.card.json';
import digestTemplate from './digest.card.json';
import helpTemplate from './help.card.json';
import importPreviewTemplate from './import-preview.card.json';
import messageTemplate from './message.card.json';
import planProgressTemplate from './plan-progress.card.json';
import reminderTemplate from './reminder.card.json';
import statusTemplate from './status.card.json';
import welcomeTemplate from './welcome.card.json';

/** Every template by name, for tests and tools that check them all. */
export const CARD_TEMPLATES: Readonly<Record<CardView['kind'], object>> = {
  welcome: welcomeTemplate,
  help: helpTemplate,
  message: messageTemplate,
  action: actionTemplate,
  actionList: actionListTemplate,
  status: statusTemplate,
  planProgress: planProgressTemplate,
  reminder: reminderTemplate,
  digest: digestTemplate,
  importPreview: importPreviewTemplate,
};

/**
 * Expands a template with data, escaping every string of the data first (see escapeCardText):
 * nothing a person typed can become a link, an image or a template expression.
 */
export function expandCard(template: object, data: object): RenderedCard {
  return prepared(template).expand({ $root: escapeData(data) }) as RenderedCard;
}

/**
 * Each template prepared once: parsing a template's expressions costs far more than expanding it
 * (about 30 ms against 7 ms for the action card), and a prepared Template only reads what it
 * parsed, so one serves every expansion (each is synchronous, start to finish).
 */
const PREPARED = new WeakMap<object, Template>();
function prepared(template: object): Template {
  let t = PREPARED.get(template);
  if (!t) {
    t = new Template(template);
    PREPARED.set(template, t);
  }
  return t;
}

/** When a caller gives no words of its own for a card that is too big. */
const TOO_LONG: PlainFallback = {
  text: 'That answer is too long for one Teams message. Ask for something narrower, for example “status” with an area, or see the export.',
  tone: 'warning',
};

/**
 * Builds the card for a view, never bigger than MAX_CARD_BYTES: a card over it is drawn as the
 * caller's plain `fallback` instead (cut to size should even that be too long).
 */
export const renderCard: RenderCard = (view, fallback = TOO_LONG) => {
  const card = draw(view);
  if (cardBytes(card) <= MAX_CARD_BYTES) return card;
  const plain = draw({ kind: 'message', ...fallback });
  return cardBytes(plain) <= MAX_CARD_BYTES ? plain : draw({ kind: 'message', ...TOO_LONG });
};

/** The pure data builder for the view's kind, then its template. */
function draw(view: CardView): RenderedCard {
  switch (view.kind) {
    case 'welcome':
      return expandCard(welcomeTemplate, welcomeCardData(view));
    case 'help':
      return expandCard(helpTemplate, helpCardData(view));
    case 'message':
      return expandCard(messageTemplate, messageCardData(view));
    case 'action': {
      const card = expandCard(actionTemplate, actionCardData(view));
      // The template leaves `refresh: null` when nobody is to be refreshed: no refresh at all.
      if (card['refresh'] === null) delete card['refresh'];
      return card;
    }
    case 'actionList':
      return expandCard(actionListTemplate, actionListCardData(view));
    case 'status':
      return expandCard(statusTemplate, statusCardData(view));
    case 'planProgress':
      return expandCard(planProgressTemplate, planProgressCardData(view));
    case 'reminder':
      return expandCard(reminderTemplate, reminderCardData(view));
    case 'importPreview':
      return expandCard(importPreviewTemplate, importPreviewCardData(view));
    case 'digest': {
      const { data, mentions } = digestCardData(view);
      return withMentions(expandCard(digestTemplate, data), mentions);
    }
  }
}
