import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { loadMessagesTable } from '../aws/messages-table.js';
import { seconds } from '../transfer/summary.js';
import type { Context } from '../kit/context.js';
import { CliError } from '../core/errors.js';
import { checkTableName } from '../core/environment.js';
import { failing, record, rows, type Output } from '../kit/output.js';
import { describeTable } from '../adhoc/shape.js';
import { schemaDifferences, type SchemaDifference } from '../adhoc/schema-diff.js';
import type { SchemaLoadInput } from './schema-load.def.js';

/** The definition's arguments and options, typed there (defaults and choices live there, once). */
export type SchemaLoadOptions = SchemaLoadInput;

export async function schemaLoad(options: SchemaLoadOptions, context: Context): Promise<Output> {
  const table = checkTableName(options.table ?? context.env.table.value);
  if (options.diff) return diff(table, options, context);
  const started = context.clock();
  const { created, description, differences } = await loadMessagesTable(await context.dynamo(), table, options.billing);
  if (created) context.say(`Created table ${table} in ${context.env.name}.`);
  else if (differences.length === 0) context.say(`Table ${table} already exists in ${context.env.name} and matches the expected shape; nothing to do.`);
  // A script must not go on against a table of the wrong shape: exit 1, naming every difference.
  else {
    throw new CliError('table.shape_differs', `Table ${table} already exists in ${context.env.name} but differs: ${differences.join('; ')}`, {
      hint: `Use another table name (--table), or drop it (\`npx cruddur-ddb drop ${table}\`) and run schema-load again`,
    });
  }
  return record({ ...tableReport(description, created, differences), seconds: Number(seconds(started, context.clock()).toFixed(3)) });
}

function tableReport(table: TableDescription, created: boolean, differences: string[]): Record<string, unknown> {
  const index = table.GlobalSecondaryIndexes?.[0];
  const keys = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) =>
    (schema ?? []).map((k) => `${k.AttributeName} (${k.KeyType})`).join(', ');
  return {
    table: table.TableName,
    created,
    matches: differences.length === 0,
    ...(differences.length ? { differences } : {}),
    status: table.TableStatus,
    key: keys(table.KeySchema),
    index: index ? `${index.IndexName}: ${keys(index.KeySchema)}, projection ${index.Projection?.ProjectionType}` : 'none',
    stream: table.StreamSpecification?.StreamEnabled ? `${table.StreamSpecification.StreamViewType} ${table.LatestStreamArn ?? ''}`.trim() : 'disabled',
    billing:
      table.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' || !table.ProvisionedThroughput?.ReadCapacityUnits
        ? 'on-demand'
        : `provisioned ${table.ProvisionedThroughput.ReadCapacityUnits}/${table.ProvisionedThroughput.WriteCapacityUnits}`,
    arn: table.TableArn,
  };
}

/** `--diff`: the differences as rows; exit 1 when any is more than an extra part (the table differs), 0 when it has the shape. */
async function diff(table: string, options: SchemaLoadOptions, context: Context): Promise<Output> {
  const differences = schemaDifferences(await describeTable(await context.dynamo(), table), options.billing);
  const output = rows<SchemaDifference>({
    rows: differences,
    columns: [
      { header: 'part', value: (d) => d.part, keep: true },
      { header: 'live', value: (d) => d.live },
      { header: 'expected', value: (d) => d.expected },
      { header: 'change', value: (d) => d.change, keep: true },
      { header: 'how', value: (d) => d.how, flex: true },
    ],
    empty: `Table ${table} in ${context.env.name} has the messages table's shape.`,
  });
  const real = differences.filter((d) => d.change !== 'extra');
  if (real.length === 0) return output;
  const newTable = real.some((d) => d.change === 'new table');
  return failing(
    output,
    new CliError(
      'table.shape_differs',
      `Table ${table} in ${context.env.name} differs from the messages table's shape in ${real.length} part${real.length === 1 ? '' : 's'}`,
      {
        hint: newTable
          ? 'Some need a new table: create one with schema-load NAME and copy the items (copy --to-table)'
          : 'Each can be changed in place with UpdateTable',
      },
    ),
  );
}
