/**
 * AWS's own Export to S3 (`ExportTableToPointInTime`), free of the command line: AWS reads the table's
 * point-in-time backup, not the table, so no read capacity is used and the app's traffic is untouched;
 * it needs point-in-time recovery (PITR) on. See docs/scale.md for when it beats a scan from one machine.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.HowItWorks.html
 */
import { createHash } from 'node:crypto';
import {
  DescribeContinuousBackupsCommand,
  DescribeExportCommand,
  ExportTableToPointInTimeCommand,
  UpdateContinuousBackupsCommand,
  type DynamoDBClient,
  type ExportDescription,
  type ExportTableToPointInTimeCommandInput,
} from '@aws-sdk/client-dynamodb';
import { CliError } from '../core/errors.js';
import { waitFor, type WaitOptions } from './managed-wait.js';

export type ViewType = 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';

export interface ManagedExportRequest {
  tableArn: string;
  bucket: string;
  /** The key prefix ('' for the bucket's root); AWS writes under `<prefix>/AWSDynamoDB/<export-id>/`. */
  prefix: string;
  /** A full export as of this instant (AWS's default: now). */
  at?: Date;
  /** An incremental export: what changed in [from, to). */
  incremental?: { from: Date; to: Date; viewType: ViewType };
}

export interface PitrState {
  enabled: boolean;
  /** The earliest instant an export can be taken as of (undefined when PITR is off). */
  earliest?: Date;
}

export async function pitrState(client: DynamoDBClient, table: string): Promise<PitrState> {
  const answer = await client.send(new DescribeContinuousBackupsCommand({ TableName: table }));
  const pitr = answer.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  const enabled = pitr?.PointInTimeRecoveryStatus === 'ENABLED';
  return { enabled, ...(enabled && pitr?.EarliestRestorableDateTime ? { earliest: pitr.EarliestRestorableDateTime } : {}) };
}

export async function enablePitr(client: DynamoDBClient, table: string): Promise<PitrState> {
  const answer = await client.send(
    new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
  );
  const pitr = answer.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  return { enabled: pitr?.PointInTimeRecoveryStatus === 'ENABLED', earliest: pitr?.EarliestRestorableDateTime };
}

const MINUTE = 60_000;

/**
 * The times AWS would refuse, said before any call that costs: an incremental window must end after it
 * starts, last 15 minutes to 24 hours and lie in the past; every time must be within PITR's window.
 * (AWS's rules: the ExportTableToPointInTime API reference, IncrementalExportSpecification.)
 */
export function checkTimes(request: ManagedExportRequest, now: Date, pitr: PitrState): void {
  const bad = (message: string, hint: string) => new CliError('managed.bad_window', message, { hint, exitCode: 2 });
  const earliest = pitr.earliest;
  const iso = (date: Date) => date.toISOString();
  if (request.at) {
    if (request.at > now) throw bad(`--at ${iso(request.at)} is in the future`, 'An export is of a past instant; leave --at out for now');
    if (earliest && request.at < earliest)
      throw bad(`--at ${iso(request.at)} is before point-in-time recovery's earliest instant, ${iso(earliest)}`, 'Give a later --at');
  }
  const window = request.incremental;
  if (!window) return;
  const length = window.to.getTime() - window.from.getTime();
  if (length <= 0) throw bad(`--to ${iso(window.to)} is not after --from ${iso(window.from)}`, 'Swap them');
  if (length < 15 * MINUTE || length > 24 * 60 * MINUTE)
    throw bad(
      `an incremental export covers 15 minutes to 24 hours; --from to --to is ${Math.round(length / MINUTE)} minutes`,
      'Run several exports for a longer span',
    );
  if (window.to > now) throw bad(`--to ${iso(window.to)} is in the future`, 'An incremental export covers a past window');
  if (earliest && window.from < earliest)
    throw bad(`--from ${iso(window.from)} is before point-in-time recovery's earliest instant, ${iso(earliest)}`, 'Give a later --from');
}

/**
 * The ClientToken: a hash of everything the export is asked to do, so the same command run again (a
 * retry after a dropped connection, a second terminal) gets the export already started instead of a
 * second one billed again. AWS keeps a token for 8 hours after the first request's export completes;
 * without --at a re-run within that time therefore returns the first export, not a newer snapshot.
 */
export function exportClientToken(request: ManagedExportRequest): string {
  const facts = {
    table: request.tableArn,
    bucket: request.bucket,
    prefix: request.prefix,
    at: request.at?.toISOString() ?? null,
    from: request.incremental?.from.toISOString() ?? null,
    to: request.incremental?.to.toISOString() ?? null,
    view: request.incremental?.viewType ?? null,
  };
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex');
}

export function exportInput(request: ManagedExportRequest): ExportTableToPointInTimeCommandInput {
  const window = request.incremental;
  return {
    TableArn: request.tableArn,
    S3Bucket: request.bucket,
    ...(request.prefix ? { S3Prefix: request.prefix } : {}),
    ExportFormat: 'DYNAMODB_JSON',
    ClientToken: exportClientToken(request),
    ...(window
      ? {
          ExportType: 'INCREMENTAL_EXPORT',
          IncrementalExportSpecification: { ExportFromTime: window.from, ExportToTime: window.to, ExportViewType: window.viewType },
        }
      : { ExportType: 'FULL_EXPORT', ...(request.at ? { ExportTime: request.at } : {}) }),
  };
}

export async function startExport(client: DynamoDBClient, request: ManagedExportRequest): Promise<ExportDescription> {
  const answer = await client.send(new ExportTableToPointInTimeCommand(exportInput(request)));
  return answer.ExportDescription!;
}

const FINAL = new Set(['COMPLETED', 'FAILED']);

/** Asks DescribeExport until the export is COMPLETED or FAILED; a FAILED one is an error naming AWS's code. */
export async function waitForExport(client: DynamoDBClient, exportArn: string, options: WaitOptions): Promise<ExportDescription> {
  const describe = async () => (await client.send(new DescribeExportCommand({ ExportArn: exportArn }))).ExportDescription!;
  const final = await waitFor(describe, (answer) => FINAL.has(answer.ExportStatus ?? ''), options);
  if (final.ExportStatus === 'FAILED') {
    throw new CliError('managed.export_failed', `AWS ended the export as FAILED (${final.FailureCode ?? 'no code'}: ${final.FailureMessage ?? 'no message'})`, {
      hint: `Its ARN: ${exportArn}. S3NoSuchBucket / AccessDenied mean the bucket or its policy; see docs/scale.md`,
    });
  }
  return final;
}

/** The export's own id: the last part of its ARN (`…/export/01700000000000-abcdef12`), also the folder AWS writes under. */
export const exportIdOf = (exportArn: string): string => exportArn.slice(exportArn.lastIndexOf('/') + 1);

/**
 * Where the export's manifest is: AWS names it in ExportManifest; where an endpoint does not (moto), the
 * documented place, `<prefix>/AWSDynamoDB/<export-id>/manifest-summary.json`.
 */
export function manifestKey(description: ExportDescription): string {
  if (description.ExportManifest) return description.ExportManifest;
  const prefix = description.S3Prefix ? `${description.S3Prefix.replace(/\/+$/, '')}/` : '';
  return `${prefix}AWSDynamoDB/${exportIdOf(description.ExportArn ?? '')}/manifest-summary.json`;
}
