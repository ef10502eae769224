/**
 * Command line to typed input, table by table, with no process and no database: which command runs,
 * with which options (parsed and defaulted by its definition) and which environment. The bare `prod`
 * rule lives here: it selects prod wherever it stands among the arguments, never as an option's value.
 */
import { describe, expect, it } from 'vitest';
import { longName, type CommandDefinition } from '../../src/kit/define.js';
import { parseCommandLine } from '../../src/entry/run.js';
import { COMMANDS } from '../../src/commands/index.js';
import { CliError } from '../../src/core/errors.js';

const parsed = (line: string) => parseCommandLine(line.split(' '));

async function codeOf(line: string): Promise<string> {
  try {
    await parsed(line);
  } catch (error) {
    return error instanceof CliError ? error.code : `not a CliError: ${String(error)}`;
  }
  return 'no error';
}

describe('a bare prod word selects prod wherever it stands', () => {
  it.each([
    ['drop cruddur-messages prod --yes', 'drop', { table: 'cruddur-messages' }, { env: 'prod', yes: true }],
    ['drop prod cruddur-messages', 'drop', { table: 'cruddur-messages' }, { env: 'prod' }],
    ['seed --table cruddur-messages prod --yes', 'seed', {}, { env: 'prod', table: 'cruddur-messages', yes: true }],
    ['update-cognito-user-ids prod --yes', 'update-cognito-user-ids', { dryRun: false }, { env: 'prod', yes: true }],
    ['list-tables prod -o json', 'list-tables', {}, { env: 'prod', output: 'json' }],
    ['schema-load prod --billing provisioned', 'schema-load', { table: undefined, billing: 'provisioned' }, { env: 'prod' }],
    ['list-conversations andrewbrown prod', 'list-conversations', { handle: 'andrewbrown' }, { env: 'prod' }],
    ['cognito list-users prod --filter x', 'cognito list-users', { filter: 'x' }, { env: 'prod' }],
    ['list-tables prod --env prod', 'list-tables', {}, { env: 'prod' }],
    ['reset cruddur-messages prod --yes', 'reset', { table: 'cruddur-messages', segments: 4, concurrency: 8, maxRetries: 8 }, { env: 'prod', yes: true }],
    ['import messages.ndjson.gz prod --table t-1', 'import', { file: 'messages.ndjson.gz', concurrency: 8 }, { env: 'prod', table: 't-1' }],
    ['export prod -f out.ndjson', 'export', { table: undefined, file: 'out.ndjson', segments: 4 }, { env: 'prod' }],
    [
      'export --managed s3://b/p msgs prod',
      'export',
      { table: 'msgs', managed: 's3://b/p', wait: true, incremental: false, enablePitr: false, viewType: 'NEW_AND_OLD_IMAGES' },
      { env: 'prod' },
    ],
    [
      'export --managed s3://b/p --no-wait --incremental --from 2026-01-01 --to 2026-01-01T12:00:00Z',
      'export',
      { wait: false, incremental: true, from: '2026-01-01' },
      {},
    ],
    [
      'import --managed s3://b/p --table t-new prod --yes',
      'import',
      { file: undefined, managed: 's3://b/p', shape: undefined },
      { env: 'prod', table: 't-new', yes: true },
    ],
    ['export prod --layout aws -f s3://b/p', 'export', { file: 's3://b/p', layout: 'aws', segments: 4 }, { env: 'prod' }],
    ['import s3://b/p prod --shape t.json', 'import', { file: 's3://b/p', shape: 't.json' }, { env: 'prod' }],
    ['ui prod', 'ui', { stream: 'auto' }, { env: 'prod' }],
    ['query prod --pk MSG#x --sk-between a b', 'query', { target: undefined, pk: 'MSG#x', skBetween: ['a', 'b'], param: [], desc: false }, { env: 'prod' }],
    ['delete t prod --pk a --sk b', 'delete', { table: 't', pk: 'a', sk: 'b' }, { env: 'prod' }],
    [
      'update prod --pk a --sk b --set x=1 --set y=2 --remove z',
      'update',
      { table: undefined, set: ['x=1', 'y=2'], remove: ['z'], add: [], force: false },
      { env: 'prod' },
    ],
    ['ttl sweep prod --yes', 'ttl sweep', { table: undefined, segments: 4, concurrency: 8, dryRun: false }, { env: 'prod', yes: true }],
    ['ttl enable expires_at prod', 'ttl enable', { attribute: 'expires_at', table: undefined }, { env: 'prod' }],
  ])('%s', async (line, name, input, flags) => {
    const result = await parsed(line);
    expect(result.name).toBe(name);
    expect(result.input).toMatchObject(input);
    expect(result.flags).toMatchObject(flags);
  });
});

