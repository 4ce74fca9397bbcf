// A tenant-wide privacy rule: one deny list for every connection of the tenant (or of some
// strategies), including the ones customers or other tools create later. Each stack's config
// (Pulumi.<stack>.yaml) names the tenant, the attributes and, optionally, the strategies.
// Run `pulumi up --refresh` (or a scheduled `pulumi refresh`, then `pulumi up`) to cover
// connections created since the last update.
import * as pulumi from "@pulumi/pulumi";
import { TenantDenyList } from "pulumi-auth0-deny-list";

const config = new pulumi.Config();

const baseline = new TenantDenyList("privacy-baseline", {
    attributes: config.requireObject<string[]>("attributes"),
    // Unset: every strategy.
    strategies: config.getObject<string[]>("strategies"),
    excludeConnections: config.getObject<string[]>("excludeConnections") ?? [],
});

// Known once the resource exists (under test mocks, which echo the inputs, it stays unset).
const connections = baseline.connections.apply((list) => list ?? []);

/** How many connections the baseline covers. */
export const covered = connections.apply((list) => list.length);

/** Covered connections that lacked an entry at the last refresh: the next `pulumi up` writes them. */
export const lacking = connections.apply((list) => list.filter((c) => (c.lacking?.length ?? 0) > 0).map((c) => c.name));
