/** `cruddur-ddb describe [table]`: one table for people, one object for scripts. */
import type { Context } from '../kit/context.js';
import { checkTableName } from '../core/environment.js';
import { record, type Output } from '../kit/output.js';
import { describeForPeople, describeForScripts } from '../adhoc/describe.js';

export interface DescribeOptions {
  table: string | undefined;
}

export async function describe(options: DescribeOptions, context: Context): Promise<Output> {
  const table = checkTableName(options.table ?? context.env.table.value);
  const description = await describeForScripts(await context.dynamo(), table);
  return record(description, describeForPeople(description));
}
