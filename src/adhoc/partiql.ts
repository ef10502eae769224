/**
 * PartiQL through ExecuteStatement
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html): every page
 * or `limit` items, resuming from a NextToken. Items come back typed; the command chooses plain or raw.
 */
import { ExecuteStatementCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CliError, EXIT_CONDITION_FAILED, UsageError } from '../core/errors.js';
import type { Item } from '../transfer/typed-json.js';

/** INSERT, UPDATE, DELETE write; SELECT (and EXISTS, only inside transactions) reads. */
export function isWriteStatement(statement: string): boolean {
  const first = /^\s*(?:--[^\n]*\n\s*)*([A-Za-z]+)/.exec(statement)?.[1]?.toUpperCase();
  return first === 'INSERT' || first === 'UPDATE' || first === 'DELETE';
}

/** The `?` placeholders, outside 'string literals' and "quoted names" (where a ? is text). */
export function countPlaceholders(statement: string): number {
  let count = 0;
  let quote: string | undefined;
  for (let i = 0; i < statement.length; i++) {
    const c = statement[i]!;
    if (quote) {
      // A doubled quote inside a quoted part is the quote itself.
      if (c === quote && statement[i + 1] === quote) i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '?') count++;
  }
  return count;
}

/** The parameters must match the `?`s: DynamoDB's own message for this case does not say which count is wrong. */
export function checkParameters(statement: string, parameters: AttributeValue[]): void {
  const wanted = countPlaceholders(statement);
  if (wanted !== parameters.length) {
    throw new UsageError(
      'partiql.param_count',
      `The statement has ${wanted} ? placeholder${wanted === 1 ? '' : 's'} but ${parameters.length} --param value${parameters.length === 1 ? '' : 's'} were given`,
      'Give one --param per ?, in order',
    );
  }
}

export interface StatementPages {
  /** Stop after this many items (the last page's Limit asks for no more). */
  limit?: number;
  /** A NextToken from an earlier run (`--next`). */
  next?: string;
  consistent?: boolean;
  /** Called once at the end with the token to resume from, when there is more. */
  onNext?(token: string | undefined): void | Promise<void>;
}

/** DynamoDB's ValidationException for a statement is a usage error: its message says what and where. */
function statementError(error: unknown, statement: string): never {
  const name = (error as { name?: string })?.name;
  if (name === 'ValidationException') {
    const unquotedDash = /\b(?:from|into|update)\s+[A-Za-z0-9_.]*-/i.test(statement);
    const hint = unquotedDash
      ? 'A table name with a dash needs double quotes: "cruddur-messages"'
      : "Strings go in single quotes ('MSG#...'), names in double quotes";
    throw new UsageError('partiql.invalid', `DynamoDB refused the statement: ${(error as Error).message.split('\n')[0]}`, hint);
  }
  if (name === 'ConditionalCheckFailedException') {
    throw new CliError('item.condition_failed', "The statement's condition did not hold; nothing was changed", { exitCode: EXIT_CONDITION_FAILED });
  }
  throw error;
}

export async function* statementItems(
  client: DynamoDBClient,
  statement: string,
  parameters: AttributeValue[],
  options: StatementPages = {},
): AsyncGenerator<Item> {
  let token = options.next;
  let left = options.limit ?? Infinity;
  do {
    let page;
    try {
      page = await client.send(
        new ExecuteStatementCommand({
          Statement: statement,
          Parameters: parameters.length > 0 ? parameters : undefined,
          NextToken: token,
          ConsistentRead: options.consistent,
          // Asking for no more than is left keeps the token exact: a page is never cut short here. Otherwise
          // DynamoDB's own 1 MB pages, not key-query's smaller ones (page-size.ts): DynamoDB Local answers each
          // ExecuteStatement page in time that grows with what is left of the partition (50,000 items: 3.2 s in
          // 13 pages, 25 s in 101 pages of 500), so more pages would make a local run many times slower.
          ...(Number.isFinite(left) ? { Limit: left } : {}),
        }),
      );
    } catch (error) {
      statementError(error, statement);
    }
    for (const item of page.Items ?? []) {
      left--;
      yield item;
    }
    token = page.NextToken;
  } while (token && left > 0);
  await options.onNext?.(token);
}

/** The table a writing statement names (`INSERT INTO "t"`, `UPDATE "t"`, `DELETE FROM "t"`), for the prod prompt. */
export function statementTable(statement: string): string | undefined {
  const match = /^\s*(?:insert\s+into|update|delete\s+from)\s+(?:"((?:[^"]|"")+)"|([A-Za-z0-9_.-]+))/i.exec(statement);
  return match ? (match[1]?.replace(/""/g, '"') ?? match[2]) : undefined;
}
