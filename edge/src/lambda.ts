// Lambda@Edge entry (origin-request): configuration baked in by esbuild `define`, deps built once per instance.
import type { CloudFrontRequestEvent, CloudFrontResultResponse } from 'aws-lambda';
import * as v from 'valibot';
import { parseEnv } from '../../runtime/env.ts';
import { handleCloudFront } from './adapters/cloudfront.ts';
import { parseEdgeConfig } from './config.ts';
import { wireEdge } from './wire.ts';

/** Replaced at bundle time by edge/build.ts (Lambda@Edge has no environment variables). */
declare const __LLMO_EDGE_CONFIG__: unknown;

// Module scope: runs once per instance, so sockets and the key cache survive across invocations.
const config = parseEdgeConfig(__LLMO_EDGE_CONFIG__, 'the bundle (edge/build.ts)');
// The one variable Lambda@Edge has: the region this copy runs in (it picks the nearest key-table replica).
const { AWS_REGION } = parseEnv(v.object({ AWS_REGION: v.optional(v.pipe(v.string(), v.minLength(1))) }));
const { deps } = wireEdge(config, { runningRegion: AWS_REGION });

/** The origin-request handler. */
export async function handler(event: CloudFrontRequestEvent): Promise<CloudFrontResultResponse> {
  return handleCloudFront(event, deps);
}
