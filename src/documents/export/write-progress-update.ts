import type { WriteProgressUpdate } from '../../ports/progress-update-writer.js';
import { exportCsv } from './export-csv.js';
import { exportDocx } from './export-docx.js';
import { exportXlsx } from './export-xlsx.js';
import { buildProgressReport } from './progress-report.js';

/**
 * The WriteProgressUpdate port: builds the format-neutral report once, then lays it out as Word,
 * Excel or CSV (UTF-8 with a byte order mark).
 */
export const writeProgressUpdate: WriteProgressUpdate = async (source, format, onRow) => {
  const report = buildProgressReport(source);
  switch (format) {
    case 'docx':
      return exportDocx(report, onRow);
    case 'xlsx':
      return exportXlsx(report, onRow);
    case 'csv': {
      const csv = Buffer.from(exportCsv(report), 'utf8');
      onRow?.(report.summary.total);
      return csv;
    }
  }
};
