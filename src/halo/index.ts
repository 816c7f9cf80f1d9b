export { HaloClient, unwrapList } from './client.js';
export type { CallOptions, HaloClientOptions, HaloClientStats, HaloRequest, ListOptions, ListResult, PageOptions, Query, QueryValue } from './client.js';
export { DEFAULT_RATE_LIMIT, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS } from './config.js';
export type { HaloClientConfig, HaloRateLimit, HaloRetryPolicy } from './config.js';
export * from './errors.js';
export { Redactor } from './redact.js';
