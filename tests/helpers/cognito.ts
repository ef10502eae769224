/** A pool of one's own on the test run's cognito-local, and users in it, made through the real SDK. */
import { randomBytes } from 'node:crypto';
import { AdminCreateUserCommand, CognitoIdentityProviderClient, CreateUserPoolCommand, type AttributeType } from '@aws-sdk/client-cognito-identity-provider';

export function cognitoUrl(): string {
  const url = process.env.COGNITO_TEST_URL;
  if (!url) throw new Error('COGNITO_TEST_URL is not set: run the tests through vitest (tests/setup/cognito.ts)');
  return url;
}

export function cognitoClient(): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: cognitoUrl(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'cruddurlocal', secretAccessKey: 'cruddurlocal' },
  });
}

export async function createPool(client = cognitoClient()): Promise<string> {
  const { UserPool } = await client.send(new CreateUserPoolCommand({ PoolName: `test-${randomBytes(4).toString('hex')}` }));
  return UserPool!.Id!;
}

export interface NewUser {
  email: string;
  /** preferred_username; none when absent. */
  handle?: string;
}

export interface CreatedUser extends NewUser {
  /** What Cognito calls the user: with email sign-in (Cruddur's pool, and cognito-local's default), the sub. */
  username: string;
  sub: string;
}

/** Creates the users as Cruddur's pool has them (email sign-in, preferred_username as the handle). */
export async function addUsers(poolId: string, users: NewUser[], client = cognitoClient()): Promise<CreatedUser[]> {
  const created: CreatedUser[] = [];
  for (const user of users) {
    const attributes: AttributeType[] = [{ Name: 'email', Value: user.email }];
    if (user.handle !== undefined) attributes.push({ Name: 'preferred_username', Value: user.handle });
    const { User } = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: user.email,
        UserAttributes: attributes,
        MessageAction: 'SUPPRESS',
        TemporaryPassword: 'Passw0rd!',
      }),
    );
    const sub = User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
    if (!sub || !User?.Username) throw new Error(`cognito-local gave ${user.email} no sub`);
    created.push({ ...user, username: User.Username, sub });
  }
  return created;
}
