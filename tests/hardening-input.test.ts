/**
 * Issue 11, bad input: the strict parsers in-process, then a table-driven run of the binary: every
 * command against many bad inputs, each answered by one line on stderr, the right exit code, no stack
 * trace and nothing written (the table, the list of tables and public.users are compared after).
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wholeNumber as wholeNumberFlag } from '../src/kit/define.js';
import { knownSecrets, redactSecrets, resolveEnv } from '../src/core/environment.js';
import { flagTime } from '../src/core/local-time.js';
import { cut, visible } from '../src/kit/output.js';
import { safeLine } from '../src/core/safe-text.js';
import { isoTimeFlag, uuidArg } from '../src/core/checks.js';
import { run, spawnCli, testClient, createMessagesTable, type RunResult } from './helpers/cli.js';
import { freshDatabase, query } from './helpers/postgres.js';

describe('strict parsers', () => {
  it('numbers: decimal digits only', () => {
    for (const bad of ['0x2', '1e1', '', ' ', '-1', '+1', '1.5', '0', 'Infinity', '9007199254740993'])
      expect(() => wholeNumberFlag(bad, '--limit'), bad).toThrow(/--limit must be a whole number/);
    expect(wholeNumberFlag('10', '--limit')).toBe(10);
    expect(wholeNumberFlag('0', '--max-retries', { min: 0 })).toBe(0);
  });

  it('uuids', () => {
    expect(() => uuidArg('not-a-uuid', 'message_group_uuid')).toThrow(/message_group_uuid must be a uuid/);
    expect(uuidArg('5AE290ED-55D1-47A0-BC6D-FE2BC2700399', 'x')).toBe('5ae290ed-55d1-47a0-bc6d-fe2bc2700399');
  });

  it('times: real calendar dates, four-digit years from 0001, real times of day and offsets', () => {
    for (const bad of [
      '2026-02-30',
      '99999',
      '99999-01-01',
      '0000-01-01',
      '12',
      '2026-13-01',
      '2026-01-01T24:00',
      '2026-01-01T10:60',
      '2026-01-01T10:00+15:00',
      'now',
      '',
    ])
      expect(() => isoTimeFlag(bad, '--at'), bad).toThrow(/--at must be an ISO-8601 date or time/);
    expect(isoTimeFlag('2024-02-29', '--at')).toEqual({ dateOnly: true, text: '2024-02-29' });
    expect(isoTimeFlag('2026-01-31 18:00+0530', '--at').text).toBe('2026-01-31T18:00:00+05:30');
    expect(isoTimeFlag('0001-01-01T00:00:00.123456Z', '--at').text).toBe('0001-01-01T00:00:00.123456Z');
    expect(flagTime('2026-01-01', '--until', 'end')).toBe('2026-01-01T23:59:59.999999+00:00');
    expect(() => flagTime('99999-01-01', '--since', 'start')).toThrow(/--since/);
  });

  it('regions: a usage error naming the source', () => {
    expect(() => resolveEnv({ region: 'bad region!' }, {})).toThrow(/"bad region!" \(from --region\) is not an AWS region name/);
    expect(() => resolveEnv({}, { AWS_REGION: 'US EAST' })).toThrow(/from AWS_REGION/);
  });

  it('redacts PostgreSQL passwords in every form', () => {
    const cases: Array<[string, string]> = [
      ['postgresql://postgres:hunter2@h:5432/db', 'hunter2'],
      ['postgresql://postgres:pa/ss@h/db', 'pa/ss'],
      ['postgresql://postgres:p@ss@h/db', 'p@ss'],
      ['postgresql://postgres@h/db?password=hunter2&sslmode=disable', 'hunter2'],
      ['host=h password=hunter2 dbname=d', 'hunter2'],
      ["host=h password='a secret' dbname=d", 'a secret'],
      ['No user @ghost in public.users at postgresql://postgres@h/db?password=hunter2', 'hunter2'],
    ];
    for (const [text, secret] of cases) {
      expect(redactSecrets(text), text).not.toContain(secret);
      expect(redactSecrets(text)).toContain('***');
    }
    expect(knownSecrets({ CONNECTION_URL: 'postgresql://u:pa%2Fss@h/db' })).toContain('pa/ss');
    expect(safeLine('auth failed for "pa/ss"', { CONNECTION_URL: 'postgresql://u:pa%2Fss@h/db' })).toBe('auth failed for "***"');
  });

  it('shows control characters visibly for people; JSON keeps them', () => {
    const hostile = 'hi\u001b]0;pwned\u0007 \u001b[2J \u001b]52;c;ZXZpbA==\u0007 \u009b31m \u202e';
    expect(visible(hostile)).toBe('hi\\x1b]0;pwned\\x07 \\x1b[2J \\x1b]52;c;ZXZpbA==\\x07 \\x9b31m \\u202e');
    // eslint-disable-next-line no-control-regex
    expect(cut(hostile, 100)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(JSON.parse(JSON.stringify({ m: hostile })).m).toBe(hostile);
  });
});

const UUID1 = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';
const UUID2 = '14fa2b53-f3c0-4b5e-a8d3-7f64e0c3a9d1';

interface Case {
  args: string[];
  env?: Record<string, string | undefined>;
  code: 1 | 2;
  /** The line must match this, when given. */
  says?: RegExp;
}