describe("an option's value is never taken for the environment", () => {
  it.each([
    ['seed --dir prod', { dir: 'prod' }, {}],
    ['send hi --from ann --to prod', { text: 'hi', from: 'ann', to: 'prod' }, {}],
    ['scan xyz --table prod', { table: 'xyz' }, { table: 'prod' }],
    ['scan --table prod xyz', { table: 'xyz' }, { table: 'prod' }],
    ['schema-load --table prod', { table: undefined }, { table: 'prod' }],
    ['stream --checkpoint-dir prod', { checkpointDir: 'prod' }, {}],
    ['query --pk prod --index prod', { pk: 'prod', index: 'prod' }, {}],
    ['query x --param prod', { target: 'x', param: ['prod'] }, {}],
    ['get --pk prod --sk prod', { table: undefined, pk: 'prod', sk: 'prod' }, {}],
    ['copy --from local --to prod', { table: undefined, from: 'local', to: 'prod', anonymize: false }, {}],
    ['copy --from prod --to local --anonymize --to-table prod', { from: 'prod', to: 'local', toTable: 'prod', anonymize: true }, {}],
  ])('%s', async (line, input, flags) => {
    const result = await parsed(line);
    expect(result.input).toMatchObject(input);
    expect(result.flags).toMatchObject(flags);
    expect(result.flags.env).toBeUndefined();
  });

  // Checked at parse time as the option's value: refused as a uuid or a date, never read as --env prod.
  it.each([
    ['list-conversations --user-uuid prod', 'arg.bad_uuid'],
    ['get-conversation 6fd7060e-c610-5e79-b5f3-167bc0fa37bb --since prod', 'flag.bad_date'],
  ])('%s', async (line, code) => {
    const error = await parsed(line).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe(code);
    expect((error as CliError).message).toMatch(/got "prod"/);
  });
});

