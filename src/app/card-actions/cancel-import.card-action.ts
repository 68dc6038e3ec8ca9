import { notice } from '../commands/replies.js';
import type { CardActionDeps, CardAnswer, CardPress } from './card-press.js';
import { checkImportPress, claim } from './import-press.js';

/**
 * Cancel on an import preview card: nothing is imported, and the kept file is dropped. Checked
 * and claimed as Import is (import-press.ts), so a Cancel that loses to an Import (or the other
 * way round) is told how the preview ended and changes nothing.
 */
export async function cancelImportPress(
  deps: CardActionDeps,
  press: CardPress,
): Promise<CardAnswer> {
  const checked = await checkImportPress(deps, press);
  if ('answer' in checked) return checked.answer;
  const record = checked.preview.value;
  const claimed = await claim(checked, {
    state: 'cancelled',
    outcome: 'Cancelled by the admin who sent it.',
  });
  if ('answer' in claimed) return claimed.answer;
  await checked.deps.pendingImports.dropFile(record.id);
  return notice(deps, {
    title: 'Import cancelled',
    text: `Nothing from ${record.fileName} has been imported, and I haven't kept the file. Send it to me again whenever you want to import it.`,
  });
}
