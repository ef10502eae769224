/**
 * A counting proxy in front of DynamoDB: passes every request on unchanged and counts, per operation
 * (the X-Amz-Target header), the calls made and the items Query and Scan calls read (their answers'
 * ScannedCount, what DynamoDB bills the read for). Scans are also kept with their table and index, so
 * a test or a benchmark can prove what was (not) scanned. Used by bench/slice.bench.mjs and
 * tests/copy-users.test.ts.
 */
import { Agent, createServer, request as httpRequest } from 'node:http';

export async function startCountingProxy(target) {
  const to = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const stats = { calls: {}, itemsRead: 0, scans: [] };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() || 'unknown';
      stats.calls[operation] = (stats.calls[operation] ?? 0) + 1;
      const reads = operation === 'Query' || operation === 'Scan';
      const upstream = httpRequest(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: { ...req.headers, host: to.host }, agent },
        (answer) => {
          const parts = [];
          answer.on('data', (chunk) => parts.push(chunk));
          answer.on('end', () => {
            const text = Buffer.concat(parts);
            if (reads && answer.statusCode === 200) {
              const input = JSON.parse(body.toString('utf8'));
              const output = JSON.parse(text.toString('utf8'));
              stats.itemsRead += output.ScannedCount ?? 0;
              if (operation === 'Scan')
                stats.scans.push({ table: input.TableName, index: input.IndexName, limit: input.Limit, scanned: output.ScannedCount ?? 0 });
            }
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(text);
          });
        },
      );
      upstream.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      upstream.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stats,
    reset() {
      stats.calls = {};
      stats.itemsRead = 0;
      stats.scans = [];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
        agent.destroy();
      }),
  };
}
