/**
 * The one provider instance per process that every deserialized `__provider` facade uses, so
 * token cache and per-connection write queues are shared by all resources. Loaded by path
 * from facade.ts: keep this file's name stable across versions.
 */
import { ConnectionDenyListProvider } from "./host/provider";

/** The process-wide provider behind every facade. */
export const sharedProvider = new ConnectionDenyListProvider();
