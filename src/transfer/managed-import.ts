/**
 * AWS's own Import from S3 (`ImportTable`), free of the command line: AWS creates a NEW table and loads an
 * export's data files into it without write capacity. What it cannot do is said, not hidden: it creates
 * no stream and no local secondary index, and a key written twice keeps the later item silently.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataImport.HowItWorks.html
 */
import { createHash } from 'node:crypto';
import {
  DescribeImportCommand,
  ImportTableCommand,
  UpdateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type ImportTableDescription,
  type TableCreationParameters,
} from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { CliError } from '../core/errors.js';
import { bucketExists, listFolders, readObjectText, type S3Location } from '../aws/s3.js';
import { createInputFromHeader } from './format.js';
import { waitFor, type WaitOptions } from './managed-wait.js';

/** What manifest-summary.json says that the import needs (AWS's "DynamoDB table export output format"). */
export interface ExportSummary {
  itemCount: number | undefined;
  outputFormat: string;
  exportType: string;
  manifestFilesS3Key: string | undefined;
}

/** One export in AWS's layout: the bucket, its folder (`prefix/AWSDynamoDB/<export-id>`), and its summary. */
export interface FoundExport {
  bucket: string;
  folder: string;
  summary: ExportSummary;
}

const under = (folder: string, name: string) => (folder ? `${folder}/${name}` : name);
const url = (bucket: string, key: string) => `s3://${bucket}/${key}`;

/**
 * The export at `location`: the location itself when it holds manifest-summary.json, else the one export
 * under its `AWSDynamoDB/` (several: the user names one). `_started` without a summary is an export AWS is
 * still writing.
 */
export async function findExport(s3: S3Client, location: S3Location): Promise<FoundExport> {
  const { bucket, prefix } = location;
  if (!(await bucketExists(s3, bucket)))
    throw new CliError('managed.no_bucket', `The S3 bucket "${bucket}" does not exist`, { hint: 'Check the s3:// URL and --region' });
  const here = await readSummary(s3, bucket, prefix);
  if (here) return here;
  const folders = await listFolders(s3, bucket, under(prefix, 'AWSDynamoDB/'), 20);
  if (folders.length === 0)
    throw new CliError('managed.no_export', `No export in AWS's layout at ${url(bucket, prefix)}`, {
      hint: 'Give the s3:// location an export was written to (it holds AWSDynamoDB/<export-id>/manifest-summary.json)',
    });
  if (folders.length > 1) {
    const names = folders.map((folder) => url(bucket, folder.replace(/\/$/, '')));
    throw new CliError('managed.no_export', `${url(bucket, prefix)} holds ${folders.length} exports`, {
      hint: `Name one: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}`,
    });
  }
  const found = await readSummary(s3, bucket, folders[0]!.replace(/\/$/, ''));
  if (found) return found;
  throw new CliError('managed.no_export', `No manifest-summary.json in ${url(bucket, folders[0]!)}`, { hint: 'Give the folder of a finished export' });
}

async function readSummary(s3: S3Client, bucket: string, folder: string): Promise<FoundExport | undefined> {
  const key = under(folder, 'manifest-summary.json');
  const text = await readObjectText(s3, bucket, key);
  if (text === undefined) {
    // AWS writes `_started` first and the summary last: one without the other is an export still running.
    if ((await readObjectText(s3, bucket, under(folder, '_started'))) !== undefined)
      throw new CliError('managed.in_progress', `The export at ${url(bucket, folder)} has not finished (no manifest-summary.json yet)`, {
        hint: 'Wait for it (`export --managed` with the same arguments waits), then import again',
      });
    return undefined;
  }
  return { bucket, folder, summary: parseSummary(text, url(bucket, key)) };
}

/** manifest-summary.json, checked for what ImportTable can take: DynamoDB JSON of a full export. */
export function parseSummary(text: string, name: string): ExportSummary {
  const bad = (why: string, hint: string) => new CliError('managed.bad_manifest', `${name}: ${why}`, { hint });
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw bad('not JSON', "Give the folder of an export in AWS's layout");
  }
  if (typeof json !== 'object' || json === null) throw bad('not a JSON object', "Give the folder of an export in AWS's layout");
  const outputFormat = String(json.outputFormat ?? 'DYNAMODB_JSON');
  const exportType = String(json.exportType ?? 'FULL_EXPORT');
  if (outputFormat !== 'DYNAMODB_JSON') throw bad(`an ${outputFormat} export; this tool imports DynamoDB JSON`, 'Export again without ION');
  if (exportType !== 'FULL_EXPORT')
    throw bad(
      `an ${exportType}: its lines are changes, not items, and ImportTable reads items`,
      "Import a full export, then apply the incremental one with `import` (it reads AWS's layout)",
    );
  return {
    itemCount: typeof json.itemCount === 'number' ? json.itemCount : undefined,
    outputFormat,
    exportType,
    manifestFilesS3Key: typeof json.manifestFilesS3Key === 'string' ? json.manifestFilesS3Key : undefined,
  };
}

