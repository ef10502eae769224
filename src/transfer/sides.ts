/**
 * `copy --from X --to Y`: each side is `local`, `prod` or an endpoint URL. A side becomes a full
 * resolved environment (README.md, "The environment resolver"), so it gets the same credentials,
 * region and prod rules as any other command:
 *   - `local`: the endpoint the run would use locally (--endpoint-url / AWS_ENDPOINT_URL_DYNAMODB, else
 *     http://localhost:8000);
 *   - `prod`: AWS's own endpoint and the standard credential chain;
 *   - a URL: that endpoint; it counts as prod (for the guard and for credentials) when it is AWS's.
 */
import { endpointKey, isAwsEndpoint, normalHost } from '../core/aws-host.js';
import { LOCAL_ENDPOINT, type ResolvedEnv } from '../core/environment.js';
import { UsageError } from '../core/errors.js';

/**
 * Where a side's DynamoDB is, as one comparable string: its normalised endpoint, or AWS in a region
 * (a prod side without an endpoint, or an AWS URL naming its region) so `--from prod` and
 * `--to https://dynamodb.us-east-1.amazonaws.com` are seen to be one place when the regions agree.
 */
export function placeOf(side: ResolvedEnv): string {
  const url = side.endpoint.value;
  if (url === undefined) return `aws:${side.region.value ?? '(region of the AWS config)'}`;
  const host = new URL(url).hostname;
  const region = /^dynamodb(?:-fips)?\.([a-z0-9-]+)\./.exec(normalHost(host))?.[1];
  return isAwsEndpoint(url) && region ? `aws:${region}` : endpointKey(url);
}

export function resolveSide(spec: string, base: ResolvedEnv, flag: '--from' | '--to'): ResolvedEnv {
  const source = `${flag} ${spec}`;
  if (spec === 'local') {
    const endpoint = base.name === 'local' && base.endpoint.value ? base.endpoint : { value: LOCAL_ENDPOINT, source: 'default (local)' };
    return { ...base, name: 'local', nameSource: source, endpoint };
  }
  if (spec === 'prod') return { ...base, name: 'prod', nameSource: source, endpoint: { value: undefined, source: "AWS's own" } };
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new UsageError(
      'copy.bad_side',
      `${flag} "${spec}" is neither local, prod nor a URL`,
      `Use ${flag} local, ${flag} prod or ${flag} http://localhost:8001`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError('copy.bad_side', `${flag} "${spec}" is not an http(s) URL`, `Use ${flag} local, ${flag} prod or ${flag} http://localhost:8001`);
  }
  return { ...base, name: isAwsEndpoint(spec) ? 'prod' : 'local', nameSource: source, endpoint: { value: spec, source } };
}
