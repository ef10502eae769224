/**
 * `cruddur-ddb update-cognito-user-ids`: checks the settings, guards prod, and runs the sync
 * (src/cognito/user-ids.ts: matching and planning; src/postgres/users.ts: the one transaction).
 */
import { requireUserPoolId } from '../cognito/list-users.js';
import { describeSync, syncCognitoUserIds, type SyncRow, type SyncStatus } from '../cognito/user-ids.js';
import type { Context } from '../kit/context.js';
import { confirmDestructive } from '../kit/prod-prompt.js';
import { redactUrl } from '../core/environment.js';
import { record, rows as rowsOutput, type Output } from '../kit/output.js';
import { seconds } from '../transfer/summary.js';
import { requirePostgresUrl } from '../postgres/client.js';
import type { UpdateCognitoUserIdsInput } from './update-cognito-user-ids.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type UpdateCognitoUserIdsOptions = UpdateCognitoUserIdsInput;

function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || 'update';
  } catch {
    return 'update';
  }
}

export async function updateCognitoUserIds(options: UpdateCognitoUserIdsOptions, context: Context): Promise<Output> {
  const { dryRun } = options;
  const url = requirePostgresUrl(context.env, 'update public.users.cognito_user_id');
  const userPoolId = requireUserPoolId(context.env);
  // The guard runs before any call: with no terminal and no --yes, prod is never touched.
  if (!dryRun) await confirmDestructive(context, `set public.users.cognito_user_id in ${redactUrl(url)}`, databaseName(url), { table: 'public.users' });

  const started = context.clock();
  const rows = await syncCognitoUserIds({
    env: context.env,
    settings: await context.aws(),
    userPoolId,
    postgresUrl: url,
    dryRun,
    lockMs: options.lockTimeout * 1000,
  });
  context.say(describeSync(rows, dryRun));
  // Scripts (-o json/ndjson, or a pipe) get one summary object, the rows inside it; people get the rows as a table.
  if (context.format !== 'table') return record(summaryOf(rows, { dryRun, userPoolId, database: redactUrl(url), seconds: seconds(started, context.clock()) }));
  return rowsOutput<SyncRow>({
    rows,
    columns: [
      { header: 'status', value: (row) => row.status },
      { header: 'handle', value: (row) => row.handle ?? '' },
      { header: 'email', value: (row) => row.email ?? '' },
      { header: 'cognito username', value: (row) => row.username ?? '', keep: true },
      { header: 'sub', value: (row) => row.sub ?? '' },
      { header: 'previous cognito_user_id', value: (row) => row.previous ?? '' },
    ],
    empty: `No users in Cognito pool ${userPoolId} nor in public.users.`,
  });
}

/** The summary's count keys, one per status (in a dry run `updated` counts the rows that would be). Stable: a script reads them. */
const COUNTS: Record<SyncStatus, string> = {
  updated: 'updated',
  'would update': 'updated',
  'up to date': 'upToDate',
  'not in database': 'notInDatabase',
  'no preferred_username': 'noPreferredUsername',
  'no sub': 'noSub',
  'handle shared in Cognito': 'handleShared',
  'not in Cognito': 'notInCognito',
};

function summaryOf(rows: SyncRow[], run: { dryRun: boolean; userPoolId: string; database: string; seconds: number }) {
  const counts = Object.fromEntries(Object.values(COUNTS).map((key) => [key, 0]));
  for (const row of rows) counts[COUNTS[row.status]]!++;
  return { dryRun: run.dryRun, userPoolId: run.userPoolId, database: run.database, ...counts, seconds: Number(run.seconds.toFixed(3)), rows };
}
