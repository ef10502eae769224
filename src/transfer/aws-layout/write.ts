/**
 * `export --layout aws`: the table in AWS's Export to S3 layout, so ImportTable (or this tool's
 * import) takes it unchanged:
 *   AWSDynamoDB/<id>/_started                first, as AWS writes it (an export without a summary is unfinished)
 *   AWSDynamoDB/<id>/data/<name>.json.gz     one gzip file a scan segment, {"Item":...} a line; an empty
 *                                            segment gives an empty (valid gzip) file, as an empty partition does
 *   AWSDynamoDB/<id>/manifest-files.json     itemCount, md5Checksum (base64 MD5 of the .gz bytes), etag, dataFileS3Key
 *   AWSDynamoDB/<id>/cruddur-table.json      the table's shape (not in data/: ImportTable reads every object there)
 *   AWSDynamoDB/<id>/manifest-summary.json   last: its presence says the export is complete
 * Pages come from the one scanner; each segment's file streams as its pages arrive (gzip, MD5 and the
 * upload in one pass), at most `open` segments at a time, so memory does not grow with the table.
 * A failure removes what was written.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import { itemLine } from '../format.js';
import { scanSegmentPages, SEGMENTS_OPEN } from '../scanner.js';
import {
  AWS_FOLDER,
  exportId,
  FILES_FILE,
  filesLine,
  STARTED_FILE,
  SUMMARY_FILE,
  SUMMARY_VERSION,
  type DataFileEntry,
  type ManifestSummary,
} from './manifest.js';
import type { Place } from './place.js';
import { SHAPE_FILE, writeShape } from './shape.js';
import { md5Tap } from './streams.js';

export interface AwsExportResult {
  id: string;
  /** Where the manifest-summary.json is (a path or an s3:// URL). */
  summary: string;
  files: number;
  items: number;
  /** Bytes of the gzip data files. */
  bytes: number;
}

interface OpenFile {
  key: string;
  gzip: Gzip;
  tap: ReturnType<typeof md5Tap>;
  upload: Promise<string | undefined>;
  items: number;
}

export async function exportAwsLayout(
  client: DynamoDBClient,
  description: TableDescription,
  place: Place,
  options: { segments: number; now: () => number; onItems?: (count: number) => void },
): Promise<AwsExportResult> {
  const table = description.TableName!;
  const startTime = new Date(options.now()).toISOString();
  const id = exportId(options.now(), randomBytes(4).toString('hex'));
  const folder = `${AWS_FOLDER}/${id}`;
  const written: string[] = [];
  const open = new Map<number, OpenFile>();
  const entries: DataFileEntry[] = [];
  let items = 0;
  let bytes = 0;

  const put = async (name: string, body: string) => {
    written.push(`${folder}/${name}`);
    await place.write(`${folder}/${name}`, body);
  };
  const openFile = (segment: number): OpenFile => {
    // AWS names data files with a random token; the segment number first keeps ours in scan order.
    const key = `${folder}/data/${String(segment).padStart(6, '0')}-${randomBytes(8).toString('hex')}.json.gz`;
    // Level 1: whatever the level, gunzip and ImportTable read it the same; the default (6) costs about three
    // times the CPU for files a tenth smaller, and this export is bound by the CPU of one process.
    const gzip = createGzip({ level: 1 });
    const tap = md5Tap();
    gzip.pipe(tap);
    written.push(key);
    const file = { key, gzip, tap, upload: place.write(key, tap), items: 0 };
    // A failed upload is seen at the next write or at the end, not as an unhandled rejection.
    file.upload.catch(() => undefined);
    open.set(segment, file);
    return file;
  };
  const closeFile = async (segment: number, file: OpenFile) => {
    file.gzip.end();
    const etag = await file.upload;
    open.delete(segment);
    const md5 = file.tap.md5.digest();
    bytes += file.tap.bytes;
    // A one-part upload's ETag is the hex MD5; S3's own answer wins (a multipart ETag is md5-of-parts-N).
    entries.push({ itemCount: file.items, md5Checksum: md5.toString('base64'), etag: etag || md5.toString('hex'), dataFileS3Key: place.manifestKey(file.key) });
  };

  try {
    await put(STARTED_FILE, '');
    for await (const page of scanSegmentPages(client, table, { segments: options.segments, open: SEGMENTS_OPEN })) {
      const file = open.get(page.segment) ?? openFile(page.segment);
      if (page.items.length > 0) {
        let text = '';
        for (const item of page.items) text += itemLine(item);
        file.items += page.items.length;
        if (!file.gzip.write(text)) await Promise.race([once(file.gzip, 'drain'), file.upload]);
        items += page.items.length;
        options.onItems?.(page.items.length);
      }
      if (page.last) await closeFile(page.segment, file);
    }
    entries.sort((a, b) => a.dataFileS3Key.localeCompare(b.dataFileS3Key));
    await put(FILES_FILE, entries.map(filesLine).join(''));
    await put(SHAPE_FILE, writeShape(description));
    const summary: ManifestSummary = {
      version: SUMMARY_VERSION,
      exportArn: description.TableArn ? `${description.TableArn}/export/${id}` : null,
      startTime,
      endTime: new Date(options.now()).toISOString(),
      tableArn: description.TableArn ?? null,
      tableId: description.TableId ?? null,
      exportTime: startTime,
      s3Bucket: place.s3?.bucket ?? null,
      s3Prefix: place.s3 ? place.s3.prefix || null : null,
      s3SseAlgorithm: null,
      s3SseKmsKeyId: null,
      manifestFilesS3Key: place.manifestKey(`${folder}/${FILES_FILE}`),
      billedSizeBytes: 0,
      itemCount: items,
      outputFormat: 'DYNAMODB_JSON',
      exportType: 'FULL_EXPORT',
    };
    await put(SUMMARY_FILE, JSON.stringify(summary));
  } catch (error) {
    for (const file of open.values()) {
      file.gzip.destroy();
      file.tap.destroy(new Error('the export stopped'));
    }
    await Promise.allSettled([...open.values()].map((file) => file.upload));
    await place.remove(written).catch(() => undefined);
    throw error;
  }
  return { id, summary: place.name(`${folder}/${SUMMARY_FILE}`), files: entries.length, items, bytes };
}
