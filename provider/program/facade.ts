/**
 * The provider object Pulumi serializes into state (`__provider`). Pulumi runs the stored copy
 * for later refreshes and deletes, so it holds no logic and no data: each method `require`s the
 * installed package's implementation when it is called. Upgrading the package therefore fixes
 * every existing stack, and nothing here can capture a credential.
 */
import type * as pulumi from "@pulumi/pulumi";

/**
 * Builds the serializable facade. Keep the methods one line each and capture nothing but
 * `require`, which is resolved at call time from the Pulumi program's node_modules. Its text is
 * what every stack stores as `__provider`: keep it byte-stable, so resources declared by this
 * version and by earlier ones carry the same provider.
 */
function buildFacade(): pulumi.dynamic.ResourceProvider {
    const load = (): pulumi.dynamic.ResourceProvider =>
        require("pulumi-auth0-deny-list/dist/provider/shared.js").sharedProvider;
    return {
        configure: (req) => load().configure?.(req) ?? Promise.resolve(),
        check: (olds, news) => load().check?.(olds, news) ?? Promise.resolve({ inputs: news }),
        diff: (id, olds, news) => load().diff?.(id, olds, news) ?? Promise.resolve({}),
        create: (inputs) => load().create(inputs),
        read: (id, props) => load().read?.(id, props) ?? Promise.resolve({ id, props }),
        update: (id, olds, news) => load().update?.(id, olds, news) ?? Promise.resolve({}),
        delete: (id, props) => load().delete?.(id, props) ?? Promise.resolve(),
    };
}

/**
 * The one facade every `ConnectionDenyList` in a program passes to Pulumi. Pulumi caches a
 * dynamic provider's serialization per provider object, so sharing it serializes the facade
 * once per program instead of once per resource.
 */
export const providerFacade: pulumi.dynamic.ResourceProvider = buildFacade();

/**
 * The facade every `TenantDenyList` passes to Pulumi: the same thin shape, loading the process's
 * TenantDenyList provider. A function of its own, so the ConnectionDenyList facade's stored text
 * stays exactly as every stack already holds it.
 */
function buildTenantFacade(): pulumi.dynamic.ResourceProvider {
    const load = (): pulumi.dynamic.ResourceProvider =>
        require("pulumi-auth0-deny-list/dist/provider/shared.js").sharedTenantProvider;
    return {
        configure: (req) => load().configure?.(req) ?? Promise.resolve(),
        check: (olds, news) => load().check?.(olds, news) ?? Promise.resolve({ inputs: news }),
        diff: (id, olds, news) => load().diff?.(id, olds, news) ?? Promise.resolve({}),
        create: (inputs) => load().create(inputs),
        read: (id, props) => load().read?.(id, props) ?? Promise.resolve({ id, props }),
        update: (id, olds, news) => load().update?.(id, olds, news) ?? Promise.resolve({}),
        delete: (id, props) => load().delete?.(id, props) ?? Promise.resolve(),
    };
}

/** The one facade every `TenantDenyList` in a program passes to Pulumi. */
export const tenantProviderFacade: pulumi.dynamic.ResourceProvider = buildTenantFacade();
