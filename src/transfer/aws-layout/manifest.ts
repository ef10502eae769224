/**
 * The two manifests of AWS's Export to S3, as "DynamoDB table export output format" documents them
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html):
 *   manifest-summary.json  one object: version, exportArn, startTime, endTime, tableArn, tableId,
 *                          exportTime, s3Bucket, s3Prefix, manifestFilesS3Key, billedSizeBytes,
 *                          itemCount, outputFormat (DYNAMODB_JSON or ION), exportType, ...
 *   manifest-files.json    JSON Lines, one a data file: itemCount, md5Checksum (base64 MD5 of the
 *                          object's bytes), etag (S3's ETag of it), dataFileS3Key.
 * Parsing is strict about what the reader relies on and ignores the rest.
 */
import { CliError } from '../../core/errors.js';

export const AWS_FOLDER = 'AWSDynamoDB';
export const SUMMARY_FILE = 'manifest-summary.json';
export const FILES_FILE = 'manifest-files.json';
export const STARTED_FILE = '_started';
/** The summary's `version` for a full export (AWS's docs show this one). */
export const SUMMARY_VERSION = '2020-06-30';

export interface ManifestSummary {
  version?: string;
  exportArn?: string | null;
  startTime?: string;
  endTime?: string;
  tableArn?: string | null;
  tableId?: string | null;
  exportTime?: string;
  s3Bucket?: string | null;
  s3Prefix?: string | null;
  s3SseAlgorithm?: string | null;
  s3SseKmsKeyId?: string | null;
  manifestFilesS3Key: string;
  billedSizeBytes?: number;
  itemCount: number;
  outputFormat: string;
  exportType?: 'FULL_EXPORT' | 'INCREMENTAL_EXPORT';
  exportFromTime?: string;
  exportToTime?: string;
  outputView?: string;
}

export interface DataFileEntry {
  itemCount: number;
  md5Checksum: string;
  etag: string;
  dataFileS3Key: string;
}

const bad = (where: string, what: string) =>
  new CliError('aws_export.bad_manifest', `${where}: ${what}`, {
    hint: "Is this an export in AWS's layout (DYNAMODB_JSON)? The manifests are AWS's own files",
  });

function parse(text: string, where: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw bad(where, `not JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad(where, 'not a JSON object');
  return json as Record<string, unknown>;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function parseSummary(text: string, where: string): ManifestSummary {
  const json = parse(text, where);
  if (typeof json.manifestFilesS3Key !== 'string' || !json.manifestFilesS3Key) throw bad(where, 'no manifestFilesS3Key');
  if (!isCount(json.itemCount)) throw bad(where, 'no itemCount');
  if (json.outputFormat !== 'DYNAMODB_JSON')
    throw bad(where, `outputFormat is ${JSON.stringify(json.outputFormat)}; only DYNAMODB_JSON is read (ask the export for DYNAMODB_JSON, not ION)`);
  if (json.exportType !== undefined && json.exportType !== 'FULL_EXPORT' && json.exportType !== 'INCREMENTAL_EXPORT')
    throw bad(where, `exportType ${JSON.stringify(json.exportType)} is neither FULL_EXPORT nor INCREMENTAL_EXPORT`);
  return json as unknown as ManifestSummary;
}

/** The entries of manifest-files.json, checked line by line. */
export function parseFiles(text: string, where: string): DataFileEntry[] {
  const entries: DataFileEntry[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const json = parse(line, `${where}:${index + 1}`);
    if (!isCount(json.itemCount) || typeof json.md5Checksum !== 'string' || typeof json.dataFileS3Key !== 'string' || !json.dataFileS3Key)
      throw bad(`${where}:${index + 1}`, 'expected {"itemCount":N,"md5Checksum":"...","etag":"...","dataFileS3Key":"..."}');
    entries.push({ itemCount: json.itemCount, md5Checksum: json.md5Checksum, etag: String(json.etag ?? ''), dataFileS3Key: json.dataFileS3Key });
  });
  return entries;
}

export const filesLine = (entry: DataFileEntry) => JSON.stringify(entry) + '\n';

/**
 * An export id as AWS makes them: the start time in milliseconds, 14 digits, then 8 hex digits
 * (`01693685827463-2d8752fd`); so ids sort by time, and the newest export is the greatest id.
 */
export function exportId(nowMs: number, random: string): string {
  return `${String(nowMs).padStart(14, '0')}-${random.slice(0, 8)}`;
}
