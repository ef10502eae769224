/**
 * `copy --from X --to Y`: each side is `local`, `prod` or an endpoint URL. A side becomes a full
 * resolved environment (README.md, "The environment resolver"), so it gets the same credentials,
 * region and prod rules as any other command:
 *   - `local`: the endpoint the run would use locally (--endpoint-url / AWS_ENDPOINT_URL_DYNAMODB, else
 *     http://localhost:8000);
 *   - `prod`: AWS's own endpoint and the standard credential chain;
 *   - a URL: that endpoint; it counts as prod (for the guard and for credentials) when it is AWS's.
 */
import { LOCAL_ENDPOINT, type ResolvedEnv } from '../core/environment.js';
import { UsageError } from '../core/errors.js';

export function isAwsEndpoint(url: string): boolean {
  return /(^|\.)amazonaws\.com(\.cn)?$/i.test(new URL(url).hostname);
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
