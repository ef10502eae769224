/** `cruddur-ddb query`: a PartiQL statement, or a key condition on the table or one of its indexes. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context } from '../kit/context.js';
import { checkTableName } from '../core/environment.js';
import { UsageError } from '../core/errors.js';
import { plainItemJson } from '../aws/plain-json.js';
import { typedItemJson } from '../transfer/typed-json.js';
import { rows, type Column, type Output } from '../kit/output.js';
import { checkParameters, isWriteStatement, statementItems, statementTable } from '../adhoc/partiql.js';
import type { Item } from '../transfer/typed-json.js';
import type { Meter } from '../kit/consumed.js';

// A PartiQL SELECT is the quick path (issue 20 times it against `aws dynamodb execute-statement`), so what only
// some runs need is imported when they need it: the key-condition form and its DescribeTable, the prod prompt
// (writes), the meter and its price table (--consumed), typed values (--param), table columns (table/text).

export interface QueryOptions {
  target: string | undefined;
  param: string[];
  readOnly: boolean;
  pk: string | undefined;
  sk: string | undefined;
  skBegins: string | undefined;
  skBetween: string[];
  skBefore: string | undefined;
  skAfter: string | undefined;
  index: string | undefined;
  filter: string | undefined;
  values: string | undefined;
  desc: boolean;
  limit: number | undefined;
  next: string | undefined;
  consumed: boolean;
  raw: boolean;
}

/** A statement has a space or starts with a PartiQL verb; a table name has neither. */
function isStatement(target: string | undefined): target is string {
  return target !== undefined && (/\s/.test(target.trim()) || /^(select|insert|update|delete|exists)\b/i.test(target.trim()));
}

const KEY_FLAGS = ['pk', 'sk', 'skBegins', 'skBefore', 'skAfter', 'index', 'filter', 'values'] as const;

export async function query(options: QueryOptions, context: Context): Promise<Output> {
  const meter = options.consumed ? (await import('../kit/consumed.js')).meterFor(context, true) : undefined;
  const items = isStatement(options.target) ? await partiql(options.target, options, context, meter) : await keyCondition(options, context, meter);
  // Columns are chosen from the rows only for a table (or text); json and ndjson print each item as it comes.
  const forPeople = context.format === 'table' || context.format === 'text';
  const { itemColumns } = forPeople ? await import('../kit/item-columns.js') : { itemColumns: (): Column<Item>[] => [] };
  // Called when the last page is read, so these lines come after the items.
  const more = (token: string | undefined) => {
    if (token) context.say(`more: --next ${token}`);
    if (meter) context.say(meter.line());
    return Promise.resolve();
  };
  return rows<Item>({
    rows: items(more),
    columns: { fromRows: (all) => itemColumns(all, options.raw) },
    jsonText: options.raw ? typedItemJson : plainItemJson,
    empty: 'No items matched.',
  });
}

type Items = (onNext: (token: string | undefined) => Promise<void>) => AsyncGenerator<Item>;

async function partiql(statement: string, options: QueryOptions, context: Context, meter: Meter | undefined): Promise<Items> {
  const stray = KEY_FLAGS.find((key) => options[key] !== undefined) ?? (options.skBetween.length || options.desc ? 'skBetween/desc' : undefined);
  if (stray)
    throw new UsageError(
      'flag.conflict',
      'Key-condition flags (--pk, --sk..., --index, --filter, --desc) do not go with a PartiQL statement',
      'Put the condition in the WHERE clause',
    );
  const parameters: AttributeValue[] = [];
  if (options.param.length > 0) {
    const { valueFromFlag } = await import('../adhoc/values.js');
    options.param.forEach((value, i) => parameters.push(valueFromFlag(value, `--param ${i + 1}`)));
  }
  checkParameters(statement, parameters);
  if (isWriteStatement(statement)) {
    if (options.readOnly)
      throw new UsageError('query.read_only', 'The statement writes (INSERT, UPDATE or DELETE) and --read-only is set', 'Drop --read-only to run it');
    const table = statementTable(statement);
    const { confirmDestructive } = await import('../kit/prod-prompt.js');
    await confirmDestructive(context, 'run a PartiQL write', table ?? 'write', table ? { table } : {});
  }
  const client = await context.dynamo();
  await meter?.watch(client);
  return (onNext) => statementItems(client, statement, parameters, { limit: options.limit, next: options.next, onNext });
}

async function keyCondition(options: QueryOptions, context: Context, meter: Meter | undefined): Promise<Items> {
  if (options.param.length > 0 || options.readOnly)
    throw new UsageError('flag.conflict', '--param and --read-only go with a PartiQL statement', 'Give the statement as the first argument, quoted');
  if (options.pk === undefined)
    throw new UsageError(
      'key.missing',
      'Give --pk (a key condition) or a PartiQL statement',
      `e.g. cruddur-ddb query 'SELECT * FROM "cruddur-messages" WHERE pk = ?' --param MSG#...`,
    );
  if (options.skBetween.length !== 0 && options.skBetween.length !== 2)
    throw new UsageError('flag.conflict', `--sk-between takes two values, got ${options.skBetween.length}`, 'e.g. --sk-between 2026-01-01 2026-02-01');
  const table = checkTableName(options.target ?? context.env.table.value);
  const [{ buildKeyQuery, keyQueryItems }, { keysFor, loadShape }] = await Promise.all([import('../adhoc/key-query.js'), import('../adhoc/shape.js')]);
  const client = await context.dynamo();
  await meter?.watch(client);
  const shape = await loadShape(client, table);
  const keys = keysFor(shape, options.index);
  const built = buildKeyQuery(shape, keys, {
    pk: options.pk,
    sk: options.sk,
    skBegins: options.skBegins,
    skBetween: options.skBetween.length === 2 ? [options.skBetween[0]!, options.skBetween[1]!] : undefined,
    skBefore: options.skBefore,
    skAfter: options.skAfter,
    filter: options.filter,
    values: options.values,
    desc: options.desc,
    zone: context.env.timeZone.value,
  });
  return (onNext) => keyQueryItems(client, shape, built, { limit: options.limit, next: options.next, onNext });
}
