/**
 * The first of the reader's two passes: every data file is read whole, before anything is written,
 * and must match manifest-files.json: the MD5 of its bytes (base64, the manifest's md5Checksum),
 * its count of records, valid gzip to the end (a truncated file fails here), and every line an export
 * record. A file that does not match stops the import with its name and nothing written. The pass
 * streams (a buffer a file, whatever its size); the second pass (apply.ts) reads the files again.
 *
 * For an incremental export it also keeps, per key, which record is the last write (the greatest
 * WriteTimestampMicros; a tie goes to the later file and line), so the second pass applies exactly
 * that one: the state the writes leave in write-time order, whichever file holds which record.
 */
import { CliError } from '../../core/errors.js';
import { isGzipName } from '../files.js';
import { LineError } from '../format.js';
import { readLinesFrom } from '../line-reader.js';
import { itemProblem, type KeyRules } from '../item-checks.js';
import { typedItemJson } from '../typed-json.js';
import type { FoundExport } from './find.js';
import type { DataFileEntry } from './manifest.js';
import { parseRecord, type ExportRecord } from './records.js';
import { md5Tap } from './streams.js';

/** The last write of each key: its file (index in the manifest) and line. */
export interface LastWrite {
  micros: bigint;
  file: number;
  line: number;
}

export const changeKey = (keys: Record<string, unknown>) => typedItemJson(keys as never);

/** Files checked at once: S3 answers faster in parallel; each costs one buffer. */
const AT_ONCE = 4;

/** Reads one data file's records, naming the file (and line) in every failure. */
export async function* dataRecords(found: FoundExport, entry: DataFileEntry, incremental: boolean, tap = md5Tap()) {
  const { place, key } = found.locate(entry.dataFileS3Key);
  const name = place.name(key);
  const raw = await place.read(key);
  raw.on('error', (error) => tap.destroy(error));
  // The tap sits before the gunzip, so the MD5 is of the file's own bytes.
  const lines = readLinesFrom(raw.pipe(tap), name, isGzipName(key));
  try {
    for await (const line of lines) {
      let record: ExportRecord;
      try {
        record = parseRecord(line.text, incremental);
      } catch (error) {
        if (error instanceof LineError) throw new CliError('aws_export.bad_data', `${name}:${line.number}: ${error.message}`, { hint: 'Export again' });
        throw error;
      }
      yield { record, line: line.number, name };
    }
  } catch (error) {
    if (error instanceof CliError && error.code === 'import.bad_gzip')
      throw new CliError(
        'aws_export.bad_data',
        `${name} is truncated or not gzip (${error.message.replace(/^.* is not valid gzip \(/, '').replace(/\)$/, '')})`,
        {
          hint: 'Copy the file again from the export (or export again); nothing was written',
        },
      );
    throw error;
  }
}

export interface Verified {
  records: number;
  /** Incremental exports: the record to apply for each key. */
  lastWrites: Map<string, LastWrite> | undefined;
}

/** Checks every data file against the manifest (see above); throws naming the first that differs. */
export async function verifyExport(found: FoundExport, rules: KeyRules, onFile?: (records: number) => void): Promise<Verified> {
  const incremental = found.summary.exportType === 'INCREMENTAL_EXPORT';
  const lastWrites = incremental ? new Map<string, LastWrite>() : undefined;
  let records = 0;
  const check = async (entry: DataFileEntry, file: number) => {
    const tap = md5Tap();
    let count = 0;
    let name = entry.dataFileS3Key;
    for await (const read of dataRecords(found, entry, incremental, tap)) {
      count++;
      name = read.name;
      // What DynamoDB would refuse is found now, so it too stops the import before anything is written.
      const { record } = read;
      const problem =
        record.kind === 'put' ? itemProblem(record.item, rules) : (itemProblem(record.keys, rules) ?? (record.newImage && itemProblem(record.newImage, rules)));
      if (problem) throw new CliError('aws_export.refused', `${read.name}:${read.line}: ${problem}`, { hint: 'DynamoDB would refuse it; nothing was written' });
      if (lastWrites && read.record.kind === 'change') {
        const key = changeKey(read.record.keys);
        const before = lastWrites.get(key);
        const { micros } = read.record;
        if (!before || micros > before.micros || (micros === before.micros && (file > before.file || (file === before.file && read.line > before.line))))
          lastWrites.set(key, { micros, file, line: read.line });
      }
    }
    const { place, key } = found.locate(entry.dataFileS3Key);
    name = place.name(key);
    const md5 = tap.md5.digest('base64');
    if (count !== entry.itemCount)
      throw new CliError('aws_export.mismatch', `${name} holds ${count} records, but manifest-files.json says ${entry.itemCount}`, {
        hint: 'The file is not the one the export wrote (or is cut short): copy it again, or export again; nothing was written',
      });
    if (md5 !== entry.md5Checksum)
      throw new CliError('aws_export.mismatch', `${name} has MD5 ${md5}, but manifest-files.json says ${entry.md5Checksum}`, {
        hint: 'The file changed after the export wrote it: copy it again, or export again; nothing was written',
      });
    records += count;
    onFile?.(count);
  };
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < found.files.length && !failed) {
      const file = next++;
      await check(found.files[file]!, file).catch((error: unknown) => {
        failed = true; // the other workers stop at their file's end
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, found.files.length) }, worker));
  return { records, lastWrites };
}
