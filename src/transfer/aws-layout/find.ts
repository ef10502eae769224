/**
 * Finds the export to read under what the user gave: a folder or s3:// prefix holding
 * `AWSDynamoDB/<ExportId>/`, the `AWSDynamoDB` folder itself, or one export's folder. With several
 * exports there, the newest is read (export ids begin with their start time in milliseconds, so the
 * greatest id is the newest) and the caller says so. An export whose folder holds `_started` but no
 * `manifest-summary.json` is still running (or failed): it is refused, never read half-done.
 */
import { basename } from 'node:path';
import { CliError } from '../../core/errors.js';
import { AWS_FOLDER, FILES_FILE, parseFiles, parseSummary, STARTED_FILE, SUMMARY_FILE, type DataFileEntry, type ManifestSummary } from './manifest.js';
import { joinKey, type Place } from './place.js';
import { readAll } from './streams.js';

export interface FoundExport {
  id: string;
  /** The export's folder (manifests, cruddur-table.json). */
  folder: Place;
  summary: ManifestSummary;
  files: DataFileEntry[];
  /** Where a manifest key (dataFileS3Key, manifestFilesS3Key) is read from. */
  locate(key: string): { place: Place; key: string };
  /** Set when more than one export was there: which was chosen. */
  note: string | undefined;
}

async function stateOf(place: Place, folder: string): Promise<'done' | 'started' | undefined> {
  if (await place.exists(joinKey(folder, SUMMARY_FILE))) return 'done';
  if (await place.exists(joinKey(folder, STARTED_FILE))) return 'started';
  return undefined;
}

export async function findExport(given: Place): Promise<FoundExport> {
  let folder: Place;
  let id: string;
  let note: string | undefined;
  const here = await stateOf(given, '');
  if (here) {
    if (here === 'started') throw inProgress(given.name(''));
    folder = given;
    id = basename(given.name(''));
  } else {
    // Under AWSDynamoDB/ when the place holds it, else the place may be that folder itself.
    let parent = given.at(AWS_FOLDER);
    let ids = await parent.folders('');
    if (ids.length === 0) {
      parent = given;
      ids = await given.folders('');
    }
    const exports: Array<{ id: string; state: 'done' | 'started' }> = [];
    for (const name of ids.sort().reverse()) {
      const state = await stateOf(parent, name);
      if (state) exports.push({ id: name, state });
    }
    const newest = exports[0];
    if (!newest)
      throw new CliError('aws_export.not_found', `No export in AWS's layout under ${given.name('')} (no ${AWS_FOLDER}/<id>/${SUMMARY_FILE})`, {
        hint: 'Give the folder or s3:// prefix an export to S3 wrote to (the one holding AWSDynamoDB/), or an export file made by `npx cruddur-ddb export`',
      });
    if (newest.state === 'started') throw inProgress(parent.name(newest.id));
    if (exports.length > 1) note = `${exports.length} exports under ${given.name('')}; reading the newest, ${newest.id}`;
    folder = parent.at(newest.id);
    id = newest.id;
  }
  const summaryName = folder.name(SUMMARY_FILE);
  const summary = parseSummary(await readAll(await folder.read(SUMMARY_FILE)), summaryName);
  // Keys in the manifests are the bucket's (with the export's prefix): what follows "AWSDynamoDB/<id>/"
  // is read from this export's folder, wherever it sits now (copied to a laptop, another bucket).
  const locate = (key: string) => {
    const after = new RegExp(`(?:^|/)${AWS_FOLDER}/${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(.+)$`).exec(key);
    if (after) return { place: folder, key: after[1]! };
    const shared = new RegExp(`(?:^|/)${AWS_FOLDER}/(.+)$`).exec(key);
    if (shared) return { place: folder.at('..'), key: shared[1]! };
    return { place: folder, key };
  };
  const filesAt = locate(summary.manifestFilesS3Key || FILES_FILE);
  const files = parseFiles(await readAll(await filesAt.place.read(filesAt.key)), filesAt.place.name(filesAt.key));
  const listed = files.reduce((sum, file) => sum + file.itemCount, 0);
  if (listed !== summary.itemCount)
    throw new CliError('aws_export.mismatch', `${summaryName} counts ${summary.itemCount} items, but ${FILES_FILE} lists ${listed}`, {
      hint: 'The manifests disagree: export again',
    });
  return { id, folder, summary, files, locate, note };
}

const inProgress = (where: string) =>
  new CliError('aws_export.in_progress', `The export at ${where} is not finished: it has ${STARTED_FILE} but no ${SUMMARY_FILE}`, {
    hint: 'Wait for it to complete (aws dynamodb describe-export), or give the folder of a finished export',
  });
