import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { translateAwsError } from '../aws/clients.js';
import type { Context } from '../kit/context.js';
import { redactUrl, type Sourced } from '../core/environment.js';
import { formatError } from '../core/errors.js';
import { record as recordOutput, type Output } from '../kit/output.js';

type Setting = Sourced<string | undefined>;

/**
 * The resolved environment, where each value came from, and whether DynamoDB answers there.
 * Never fails because DynamoDB is down: saying so is its job.
 */
export async function showEnv(_options: object, context: Context): Promise<Output> {
  const { env } = context;
  const aws = await context.aws();
  let dynamodb: Setting;
  try {
    const client = await context.dynamo();
    const answer = await client.send(new ListTablesCommand({ Limit: 100 }), { abortSignal: AbortSignal.timeout(5000) });
    const count = answer.TableNames?.length ?? 0;
    dynamodb = { value: `answers, ${count}${answer.LastEvaluatedTableName ? '+' : ''} table${count === 1 ? '' : 's'}`, source: 'ListTables' };
  } catch (error) {
    dynamodb = { value: `not answering: ${formatError(translateAwsError(error, env))}`, source: 'ListTables' };
  }
  // Keys a script can use as they are (`jq .dynamodbEndpoint.value`); people read the same in words.
  const record: Record<string, Setting> = {
    environment: { value: env.name, source: env.nameSource },
    dynamodbEndpoint: { value: env.endpoint.value ?? "AWS's own", source: env.endpoint.source },
    region: { value: aws.region, source: aws.regionSource },
    profile: env.profile,
    credentials: { value: aws.credentials?.accessKeyId ?? '(AWS chain)', source: aws.credentialSource },
    messagesTable: env.table,
    timeZone: env.timeZone,
    timeForm: env.timeForm,
    dynamodb,
  };
  if (env.name === 'local') {
    // DynamoDB Local keeps one database file per access key id and region unless started with
    // -sharedDb, which `cruddur-ddb local` always does.
    record.localDatabase = {
      value: `shared-local-instance.db if started with -sharedDb (as \`cruddur-ddb local\` does), else ${aws.credentials?.accessKeyId}_${aws.region}.db`,
      source: 'DynamoDB Local',
    };
  }
  record.postgresql = { ...env.postgresUrl, value: env.postgresUrl.value && redactUrl(env.postgresUrl.value) };
  record.cognitoUserPool = env.cognitoUserPoolId;
  record.cognitoEndpoint = { value: env.cognitoEndpoint.value ?? "AWS's own", source: env.cognitoEndpoint.source };

  // People read each value with its source on one line, under its name in words; scripts get both fields.
  const words = (key: string) => key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
  const flat = Object.fromEntries(Object.entries(record).map(([key, s]) => [words(key), `${s.value ?? '-'}  [${s.source}]`]));
  return recordOutput(record, flat);
}
