// Lambda@Edge entry (origin-request): configuration baked in by esbuild `define`, deps built once per instance.
import type { CloudFrontRequestEvent, CloudFrontResultResponse } from 'aws-lambda';
import { handleCloudFront } from './adapters/cloudfront.ts';
import { parseEdgeConfig } from './config.ts';
import { wireEdge } from './wire.ts';

/** Replaced at bundle time by edge/build.ts (Lambda@Edge has no environment variables). */
declare const __LLMO_EDGE_CONFIG__: unknown;

// Module scope: runs once per instance, so sockets and the key cache survive across invocations.
const config = parseEdgeConfig(__LLMO_EDGE_CONFIG__, 'the bundle (edge/build.ts)');
const { deps } = wireEdge(config, { runningRegion: process.env.AWS_REGION });

/** The origin-request handler. */
export async function handler(event: CloudFrontRequestEvent): Promise<CloudFrontResultResponse> {
  return handleCloudFront(event, deps);
}