describe('options arrive typed, with the defaults their definitions give', () => {
  it.each([
    ['stream', { from: 'trim-horizon', once: false, checkpointDir: '.cruddur/stream', batchSize: 100 }],
    ['ui', { port: 8060, stream: 'auto', checkpointDir: '.cruddur/stream' }],
    ['ui --port 0 --stream watch', { port: 0, stream: 'watch' }],
    ['stream --from latest --once --batch-size 1000', { from: 'latest', once: true, batchSize: 1000 }],
    // usersFromDb left undefined: seed decides by CONNECTION_URL (issue 9); each form of the switch says so.
    ['seed', { dir: undefined, usersFromDb: undefined, synthetic: undefined, seedValue: undefined, concurrency: 8, maxRetries: 8 }],
    ['seed --users-from-db', { usersFromDb: true }],
    ['seed --no-users-from-db', { usersFromDb: false }],
    ['local --seed --no-users-from-db', { seed: true, usersFromDb: false }],
    ['repair', { dryRun: false, concurrency: 8 }],
    ['repair --dry-run --concurrency 2', { dryRun: true, concurrency: 2 }],
    ['seed --synthetic 20 --concurrency 2 --max-retries 0', { synthetic: 20, concurrency: 2, maxRetries: 0 }],
    ['scan tbl', { table: 'tbl', segments: 1, limit: undefined, raw: false }],
    // Like export, reset and schema-load: the table defaults to --table, DDB_MESSAGE_TABLE or cruddur-messages.
    ['scan', { table: undefined, segments: 1 }],
    ['scan tbl --segments 4 --limit 10 --raw', { table: 'tbl', segments: 4, limit: 10, raw: true }],
    // --consumed and --dry-run: off unless given (issue 20).
    ['scan tbl', { consumed: false, dryRun: false }],
    ['scan tbl --consumed --dry-run', { consumed: true, dryRun: true }],
    ['reset tbl --dry-run', { dryRun: true, consumed: false }],
    ['copy --from prod --to local --dry-run --consumed', { from: 'prod', to: 'local', dryRun: true, consumed: true }],
    ['export tbl --dry-run', { dryRun: true }],
    ['import f.ndjson --consumed', { consumed: true }],
    ['seed --consumed', { consumed: true }],
    ['list-conversations --user-uuid 5ae290ed-55d1-47a0-bc6d-fe2bc2700399 --consumed', { consumed: true }],
    ['schema-load', { table: undefined, billing: 'on-demand' }],
    ['schema-load my-table', { table: 'my-table', billing: 'on-demand' }],
    // --port is resolved at run time: CRUDDUR_LOCAL_PORT, else 8000.
    [
      'local',
      {
        action: undefined,
        port: undefined,
        dataDir: '.cruddur/dynamodb',
        inMemory: false,
        detach: false,
        schemaLoad: false,
        seed: false,
        usersFromDb: undefined,
      },
    ],
    ['local --port 8001 --in-memory', { port: 8001, inMemory: true }],
    ['local', { host: '127.0.0.1' }],
    ['local --host 0.0.0.0', { host: '0.0.0.0' }],
    [
      'get-conversation 6fd7060e-c610-5e79-b5f3-167bc0fa37bb --all',
      { message_group_uuid: '6fd7060e-c610-5e79-b5f3-167bc0fa37bb', limit: undefined, all: true },
    ],
    ['get-conversation 6fd7060e-c610-5e79-b5f3-167bc0fa37bb --limit 3', { limit: 3, all: false }],
    [
      'list-conversations --user-uuid 5ae290ed-55d1-47a0-bc6d-fe2bc2700399 --limit 2',
      { handle: undefined, userUuid: '5ae290ed-55d1-47a0-bc6d-fe2bc2700399', limit: 2 },
    ],
    ['send hi --from a --to b --at 2026-01-01T00:00:00Z', { text: 'hi', from: 'a', to: 'b', at: '2026-01-01T00:00:00Z' }],
    ['update-cognito-user-ids --dry-run', { dryRun: true }],
    ['update-cognito-user-ids', { lockTimeout: 10 }],
    ['update-cognito-user-ids --lock-timeout 3', { lockTimeout: 3 }],
  ])('%s', async (line, input) => {
    expect((await parsed(line)).input).toEqual(expect.objectContaining(input));
  });
});

