/**
 * The provider instances every deserialized `__provider` facade uses, one per resource type,
 * sharing one host context: token cache, rate limit, per-connection write queues and the
 * ownership ledger serve all resources of the process. Internal, but loaded by path from every
 * stack's stored facade (program/facade.ts): keep this file's name and exports stable forever.
 */
import { HostContext } from "./host/context";
import { ConnectionDenyListProvider } from "./host/provider";
import { TenantDenyListProvider } from "./host/tenant-provider";

const host = new HostContext();

/** The process-wide ConnectionDenyList provider behind every facade. */
export const sharedProvider = new ConnectionDenyListProvider({}, host);

/** The process-wide TenantDenyList provider, sharing the ConnectionDenyList provider's host context. */
export const sharedTenantProvider = new TenantDenyListProvider({}, host);
