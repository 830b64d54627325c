// Append-only record journal of one delivery stream: what the stand-in acknowledged survives a crash until it has landed.
import { type FileHandle, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE, privateDir, type SyncDir, syncDir } from '../private-fs.ts';

/** The records of one closed segment, ready to land as one object. */
export interface SealedSegment {
  chunks: Buffer[];
  bytes: number;
  /** Forgets the segment once its object (and the object's notification) is durable elsewhere. */
  release(): Promise<void>;
}

/** A segment a previous run left on disk: read only when `load` is called, so recovery holds one at a time. */
export interface LeftoverSegment {
  /** Its size on disk (records and their frame headers). */
  fileBytes: number;
  /** Reads its records; undefined (and the file removed) when it holds none. */
  load(): Promise<SealedSegment | undefined>;
}

/** Where accepted records wait until their object has landed. */
export interface RecordJournal {
  /** Resolves once `records` are durable (in the current segment); rejects if they could not be written. */
  append(records: Buffer[]): Promise<void>;
  /** Bytes in the current (unsealed) segment. */
  readonly bytes: number;
  /** Closes the current segment after the appends queued before it; undefined when it holds nothing. */
  seal(): Promise<SealedSegment | undefined>;
  /** Segments a previous run left behind (acknowledged, never landed), oldest first, not yet read. */
  recover(): Promise<LeftoverSegment[]>;
  /** Closes the open file after the queued appends (the current segment stays for the next start). */
  close(): Promise<void>;
}

/** The journal of a stand-in without a data folder (tests, benchmarks): memory only, lost with the process. */
export function memoryJournal(): RecordJournal {
  let chunks: Buffer[] = [];
  let bytes = 0;
  return {
    async append(records) {
      for (const record of records) {
        chunks.push(record);
        bytes += record.byteLength;
      }
    },
    get bytes() {
      return bytes;
    },
    async seal() {
      if (bytes === 0) return undefined;
      const sealed = { chunks, bytes, release: async () => undefined };
      chunks = [];
      bytes = 0;
      return sealed;
    },
    recover: async () => [],
    close: async () => undefined,
  };
}

const SEGMENT = /^(\d{12})\.log$/;
const HEADER_BYTES = 4;

/** Frames each record as a 4-byte big-endian length followed by its bytes. */
function frames(records: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  for (const record of records) {
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header.writeUInt32BE(record.byteLength);
    out.push(header, record);
  }
  return out;
}

/**
 * Reads the records of a segment file. A torn last frame (the process died inside a write) is dropped:
 * its append never resolved, so it was never acknowledged.
 */
export function parseSegment(data: Buffer): Buffer[] {
  const records: Buffer[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= data.byteLength) {
    const length = data.readUInt32BE(at);
    if (at + HEADER_BYTES + length > data.byteLength) break;
    records.push(data.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length));
    at += HEADER_BYTES + length;
  }
  return records;
}

type Entry =
  | { kind: 'data'; records: Buffer[]; resolve: () => void; reject: (error: unknown) => void }
  | { kind: 'close'; resolve: () => void; reject: (error: unknown) => void }
  | {
      kind: 'seal';
      resolve: (segment: SealedSegment | undefined) => void;
      reject: (error: unknown) => void;
    };

/** Options of a file journal. */
export interface FileJournalOptions {
  /** Folder of this stream's segments (created 0700). */
  dir: string;
  /**
   * fdatasync after every write, before an append resolves (default). Off only for the benchmark's
   * side-by-side baseline: without it a power loss could take acknowledged records.
   */
  sync?: boolean;
  /** How the folder is synced after a segment file is created (default fsync; tests observe it). */
  syncDir?: SyncDir;
  /** Opens a segment file (default fs.promises.open; tests inject a failing disk). */
  openFile?: (file: string, flags: string, mode: number) => Promise<FileHandle>;
}

/**
 * A folder of numbered segment files (`000000000001.log`, …), each 0600. Appends go to the current
 * segment; appends that arrive while a write is in flight are written and synced together (group
 * commit), so under load one fdatasync covers many calls. Sealing closes the segment; releasing it
 * deletes its file (or files: a write that failed and could not be cut off ends its file, see write()).
 */