describe('every command against bad input (table-driven, through the binary)', () => {
  let table: string;
  let pgUrl: string;
  let seedDirs: Record<string, string>;
  const client = testClient();
  const snapshot = async () => ({
    // Other test files create tables in the same DynamoDB Local at the same time: only the names these
    // cases mention (the sentinel table, the bad names) can tell whether a case created or dropped one.
    tables: (JSON.parse((await run(['list-tables', '-o', 'json'])).stdout) as string[]).filter((name) => mentioned.has(name)),
    items: (await client.send(new ScanCommand({ TableName: table }))).Items?.map((item) => JSON.stringify(item)).sort(),
    users: JSON.stringify(await query(pgUrl, 'SELECT handle, cognito_user_id FROM public.users ORDER BY handle')),
  });
  let before: Awaited<ReturnType<typeof snapshot>>;
  let mentioned = new Set<string>();

  beforeAll(async () => {
    table = await createMessagesTable('badinput');
    expect((await run(['seed', '--table', table])).code).toBe(0);
    pgUrl = await freshDatabase();
    await query(pgUrl, `INSERT INTO public.users (display_name, handle, email, cognito_user_id) VALUES ('Bob', 'bob', 'b@x', 'MOCK')`);
    const base = mkdtempSync(join(tmpdir(), 'badseed-'));
    const make = (name: string, files: Record<string, string | Buffer>, folders: string[] = []) => {
      const dir = join(base, name);
      mkdirSync(join(dir, 'conversations'), { recursive: true });
      for (const folder of folders) mkdirSync(join(dir, folder), { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      return dir;
    };
    const users = '@ann | Ann\n@bob | Bob\n';
    const ok = '2026-01-01 10:00 @ann: hi\n2026-01-01 10:01 @bob: hello\n';
    seedDirs = {
      eisdir: make('eisdir', { 'users.txt': users, 'conversations/a.txt': ok }, ['conversations/b.txt']),
      latin1: make('latin1', {
        'users.txt': users,
        'conversations/a.txt': Buffer.from('2026-01-01 10:00 @ann: hi\n2026-01-01 10:01 @bob: caf\xe9\n', 'latin1'),
      }),
      latin1Users: make('latin1Users', { 'users.txt': Buffer.from('@ann | Ann\n@bob | Bj\xf6rn\n', 'latin1'), 'conversations/a.txt': ok }),
      huge: make('huge', { 'users.txt': users, 'conversations/a.txt': `2026-01-01 10:00 @ann: ${'y'.repeat(401 * 1024)}\n2026-01-01 10:01 @bob: hi\n` }),
      feb30: make('feb30', { 'users.txt': users, 'conversations/a.txt': '2026-02-30 10:00 @ann: hi\n2026-02-30 10:01 @bob: hello\n' }),
      third: make('third', { 'users.txt': users + '@cat | Cat\n', 'conversations/a.txt': ok + '2026-01-01 10:02 @cat: me too\n' }),
      noUsers: make('noUsers', { 'conversations/a.txt': ok }),
      badUuid: make('badUuid', { 'users.txt': '@ann | Ann | not-a-uuid\n@bob | Bob\n', 'conversations/a.txt': ok }),
    };
    mentioned = new Set(cases().flatMap((c) => c.args));
    before = await snapshot();
    expect(before.tables).toEqual([table]);
  });
  afterAll(() => client.destroy());

  const cases = (): Case[] => {
    const T = table;
    // Each command with arguments that are fine, so a bad global flag is the only thing wrong.
    const commands: Array<[string, string[]]> = [
      ['env', ['env']],
      ['local', ['local', '--in-memory']],
      ['schema-load', ['schema-load', T]],
      ['drop', ['drop', T]],
      ['list-tables', ['list-tables']],
      ['scan', ['scan', T]],
      ['seed', ['seed', '--table', T]],
      ['get-conversation', ['get-conversation', UUID1, '--table', T]],
      ['list-conversations', ['list-conversations', '--user-uuid', UUID1, '--table', T]],
      ['stream', ['stream', '--once', '--table', T]],
      ['send', ['send', '--from', UUID1, '--to', UUID2, 'hi', '--table', T]],
      ['cognito list-users', ['cognito', 'list-users', '--user-pool-id', 'us-east-1_x']],
      ['update-cognito-user-ids', ['update-cognito-user-ids', '--user-pool-id', 'us-east-1_x']],
      ['export', ['export', T, '--file', join(tmpdir(), `badinput-${process.pid}.ndjson`)]],
      ['import', ['import', '/nonexistent/export.ndjson', '--table', T]],
      ['copy', ['copy', T, '--from', 'local', '--to', 'local', '--to-table', `${T}-copy`]],
      ['reset', ['reset', T]],
      ['repair', ['repair', '--table', T]],
    ];
    const globalBad: Array<[string[], Record<string, string>, RegExp]> = [
      [['--env', 'staging'], {}, /argument 'staging' is invalid/],
      [['--endpoint-url', 'not a url'], {}, /is not a URL/],
      [['--endpoint-url', 'ftp://example.com'], {}, /is not an http\(s\) URL/],
      [['--region', 'bad region!'], {}, /"bad region!" \(from --region\) is not an AWS region name/],
      [['-o', 'xml'], {}, /Unknown output format "xml"/],
      [['--bogus-flag'], {}, /unknown option '--bogus-flag'/],
      [[], { CRUDDUR_ENV: 'staging' }, /Unknown environment "staging" \(from CRUDDUR_ENV\)/],
      [[], { AWS_REGION: 'Not A Region' }, /from AWS_REGION\) is not an AWS region name/],
      [[], { AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000' }, /is not an http\(s\) URL|is not a URL/],
    ];
    const list: Case[] = [];
    for (const [, args] of commands) for (const [extra, env, says] of globalBad) list.push({ args: [...args, ...extra], env, code: 2, says });

    const numbers = ['0', '-1', '0x2', '1e1', '', '2.5', 'ten', '+3'];
    for (const n of numbers) {
      list.push({ args: ['scan', T, '--segments', n], code: 2, says: /--segments must be a whole number/ });
      list.push({ args: ['scan', T, '--limit', n], code: 2, says: /--limit must be a whole number/ });
      list.push({ args: ['seed', '--table', T, '--synthetic', n], code: 2, says: /--synthetic must be a whole number/ });
      list.push({ args: ['seed', '--table', T, '--concurrency', n], code: 2, says: /--concurrency must be a whole number/ });
      list.push({ args: ['get-conversation', UUID1, '--table', T, '--limit', n], code: 2, says: /--limit must be a whole number/ });
      list.push({ args: ['list-conversations', '--user-uuid', UUID1, '--table', T, '--limit', n], code: 2, says: /--limit must be a whole number/ });
      list.push({ args: ['stream', '--once', '--table', T, '--batch-size', n], code: 2, says: /--batch-size must be a whole number/ });
      list.push({ args: ['local', '--in-memory', '--port', n], code: 2, says: /--port must be a whole number/ });
      list.push({
        args: ['update-cognito-user-ids', '--user-pool-id', 'x', '--lock-timeout', n],
        env: { CONNECTION_URL: pgUrl },
        code: 2,
        says: /--lock-timeout/,
      });
      list.push({ args: ['export', T, '--segments', n], code: 2, says: /--segments must be a whole number/ });
      list.push({ args: ['reset', T, '--concurrency', n], code: 2, says: /--concurrency must be a whole number/ });
    }
    for (const n of ['', '-1', '31', '1e1', '0x1'])
      list.push({ args: ['seed', '--table', T, '--max-retries', n], code: 2, says: /--max-retries must be a whole number from 0 to 30/ });
    list.push({ args: ['scan', T, '--segments', '1000001'], code: 2, says: /from 1 to 1000000/ });
    list.push({ args: ['seed', '--table', T, '--synthetic', '10000001'], code: 2, says: /from 1 to 10000000/ });
    list.push({ args: ['seed', '--table', T, '--concurrency', '257'], code: 2 });
    list.push({ args: ['stream', '--once', '--table', T, '--batch-size', '1001'], code: 2 });
    list.push({ args: ['local', '--in-memory', '--port', '65536'], code: 2 });

    const times = ['2026-02-30', '99999', '99999-01-01', '0000-01-01', '12', '2026-13-01', '2026-01-01T24:00:00Z', '2026-01-01T10:00+15:00', 'yesterday', ''];
    for (const time of times) {
      list.push({ args: ['send', '--from', UUID1, '--to', UUID2, 'hi', '--table', T, '--at', time], code: 2, says: /--at must be an ISO-8601 date or time/ });
      list.push({ args: ['get-conversation', UUID1, '--table', T, '--since', time], code: 2, says: /--since must be an ISO-8601/ });
      list.push({ args: ['get-conversation', UUID1, '--table', T, '--until', time], code: 2, says: /--until must be an ISO-8601/ });
    }
    list.push({ args: ['get-conversation', UUID1, '--table', T, '--since', '2026-02-01', '--until', '2026-01-01'], code: 2, says: /is after --until/ });

    for (const id of ['not-a-uuid', '5ae290ed55d147a0bc6dfe2bc2700399', `${UUID1}x`, '   ', 'g'.repeat(36)])
      list.push({ args: ['get-conversation', id, '--table', T], code: 2, says: /message_group_uuid|Give the message_group_uuid/ });
    for (const id of ['notauuid', '', '12345', `${UUID1} `.repeat(2)])
      list.push({ args: ['list-conversations', '--user-uuid', id, '--table', T], code: 2, says: /--user-uuid must be a uuid/ });

    list.push(
      { args: ['get-conversation', UUID1, '--table', T, '--all', '--limit', '5'], code: 2, says: /--all and --limit do not go together/ },
      { args: ['list-conversations', '--table', T], code: 2, says: /Give a handle, or --user-uuid/ },
      { args: ['list-conversations', 'bob', '--table', T], code: 1, says: /No PostgreSQL configured/ },
      { args: ['list-conversations', 'ghost', '--table', T], env: { CONNECTION_URL: `${pgUrl}?password=hunter2` }, code: 1, says: /No user @ghost/ },
      { args: ['send', '--from', UUID1, '--to', UUID1, 'hi', '--table', T], code: 2, says: /same user/ },
      { args: ['send', '--from', UUID1, '--to', UUID2, '   ', '--table', T], code: 2, says: /Give the message text/ },
      { args: ['send', '--from', 'bad handle!', '--to', UUID2, 'hi', '--table', T], code: 2, says: /--from must be a handle or a user uuid/ },
      { args: ['send', '--from', UUID1, 'hi', '--table', T], code: 2, says: /required option '--to/ },
      { args: ['send', '--from', 'bob', '--to', 'ann', 'hi', '--table', T], code: 1, says: /No PostgreSQL configured/ },
      { args: ['stream', '--once', '--table', T, '--from', 'middle'], code: 2, says: /Allowed choices are trim-horizon, latest/ },
      { args: ['schema-load', T, '--billing', 'free'], code: 2, says: /Allowed choices are on-demand, provisioned/ },
      { args: ['schema-load', 'x'], code: 2, says: /"x" is not a valid DynamoDB table name/ },
      { args: ['schema-load', 'bad name!'], code: 2, says: /is not a valid DynamoDB table name/ },
      { args: ['drop', 'ab'], code: 2, says: /is not a valid DynamoDB table name/ },
      { args: ['drop', 'bad name!'], code: 2 },
      { args: ['drop'], code: 2, says: /missing required argument 'table'/ },
      { args: ['drop', T, 'extra'], code: 2, says: /[Tt]oo many arguments/ },
      {
        args: ['drop', T, 'prod'],
        env: { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' },
        code: 1,
        says: /Refusing to delete the table/,
      },
      { args: ['drop', T, 'prod'], env: { AWS_EC2_METADATA_DISABLED: 'true' }, code: 1, says: /No AWS region set for prod/ },
      {
        args: ['seed', '--table', T, 'prod'],
        env: { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' },
        code: 1,
        says: /Refusing to write 132 seed items/,
      },
      { args: ['get-conversation'], code: 2, says: /missing required argument/ },
      { args: ['scan', 'ab'], code: 2, says: /not a valid DynamoDB table name/ },
      { args: ['scan', 'no-such-table'], code: 1, says: /Table "no-such-table" not found/ },
      { args: ['list-tables', 'extra'], code: 2, says: /[Tt]oo many arguments/ },
      { args: ['list-conversations', '--user-uuid', UUID1, '--table', 'ab'], code: 2, says: /not a valid DynamoDB table name/ },
      { args: ['seed', '--table', 'ab'], code: 2, says: /not a valid DynamoDB table name/ },
      { args: ['seed', '--table', T, '--seed-value', 'x'], code: 2, says: /--seed-value only goes with --synthetic/ },
      { args: ['seed', '--table', T, '--synthetic', '5', '--users-from-db'], code: 2, says: /cannot go with --synthetic/ },
      { args: ['seed', '--table', T, '--dir', '/nonexistent/seed'], code: 1, says: /Cannot read \/nonexistent\/seed\/users\.txt/ },
      { args: ['seed', '--table', T, '--dir', seedDirs.eisdir!], code: 1, says: /conversations\/b\.txt is a folder, not a file/ },
      { args: ['seed', '--table', T, '--dir', seedDirs.latin1!], code: 1, says: /conversations\/a\.txt:2: not UTF-8 text/ },
      { args: ['seed', '--table', T, '--dir', seedDirs.latin1Users!], code: 1, says: /users\.txt:2: not UTF-8 text/ },
      { args: ['seed', '--table', T, '--dir', seedDirs.huge!], code: 1, says: /a\.txt:1: this message makes an item of/ },
      { args: ['seed', '--table', T, '--dir', seedDirs.feb30!], code: 1, says: /a\.txt:1: 2026-02-30 10:00 is not a real date/ },
      { args: ['seed', '--table', T, '--dir', seedDirs.third!], code: 1, says: /would be a third person/ },
      { args: ['seed', '--table', T, '--dir', seedDirs.noUsers!], code: 1, says: /Cannot read .*users\.txt/ },
      { args: ['seed', '--table', T, '--dir', seedDirs.badUuid!], code: 1, says: /users\.txt:1: "not-a-uuid" is not a uuid/ },
      { args: ['seed', '--table', T, '--users-from-db'], env: { CONNECTION_URL: pgUrl }, code: 1, says: /not in public\.users/ },
      { args: ['cognito', 'list-users'], code: 2, says: /No Cognito user pool given/ },
      { args: ['cognito', 'list-users', '--user-pool-id', 'x', '--cognito-endpoint-url', 'nope'], code: 2, says: /is not a URL/ },
      { args: ['cognito', 'bogus'], code: 2, says: /unknown command 'bogus'/ },
      { args: ['update-cognito-user-ids'], env: { CONNECTION_URL: pgUrl }, code: 2, says: /No Cognito user pool given/ },
      { args: ['update-cognito-user-ids', '--user-pool-id', 'x'], code: 1, says: /No PostgreSQL configured/ },
      {
        args: ['update-cognito-user-ids', '--user-pool-id', 'x', '--env', 'prod'],
        env: {
          PROD_CONNECTION_URL: 'host=db.example.com password=hunter2 dbname=cruddur',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'x',
        },
        code: 1,
        says: /Refusing to set public\.users\.cognito_user_id in host=db\.example\.com password=\*\*\* dbname=cruddur in prod/,
      },
      { args: ['local', '--in-memory', '--host', 'bad host!'], code: 2, says: /--host must be an IP address or host name/ },
      { args: ['local', '--in-memory', '--host', ''], code: 2, says: /--host must be/ },
      { args: ['bogus-command'], code: 2, says: /unknown command 'bogus-command'/ },
      { args: ['lst-tables'], code: 2, says: /unknown command 'lst-tables' \(Did you mean list-tables\?\)/ },
      { args: ['seed', '--dri', 'x'], code: 2, says: /unknown option '--dri' \(Did you mean --dir\?\)/ },
    );
    return list;
  };

  it('answers each with one line, the right exit code, no stack trace, and writes nothing', async () => {
    const list = cases();
    expect(list.length).toBeGreaterThanOrEqual(150);
    const commandsSeen = new Set(list.map((c) => (c.args[0] === 'cognito' ? `cognito ${c.args[1]}` : c.args[0])));
    for (const command of [
      'env',
      'local',
      'schema-load',
      'drop',
      'list-tables',
      'scan',
      'seed',
      'get-conversation',
      'list-conversations',
      'stream',
      'send',
      'cognito list-users',
      'update-cognito-user-ids',
      'export',
      'import',
      'copy',
      'reset',
      'repair',
    ])
      expect(commandsSeen, command).toContain(command);
    const failures: string[] = [];
    // Bounded parallelism: four binaries at a time (two cores; DynamoDB Local needs one).
    let next = 0;
    const results: RunResult[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < list.length) {
          const index = next++;
          results[index] = await spawnCli(list[index]!.args, { env: list[index]!.env, timeoutMs: 30_000 });
        }
      }),
    );
    list.forEach((c, i) => {
      const result = results[i]!;
      const lines = result.stderr.trimEnd().split('\n');
      const label = `${JSON.stringify(c.args)} ${JSON.stringify(c.env ?? {})}`;
      if (result.code !== c.code) failures.push(`${label}: exit ${result.code}, expected ${c.code}: ${result.stderr}`);
      else if (lines.length !== 1 || !/^error\[[a-z_.]+\]: /.test(lines[0]!)) failures.push(`${label}: not one error line: ${result.stderr}`);
      else if (/\n\s+at |Error: .*\n|node:internal/.test(result.stderr)) failures.push(`${label}: stack trace: ${result.stderr}`);
      else if (c.says && !c.says.test(lines[0]!)) failures.push(`${label}: says "${lines[0]}", expected ${c.says}`);
      else if (/hunter2/.test(result.stderr + result.stdout)) failures.push(`${label}: printed a password`);
      else if (result.stdout !== '' && !(c.args[0] === 'schema-load' && c.code === 1)) failures.push(`${label}: wrote to stdout: ${result.stdout}`);
    });
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
    console.log(`bad-input cases: ${list.length}`);
  }, 300_000);
});