describe('a wrong command line is a usage error with a code', () => {
  it.each([
    ['drop prod', 'arg.missing'],
    ['drop a b', 'arg.too_many'],
    ['list-tables prod --env local', 'env.conflict'],
    ['stream --batch-size 1001', 'flag.bad_number'],
    ['ui --port 65536', 'flag.bad_number'],
    ['ui --stream on', 'usage.command_line'],
    ['seed --max-retries -1', 'flag.bad_number'],
    ['scan tbl --limit x', 'flag.bad_number'],
    ['local --port 70000', 'flag.bad_number'],
    ['scan tbl --limit 0x2', 'flag.bad_number'],
    ['scan tbl --limit 1e1', 'flag.bad_number'],
    ['seed --concurrency +3', 'flag.bad_number'],
    ['schema-load --billing free', 'usage.command_line'],
    ['stream --from now', 'usage.command_line'],
    ['send hi --from a', 'usage.command_line'],
    ['scan tbl --no-such-flag', 'usage.command_line'],
    // Semantic checks run at parse time too: a value that cannot be right never reaches the command.
    ['drop ab', 'table.bad_name'],
    ['export no/slash', 'table.bad_name'],
    ['get-conversation not-a-uuid', 'arg.bad_uuid'],
    ['get-conversation 6fd7060e-c610-5e79-b5f3-167bc0fa37bb --since 2026-02-30', 'flag.bad_date'],
    ['get-conversation 6fd7060e-c610-5e79-b5f3-167bc0fa37bb --until 99999', 'flag.bad_date'],
    ['list-conversations --user-uuid nope', 'arg.bad_uuid'],
    ['send hi --from a --to b --at yesterday', 'flag.bad_time'],
  ])('%s', async (line, code) => {
    expect(await codeOf(line)).toBe(code);
  });
});

describe('every definition', () => {
  it('gives each option a key commander hands back (no flag silently arrives as undefined)', async () => {
    for (const definition of COMMANDS as unknown as CommandDefinition[]) {
      // A uuid: what a uuid argument needs, and a valid table name too.
      const requiredArgs = Object.values(definition.args)
        .filter((arg) => arg.required)
        .map(() => '6fd7060e-c610-5e79-b5f3-167bc0fa37bb');
      const mandatory = Object.values(definition.options).flatMap((spec) => (spec.mandatory ? [longName(spec.flags), 'x'] : []));
      const { input } = await parseCommandLine([...definition.name.split(' '), ...requiredArgs, ...mandatory]);
      expect(Object.keys(input).sort()).toEqual([...Object.keys(definition.args), ...Object.keys(definition.options)].sort());
      for (const [key, spec] of Object.entries(definition.options)) {
        if (spec.default !== undefined) expect(input[key], `${definition.name} ${key}`).toEqual(spec.default);
      }
    }
  });
});

describe('--segments takes the same range on every command that scans a table', () => {
  it.each(['scan tbl', 'export tbl', 'copy tbl --from local --to http://localhost:8001', 'reset tbl'])('%s', async (line) => {
    expect((await parsed(`${line} --segments 1000000`)).input).toMatchObject({ segments: 1_000_000 });
    expect((await parsed(`${line} --segments 1`)).input).toMatchObject({ segments: 1 });
    expect(await codeOf(`${line} --segments 1000001`)).toBe('flag.bad_number');
    expect(await codeOf(`${line} --segments 0`)).toBe('flag.bad_number');
  });
});

describe('copy --users (a slice) is parsed before anything runs', () => {
  const UUID = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';
  it.each([
    ['copy --from prod --to local --users 20', { kind: 'count', count: 20 }],
    ['copy --from prod --to local --users andrewbrown,@bayko,andrewbrown', { kind: 'named', handles: ['andrewbrown', 'bayko'], uuids: [] }],
    [`copy --from prod --to local --users ${UUID.toUpperCase()},londo`, { kind: 'named', handles: ['londo'], uuids: [UUID] }],
  ])('%s', async (line, users) => {
    expect((await parsed(line)).input).toMatchObject({ users, segments: undefined });
  });
  it('leaves --users out of a whole-table copy, and gives --segments no default there (a given one is refused with --users)', async () => {
    expect((await parsed('copy --from prod --to local')).input).toMatchObject({ users: undefined, segments: undefined });
  });
  it.each(['copy --from prod --to local --users 0', 'copy --from prod --to local --users 10001', 'copy --from prod --to local --users a,,b'])(
    '%s is a usage error',
    async (line) => {
      expect(await codeOf(line)).toBe('copy.bad_users');
    },
  );
});
