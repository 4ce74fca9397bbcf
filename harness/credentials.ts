/**
 * The credentials that point a provider, a stack or the command line at a tenant (the emulator
 * in tests, the demo and the bench), in the two spellings the package reads: `AUTH0_*`
 * environment variables and `auth0:*` stack config.
 */

/** What a tenant needs to be reached with client credentials (an emulator has all three). */
export interface TenantAccess {
    url: string;
    clientId: string;
    clientSecret: string;
}

// One table, so the environment and the stack config can never name different things.
const KEYS = [
    ["url", "AUTH0_DOMAIN", "auth0:domain"],
    ["clientId", "AUTH0_CLIENT_ID", "auth0:clientId"],
    ["clientSecret", "AUTH0_CLIENT_SECRET", "auth0:clientSecret"],
] as const;

/** The `AUTH0_*` environment reaching `tenant`; `overrides` replace or (when `undefined`) unset keys. */
export function envFor(tenant: TenantAccess, overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    return { ...Object.fromEntries(KEYS.map(([field, env]) => [env, tenant[field]])), ...overrides };
}

/** The `auth0:*` stack config reaching `tenant`, as Configure receives it. */
export function stackConfigFor(tenant: TenantAccess): Record<string, string> {
    return Object.fromEntries(KEYS.map(([field, , config]) => [config, tenant[field]]));
}
