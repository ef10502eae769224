/**
 * s3rver in a process of its own (started by tests/helpers/s3rver.ts): tests that run the binary with
 * spawnSync block their own event loop, and an S3 served from that loop would never answer them.
 * argv: the folder, then the buckets. Prints the port once it listens; stops on SIGTERM.
 */
import S3rver from 's3rver';

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
const { port } = await server.run();
process.stdout.write(`${port}\n`);
process.once('SIGTERM', () => server.close().finally(() => process.exit(0)));
