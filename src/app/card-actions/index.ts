/**
 * Answers to the buttons of an action's card: one file per verb (`*.card-action.ts`), the steps
 * every press goes through (answer-card-press.ts), the card's refresh, and keeping every copy of
 * the card up to date. The Teams edge maps each verb of src/cards/verbs.ts to one of these.
 */
export { addNote } from './add-note.card-action.js';
export { AfterAnswers } from './after-answers.js';
export { answerActionPress, isStale } from './answer-card-press.js';
export type { CardActionDeps, CardAnswer, CardPress, PressedMessage } from './card-press.js';
export type { ActionVerb } from './card-verb.js';
export { approveDate, declineDate } from './decide-date.card-action.js';
export { cancelImportPress } from './cancel-import.card-action.js';
export { importPlanPress } from './import-plan.card-action.js';
export { notMine } from './not-mine.card-action.js';
export { proposeDate } from './propose-date.card-action.js';
export { reassign } from './reassign.card-action.js';
export { refreshActionCard } from './refresh.card-action.js';
export { RefusalThrottle } from './refusal-throttle.js';
export { setStatus } from './set-status.card-action.js';
export { snooze } from './snooze.card-action.js';
export { CopyUpdater } from './update-copies.js';
