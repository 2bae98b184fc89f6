import crypto from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { env } from "~/utils/env.server";

// Where uploaded bytes live. A small interface so an S3-compatible store can replace the
// local directory without touching the upload route: keys are always generated here
// (never derived from a user's file name), and a failed or aborted `put` leaves nothing.

export interface Storage {
  /** Stores the stream's bytes under a new key (below `prefix`); rejects, storing nothing, if the stream errors. */
  put(source: Readable, options: { prefix: string }): Promise<string>;
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
}

const KEY = /^[a-z0-9-]{1,64}\/[a-z0-9-]{36}$/;
const PREFIX = /^[a-z0-9-]{1,64}$/;

/** Files under DATA_DIR/files/<prefix>/<uuid>; written to a ".partial" name, renamed when complete. */
export class LocalDirectoryStorage implements Storage {
  constructor(readonly root: string) {}

  private file(key: string): string {
    if (!KEY.test(key)) throw new Error(`invalid storage key ${JSON.stringify(key)}`);
    return path.join(this.root, ...key.split("/"));
  }

  async put(source: Readable, options: { prefix: string }): Promise<string> {
    if (!PREFIX.test(options.prefix)) throw new Error(`invalid storage prefix ${JSON.stringify(options.prefix)}`);
    const key = `${options.prefix}/${crypto.randomUUID()}`;
    const target = this.file(key);
    const partial = `${target}.partial`;
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      await pipeline(source, createWriteStream(partial, { flags: "wx", mode: 0o600 }));
      await fs.rename(partial, target);
    } catch (error) {
      await fs.rm(partial, { force: true });
      throw error;
    }
    return key;
  }

  async get(key: string): Promise<Readable> {
    const file = this.file(key);
    await fs.access(file);
    return createReadStream(file);
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }
}

let current: Storage | undefined;

export function fileStorage(): Storage {
  current ??= new LocalDirectoryStorage(path.join(env().dataDir, "files"));
  return current;
}

/** Tests (and a future S3 adapter at boot) install another implementation. */
export function setFileStorage(storage: Storage | undefined): void {
  current = storage;
}