export async function openFileJournal(options: FileJournalOptions): Promise<RecordJournal> {
  const { dir } = options;
  const sync = options.sync ?? true;
  const syncFolder = options.syncDir ?? syncDir;
  const openFile = options.openFile ?? open;
  await privateDir(dir);
  // The folder itself may be new: its name in the parent must survive too.
  if (sync) await syncFolder(path.dirname(dir));
  const existing = (await readdir(dir))
    .map((name) => SEGMENT.exec(name)?.[1])
    .filter((seq): seq is string => seq !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const fileOf = (seq: number) => path.join(dir, `${String(seq).padStart(12, '0')}.log`);
  const segmentOf = (files: string[], chunks: Buffer[], bytes: number): SealedSegment => ({
    chunks,
    bytes,
    release: async () => {
      for (const file of files) await unlink(file).catch(() => undefined);
    },
  });

  let seq = (existing.at(-1) ?? 0) + 1;
  let handle: FileHandle | undefined;
  /**
   * The files holding the current segment's records: one, unless a failed write could not be cut off
   * (its file then ends in a torn frame, so later appends go to the next file).
   */
  let files: string[] = [];
  /** Whether the folder was synced since the open segment file was created. */
  let named = false;
  let size = 0;
  let chunks: Buffer[] = [];
  let bytes = 0;
  const queue: Entry[] = [];
  let running = false;

  async function write(group: Array<Extract<Entry, { kind: 'data' }>>): Promise<void> {
    if (handle === undefined) {
      const file = fileOf(seq);
      handle = await openFile(file, 'a', PRIVATE_FILE_MODE);
      if (!files.includes(file)) files.push(file);
      named = false;
    }
    const buffers = frames(group.flatMap((entry) => entry.records));
    const length = buffers.reduce((n, b) => n + b.byteLength, 0);
    try {
      await handle.writev(buffers);
      if (sync) await handle.datasync();
      // A new segment's name is durable only once the folder is synced (fdatasync covers the data).
      if (sync && !named) {
        await syncFolder(dir);
        named = true;
      }
    } catch (error) {
      // Leave no half-written frame for the next append to follow: cut it off, or when even that fails,
      // leave the file (a torn last frame is dropped at recovery) and go on in the next one.
      const cut = await handle.truncate(size).then(
        () => true,
        () => false,
      );
      if (!cut) {
        await handle.close().catch(() => undefined);
        handle = undefined;
        seq++;
        size = 0;
      }
      throw error;
    }
    size += length;
    for (const entry of group) {
      for (const record of entry.records) {
        chunks.push(record);
        bytes += record.byteLength;
      }
    }
  }

  async function seal(): Promise<SealedSegment | undefined> {
    const open = handle;
    handle = undefined;
    if (open) await open.close();
    const segmentFiles = files;
    files = [];
    if (bytes === 0) {
      for (const file of segmentFiles) await unlink(file).catch(() => undefined);
      return undefined;
    }
    const sealed = segmentOf(segmentFiles, chunks, bytes);
    seq++;
    size = 0;
    chunks = [];
    bytes = 0;
    return sealed;
  }

  async function run(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const head = queue[0] as Entry;
      if (head.kind === 'seal') {
        queue.shift();
        await seal().then(head.resolve, head.reject);
        continue;
      }
      if (head.kind === 'close') {
        queue.shift();
        const open = handle;
        handle = undefined;
        await (open ? open.close() : Promise.resolve()).then(head.resolve, head.reject);
        continue;
      }
      const group: Array<Extract<Entry, { kind: 'data' }>> = [];
      while (queue[0]?.kind === 'data') group.push(queue.shift() as Extract<Entry, { kind: 'data' }>);
      try {
        await write(group);
        for (const entry of group) entry.resolve();
      } catch (error) {
        for (const entry of group) entry.reject(error);
      }
    }
    running = false;
  }

  const enqueue = (entry: Entry) => {
    queue.push(entry);
    if (!running) void run();
  };

  return {
    append: (records) =>
      records.length === 0
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => enqueue({ kind: 'data', records, resolve, reject })),
    get bytes() {
      return bytes;
    },
    seal: () =>
      new Promise<SealedSegment | undefined>((resolve, reject) => enqueue({ kind: 'seal', resolve, reject })),
    close: () => new Promise<void>((resolve, reject) => enqueue({ kind: 'close', resolve, reject })),
    async recover() {
      const out: LeftoverSegment[] = [];
      for (const n of existing) {
        const file = fileOf(n);
        out.push({
          fileBytes: (await stat(file)).size,
          async load() {
            const records = parseSegment(await readFile(file));
            if (records.length === 0) {
              await unlink(file).catch(() => undefined);
              return undefined;
            }
            return segmentOf(
              [file],
              records,
              records.reduce((total, r) => total + r.byteLength, 0),
            );
          },
        });
      }
      existing.length = 0;
      return out;
    },
  };
}
