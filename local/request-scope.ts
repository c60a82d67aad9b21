import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The HTTP request a handler is serving in the twin, carried through its async calls. The twin
 * runs every function in one process: this tells a request's own work (its DynamoDB calls, say)
 * apart from the stream consumers' running at the same time. AWS needs none: one request per sandbox.
 */
export const requestScope = new AsyncLocalStorage<{ requestId: string; routeKey: string }>();