/**
 * The data files' compression, from manifest-files.json (one JSON object a line, each naming its
 * `dataFileS3Key`): AWS's own exports are gzip; one prefix must hold one kind.
 */
export async function compressionOf(s3: S3Client, found: FoundExport): Promise<'GZIP' | 'NONE'> {
  const key = found.summary.manifestFilesS3Key ?? under(found.folder, 'manifest-files.json');
  const text = await readObjectText(s3, found.bucket, key);
  if (text === undefined) throw new CliError('managed.bad_manifest', `${url(found.bucket, key)} is missing`, { hint: 'Give the folder of a finished export' });
  const keys: string[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    try {
      keys.push(String((JSON.parse(line) as { dataFileS3Key?: unknown }).dataFileS3Key ?? ''));
    } catch {
      throw new CliError('managed.bad_manifest', `${url(found.bucket, key)}:${index + 1}: not JSON`, { hint: 'The export is damaged; export again' });
    }
  }
  const zipped = keys.filter((name) => name.endsWith('.gz')).length;
  if (zipped && zipped !== keys.length)
    throw new CliError('managed.bad_manifest', `${url(found.bucket, key)} lists gzip and plain data files together`, {
      hint: 'ImportTable takes one compression per import',
    });
  return zipped || keys.length === 0 ? 'GZIP' : 'NONE';
}

/**
 * ImportTable's TableCreationParameters from a CreateTable shape (through export's allow-list): keys,
 * GSIs, billing. Local secondary indexes and the stream are left out (ImportTable cannot make them),
 * and so are the attribute definitions only they used, or AWS would refuse the definitions.
 */
export function importTableParams(shape: CreateTableCommandInput, tableName: string): { params: TableCreationParameters; leftOut: string[] } {
  const { input, leftOut } = createInputFromHeader(shape);
  const lsis = (input.LocalSecondaryIndexes ?? []).map((index) => index.IndexName);
  if (lsis.length) leftOut.push(`local secondary ${lsis.length === 1 ? 'index' : 'indexes'} ${lsis.join(', ')} (ImportTable cannot create them)`);
  const used = new Set(
    [...(input.KeySchema ?? []), ...(input.GlobalSecondaryIndexes ?? []).flatMap((index) => index.KeySchema ?? [])].map((key) => key.AttributeName),
  );
  const params: TableCreationParameters = {
    TableName: tableName,
    KeySchema: input.KeySchema!,
    AttributeDefinitions: (input.AttributeDefinitions ?? []).filter((definition) => used.has(definition.AttributeName)),
    BillingMode: input.BillingMode,
    ...(input.ProvisionedThroughput ? { ProvisionedThroughput: input.ProvisionedThroughput } : {}),
    ...(input.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: input.GlobalSecondaryIndexes } : {}),
  };
  return { params, leftOut };
}

export interface ImportRequest {
  bucket: string;
  /** The export's data folder (`<folder>/data/`): the manifests and the shape stay out of the import. */
  dataPrefix: string;
  compression: 'GZIP' | 'NONE';
  params: TableCreationParameters;
}

/** Like the export's: the same import asked again (a retry, a second terminal) finds the first one. */
export function importClientToken(request: ImportRequest): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

export async function startImport(client: DynamoDBClient, request: ImportRequest): Promise<ImportTableDescription> {
  const answer = await client.send(
    new ImportTableCommand({
      ClientToken: importClientToken(request),
      S3BucketSource: { S3Bucket: request.bucket, S3KeyPrefix: request.dataPrefix },
      InputFormat: 'DYNAMODB_JSON',
      InputCompressionType: request.compression,
      TableCreationParameters: request.params,
    }),
  );
  return answer.ImportTableDescription!;
}

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export async function waitForImport(client: DynamoDBClient, importArn: string, options: WaitOptions): Promise<ImportTableDescription> {
  const describe = async () => (await client.send(new DescribeImportCommand({ ImportArn: importArn }))).ImportTableDescription!;
  const final = await waitFor(describe, (answer) => FINAL.has(answer.ImportStatus ?? ''), options);
  if (final.ImportStatus !== 'COMPLETED') {
    throw new CliError(
      'managed.import_failed',
      `AWS ended the import as ${final.ImportStatus} (${final.FailureCode ?? 'no code'}: ${final.FailureMessage ?? 'no message'})`,
      {
        hint: `Its ARN: ${importArn}; AWS logs the failing items to CloudWatch Logs`,
      },
    );
  }
  return final;
}

/** The stream the messaging Lambda reads (new images), which ImportTable never creates. */
export async function enableStream(client: DynamoDBClient, table: string): Promise<void> {
  await client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
}
