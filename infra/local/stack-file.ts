// `.data/stack.json`: what the running local stack wrote about itself, read back by the operator CLIs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { StackInfo } from './context.ts';

/** The stack file of a data folder. */
export const stackFilePath = (dataDir: string): string => path.join(dataDir, 'stack.json');

/**
 * The running (or last) stack's URLs and ports as it wrote them, so CLIs find the issuer and database
 * on whatever ports the stack was started with; undefined when no stack has run in this data folder.
 */
export async function readStackFile(dataDir: string): Promise<StackInfo | undefined> {
  try {
    return JSON.parse(await readFile(stackFilePath(dataDir), 'utf8')) as StackInfo;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
