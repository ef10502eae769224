/**
 * Where the local stream runner is in each shard, kept in one JSON file per stream, so a restart goes
 * on after the last batch it applied instead of replaying the stream. (Lambda keeps this place itself,
 * per event source mapping; locally it is ours to keep.)
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../core/errors.js';
import { makeStateDirFor } from '../core/state-dir.js';

export interface ShardPlace {
  /** The last sequence number whose batch was applied. */
  sequenceNumber?: string;
  /** The shard is closed and every record in it was applied. */
  done?: boolean;
}

export interface CheckpointFile {
  streamArn: string;
  updatedAt?: string;
  shards: Record<string, ShardPlace>;
}

/** One file name per stream ARN (the ARN ends in the stream's creation time, so a re-created table starts afresh). */
export function checkpointPath(dir: string, streamArn: string): string {
  return join(dir, `${streamArn.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
}

export class Checkpoint {
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly data: CheckpointFile,
  ) {}

  /** The checkpoint of a stream, or an empty one when there is no file yet. */
  static async load(dir: string, streamArn: string): Promise<Checkpoint> {
    const path = checkpointPath(dir, streamArn);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Checkpoint(path, { streamArn, shards: {} });
      throw new CliError('stream.checkpoint_unreadable', `Cannot read the checkpoint ${path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      const data = JSON.parse(text) as CheckpointFile;
      if (data.streamArn !== streamArn || typeof data.shards !== 'object' || data.shards === null) throw new Error('not a checkpoint of this stream');
      return new Checkpoint(path, data);
    } catch (error) {
      throw new CliError('stream.checkpoint_invalid', `The checkpoint ${path} is not valid (${(error as Error).message})`, {
        hint: 'Delete it to start again from --from',
        cause: error,
      });
    }
  }

  get empty(): boolean {
    return Object.keys(this.data.shards).length === 0;
  }

  place(shardId: string): ShardPlace | undefined {
    return this.data.shards[shardId];
  }

  /** Records a shard's new place and writes the file (one write at a time; a new file then a rename, so a crash never leaves half a file). */
  save(shardId: string, place: ShardPlace): Promise<void> {
    this.data.shards[shardId] = { ...this.data.shards[shardId], ...place };
    this.writes = this.writes.then(async () => {
      this.data.updatedAt = new Date().toISOString();
      makeStateDirFor(this.path);
      const temporary = `${this.path}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(this.data, null, 2) + '\n');
      await rename(temporary, this.path);
    });
    return this.writes;
  }
}
