/**
 * Node flags the API server is meant to run with. An 8 MB semi-space (the young
 * generation) kept one server under 256 MB RSS under sustained seckill load while holding
 * p99 near Node's default; docs/PERFORMANCE.md, "Memory", has the measurements. V8 reads
 * heap sizes at start, so they go in NODE_OPTIONS of the process that runs `serve`.
 */
export const SERVER_NODE_OPTIONS = '--max-semi-space-size=8';
