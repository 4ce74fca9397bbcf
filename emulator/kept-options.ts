/**
 * The option keys Auth0 keeps when a PATCH replaces `options` without them. Auth0 replaces
 * `options` whole, yet its recorded answers (test/fixtures/auth0-recorded-patches.json) show a few
 * keys it manages itself surviving a body that leaves them out, with their stored values.
 * Everything else the body omits is gone.
 */

/** Per strategy, the omitted option keys whose stored value survives, as recorded. */
const KEPT_WHEN_OMITTED: Readonly<Record<string, readonly string[]>> = {
    auth0: ["authentication_methods", "passkey_options", "brute_force_protection"],
    oidc: ["attribute_map", "schema_version"],
    line: ["profile"],
};

/**
 * Copies into `replacement` (the options a PATCH sent, already cloned) the keys Auth0 would keep
 * from `stored` (the options before the PATCH).
 */
export function keepManagedOptions(
    strategy: string,
    stored: Readonly<Record<string, unknown>> | undefined,
    replacement: Record<string, unknown>,
): void {
    if (stored === undefined) return;
    for (const key of keptKeys(strategy, stored, replacement)) {
        if (Object.hasOwn(stored, key) && !Object.hasOwn(replacement, key)) {
            replacement[key] = structuredClone(stored[key]);
        }
    }
}

function keptKeys(
    strategy: string,
    stored: Readonly<Record<string, unknown>>,
    replacement: Readonly<Record<string, unknown>>,
): readonly string[] {
    const kept = KEPT_WHEN_OMITTED[strategy] ?? [];
    // Auth0 fetches oidc_metadata from the discovery document: same document, same metadata. A new
    // discovery_url makes Auth0 fetch again, which the emulator cannot, so the key is dropped then.
    const sameDiscovery = strategy === "oidc" && stored.discovery_url === replacement.discovery_url;
    return sameDiscovery ? [...kept, "oidc_metadata"] : kept;
}
