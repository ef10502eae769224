import { describe, expect, it } from 'vitest';
import { checkTableName, redactUrl, resolveEnv } from '../src/core/environment.js';
import { CliError } from '../src/core/errors.js';

describe('resolveEnv', () => {
  it('defaults to local DynamoDB on localhost:8000 and the cruddur-messages table', () => {
    const env = resolveEnv({}, {});
    expect(env.name).toBe('local');
    expect(env.endpoint).toEqual({ value: 'http://localhost:8000', source: 'default (local)' });
    expect(env.table).toEqual({ value: 'cruddur-messages', source: 'default' });
    expect(env.region.value).toBeUndefined();
  });

  it('lets a flag beat the environment variable, which beats the default', () => {
    const vars = {
      CRUDDUR_ENV: 'prod',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://ddb:1',
      AWS_ENDPOINT_URL: 'http://all:2',
      DDB_MESSAGE_TABLE: 'from-env',
      AWS_REGION: 'eu-west-1',
    };
    expect(resolveEnv({}, vars).name).toBe('prod');
    expect(resolveEnv({ env: 'local' }, vars).name).toBe('local');
    expect(resolveEnv({}, vars).endpoint).toEqual({ value: 'http://ddb:1', source: 'AWS_ENDPOINT_URL_DYNAMODB' });
    expect(resolveEnv({}, { AWS_ENDPOINT_URL: 'http://all:2' }).endpoint.value).toBe('http://all:2');
    expect(resolveEnv({ endpointUrl: 'http://flag:3' }, vars).endpoint).toEqual({ value: 'http://flag:3', source: '--endpoint-url' });
    expect(resolveEnv({}, vars).table.value).toBe('from-env');
    expect(resolveEnv({ table: 'from-flag' }, vars).table.value).toBe('from-flag');
    expect(resolveEnv({}, vars).region).toEqual({ value: 'eu-west-1', source: 'AWS_REGION' });
    expect(resolveEnv({ region: 'ap-south-1' }, vars).region.value).toBe('ap-south-1');
    expect(resolveEnv({}, { AWS_DEFAULT_REGION: 'us-west-2' }).region.value).toBe('us-west-2');
    expect(resolveEnv({ profile: 'flag' }, { AWS_PROFILE: 'env' }).profile.value).toBe('flag');
    expect(resolveEnv({}, { AWS_PROFILE: 'env' }).profile.value).toBe('env');
  });

  it("uses AWS's own endpoint in prod unless one is named", () => {
    expect(resolveEnv({ env: 'prod' }, {}).endpoint.value).toBeUndefined();
    expect(resolveEnv({ env: 'prod' }, { AWS_ENDPOINT_URL_DYNAMODB: 'http://x:1' }).endpoint.value).toBe('http://x:1');
  });

  it('reads the PostgreSQL URL of the chosen environment, and the Cognito pool', () => {
    const vars = { CONNECTION_URL: 'postgresql://local', PROD_CONNECTION_URL: 'postgresql://prod', AWS_COGNITO_USER_POOL_ID: 'us-east-1_env' };
    expect(resolveEnv({}, vars).postgresUrl).toEqual({ value: 'postgresql://local', source: 'CONNECTION_URL' });
    expect(resolveEnv({ env: 'prod' }, vars).postgresUrl).toEqual({ value: 'postgresql://prod', source: 'PROD_CONNECTION_URL' });
    expect(resolveEnv({ env: 'prod' }, { CONNECTION_URL: 'postgresql://local' }).postgresUrl.value).toBeUndefined();
    expect(resolveEnv({}, vars).cognitoUserPoolId.value).toBe('us-east-1_env');
    expect(resolveEnv({ userPoolId: 'us-east-1_flag' }, vars).cognitoUserPoolId.value).toBe('us-east-1_flag');
    expect(resolveEnv({}, { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://localhost:9229' }).cognitoEndpoint.value).toBe('http://localhost:9229');
  });

  it('rejects an unknown environment and a bad endpoint with usage errors', () => {
    expect(() => resolveEnv({ env: 'staging' }, {})).toThrow(/Unknown environment "staging"/);
    expect(() => resolveEnv({}, { CRUDDUR_ENV: 'qa' })).toThrow(/from CRUDDUR_ENV/);
    try {
      resolveEnv({ endpointUrl: 'localhost 8000' }, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
    }
  });
});

describe('checkTableName', () => {
  it("follows DynamoDB's rule: 3-255 of a-z A-Z 0-9 _ . -", () => {
    expect(checkTableName('cruddur-messages')).toBe('cruddur-messages');
    expect(checkTableName('a.b_c-1')).toBe('a.b_c-1');
    expect(checkTableName('x'.repeat(255))).toHaveLength(255);
    for (const bad of ['ab', 'x'.repeat(256), 'has space', 'émoji', 'semi;colon']) expect(() => checkTableName(bad)).toThrow(/not a valid DynamoDB table name/);
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('postgresql://postgres:s3cret@db:5432/cruddur')).toBe('postgresql://postgres:***@db:5432/cruddur');
    expect(redactUrl('postgresql://db/cruddur')).toBe('postgresql://db/cruddur');
  });
});
