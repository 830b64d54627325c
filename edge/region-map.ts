// Build-time only: which key-table replica each Lambda@Edge region should read (nearest first).

/**
 * For each region Lambda@Edge runs in (the regional edge cache regions), AWS regions ordered by rough
 * network distance. The build keeps, per edge region, the first one that holds a replica.
 */
const PREFERENCES: Record<string, string[]> = {
  'us-east-1': ['us-east-1', 'us-east-2', 'ca-central-1', 'us-west-2', 'us-west-1', 'eu-west-1'],
  'us-east-2': ['us-east-2', 'us-east-1', 'ca-central-1', 'us-west-2', 'us-west-1', 'eu-west-1'],
  'us-west-1': ['us-west-1', 'us-west-2', 'us-east-2', 'us-east-1', 'ap-northeast-1'],
  'us-west-2': ['us-west-2', 'us-west-1', 'us-east-2', 'us-east-1', 'ap-northeast-1'],
  'sa-east-1': ['sa-east-1', 'us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'],
  'eu-west-1': ['eu-west-1', 'eu-west-2', 'eu-central-1', 'eu-west-3', 'us-east-1'],
  'eu-west-2': ['eu-west-2', 'eu-west-1', 'eu-west-3', 'eu-central-1', 'us-east-1'],
  'eu-west-3': ['eu-west-3', 'eu-west-2', 'eu-central-1', 'eu-west-1', 'us-east-1'],
  'eu-central-1': ['eu-central-1', 'eu-west-3', 'eu-west-2', 'eu-west-1', 'eu-north-1', 'us-east-1'],
  'ap-south-1': ['ap-south-1', 'ap-southeast-1', 'me-south-1', 'eu-central-1', 'ap-northeast-1'],
  'ap-southeast-1': ['ap-southeast-1', 'ap-south-1', 'ap-southeast-2', 'ap-northeast-1', 'us-west-2'],
  'ap-southeast-2': ['ap-southeast-2', 'ap-southeast-1', 'ap-northeast-1', 'us-west-2', 'us-west-1'],
  'ap-northeast-1': ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'us-west-2'],
  'ap-northeast-2': ['ap-northeast-2', 'ap-northeast-1', 'ap-northeast-3', 'ap-southeast-1', 'us-west-2'],
};

/** Regions Lambda@Edge runs (and logs) in: the regional edge cache regions. */
export const EDGE_REGIONS: readonly string[] = Object.keys(PREFERENCES);

/** Edge region → nearest region among `core` and `replicas` (edge regions with no listed match read the core). */
export function nearestReplicaMap(core: string, replicas: readonly string[]): Record<string, string> {
  const holding = new Set([core, ...replicas]);
  const map: Record<string, string> = {};
  for (const [edgeRegion, preferences] of Object.entries(PREFERENCES)) {
    const nearest = preferences.find((r) => holding.has(r));
    if (nearest && nearest !== core) map[edgeRegion] = nearest;
  }
  return map;
}
