import {
  defaultProgressLabel,
  EXPORT_FORMAT_NAMES,
  exportFileName,
} from '../../domain/export-format.js';
import { countByStatus, progressByRecommendation } from '../../domain/progress.js';
import { countsLine, exportPlan, mayExport } from '../export-plan.js';
import type { CommandHandler } from './command-handler.js';
import { notice } from './replies.js';

/**
 * The progress update as a file. Teams lets a bot send a file only in a personal chat, and only
 * once the person accepts it (a file consent card; the upload goes to their OneDrive), so there the
 * answer is the update's summary with the file offered under it. In a group chat or channel the
 * answer is the summary and how to get the file: ask in a personal chat, or run the command line.
 */
export const exportCommand: CommandHandler<'export'> = {
  async answer(command, turn) {
    const s = turn.planned();
    const { deps } = turn;
    const scope = turn.context.scope;
    if (!mayExport(s.roles)) {
      return notice(deps, {
        title: 'Only a plan admin or KIM Champion can do that',
        text: 'Only a plan admin or a KIM Champion can export the progress update, as it lists every owner and note. **status** and **plan** show where things stand; for the file, ask the KIM team.',
        tone: 'warning',
      });
    }
    const label = command.label ?? defaultProgressLabel(s.now, s.plan.timeZone);
    const fileName = exportFileName(s.plan.id, label, command.format);
    const cli = `npx actionplan export --plan ${s.plan.id} --format ${command.format} --label "${label}" --out ${fileName}`;
    const counts = countByStatus(s.actions);
    const perRecommendation = progressByRecommendation(s.plan.recommendations, s.actions).map(
      (r) => `Recommendation ${r.number}: ${r.counts.done} of ${r.counts.total} done`,
    );
    const summary = `${s.plan.title}: ${countsLine(counts)} (${counts.percentDone}% done).`;
    const title = `Progress update – ${label}`;
    const formatName = EXPORT_FORMAT_NAMES[command.format];
    const writeProgressUpdate = deps.writeProgressUpdate;
    if (scope !== 'personal' || !writeProgressUpdate) {
      return notice(deps, {
        title,
        text: `${summary} ${
          scope !== 'personal'
            ? `Teams lets me send files only in a personal chat: message me **export** there and I'll send the ${formatName} file, or the KIM team can run: ${cli}`
            : `I can't make files here; the KIM team can run: ${cli}`
        }`,
        details: perRecommendation,
      });
    }
    const exported = await exportPlan(
      { plans: deps.plans, clock: deps.clock, writeProgressUpdate },
      { planId: s.plan.id, format: command.format, label, asOf: s.now },
    );
    return {
      ...notice(deps, {
        title,
        text: `${summary} Accept the ${formatName} file below and I'll save it to your OneDrive and share it here.`,
        details: perRecommendation,
      }),
      file: {
        name: exported.fileName,
        sizeInBytes: exported.bytes.length,
        description: `${s.plan.title} – Progress update – ${label} (${formatName})`,
        request: {
          planId: s.plan.id,
          format: command.format,
          label: exported.label,
          asOf: exported.asOf.toISOString(),
        },
      },
    };
  },
};
