import { paginateListTables } from '@aws-sdk/client-dynamodb';
import type { Context } from '../kit/context.js';
import { rows, type Output } from '../kit/output.js';

/** Every table name, following LastEvaluatedTableName: one call returns at most 100 names
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html). */
export async function listTables(_options: object, context: Context): Promise<Output> {
  const client = await context.dynamo();
  const names: string[] = [];
  for await (const page of paginateListTables({ client, pageSize: 100 }, {})) names.push(...(page.TableNames ?? []));
  return rows({
    rows: names,
    columns: [{ header: 'table', value: (name) => name, keep: true }],
    empty: `No tables in ${context.env.name} (${context.env.endpoint.value ?? 'AWS'}). Create one with \`cruddur-ddb schema-load\`.`,
  });
}
