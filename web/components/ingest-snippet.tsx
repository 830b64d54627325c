// Ready-to-paste ways to send a first event: the Python SDK's environment variables and a curl call.

/** The snippet for one ingest URL and key (a placeholder when the key is not at hand). */
export function IngestSnippet({ ingestUrl, apiKey }: { ingestUrl: string; apiKey?: string }) {
  const key = apiKey ?? 'lok_…';
  const env = `export LLM_OBSERVER_API_KEY='${key}'\nexport LLM_OBSERVER_ENDPOINT='${ingestUrl}'`;
  const curl = [
    `curl -sS '${ingestUrl}/v1/events' \\`,
    `  -H 'Authorization: Bearer ${key}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '{"events":[{"schema_version":"1.0","event_id":"first-event-1","timestamp":"'"$(date -u +%Y-%m-%dT%H:%M:%SZ)"'","operation":"chat","provider":"openai","model":"gpt-4o-mini","status":"ok","duration_ms":812,"usage":{"input_tokens":1200,"output_tokens":350},"cost_usd":0.00039}]}'`,
  ].join('\n');
  return (
    <div className="mt-3 space-y-3 text-sm" data-testid="ingest-snippet">
      <div>
        <p className="font-medium">Python SDK (llm_observer): set these, then use the SDK as usual</p>
        <pre className="mt-1 overflow-x-auto rounded bg-gray-900 p-3 font-mono text-xs text-gray-100">
          {env}
        </pre>
      </div>
      <div>
        <p className="font-medium">Or send one event with curl</p>
        <pre className="mt-1 overflow-x-auto rounded bg-gray-900 p-3 font-mono text-xs text-gray-100">
          {curl}
        </pre>
      </div>
    </div>
  );
}
