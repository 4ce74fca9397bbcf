/**
 * pulumi-auth0-deny-list: declare an Auth0 connection's deny list (`options.non_persistent_attrs`)
 * in a Pulumi program, without touching any other connection setting.
 */

export type { ProviderOptions } from "./host/options";
export { ConnectionDenyListProvider } from "./host/provider";
export { TenantDenyListProvider } from "./host/tenant-provider";
export { ConnectionDenyList, type ConnectionDenyListArgs, type DenyListDeclaration } from "./program/resource";
export { type CoveredConnectionOutput, TenantDenyList, type TenantDenyListArgs } from "./program/tenant-resource";
