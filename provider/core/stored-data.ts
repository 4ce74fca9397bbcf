/**
 * What a deny list does to values Auth0 already stored (docs/stored-data.md): a denied attribute
 * leaves a user's identity at that user's next login, and leaves the root profile only when the
 * connection syncs profile attributes at each login, `options.set_user_root_attributes`
 * `"on_each_login"` (Auth0's default: the key is absent until someone changes it). Any other
 * setting keeps root-profile copies of denied attributes. Pure.
 */

/** The connection option that decides whether a login rewrites the root profile. */
export const ROOT_SYNC_OPTION = "set_user_root_attributes";

/** The setting (and Auth0's default) under which a login also clears denied attributes from the root profile. */
export const SYNC_EACH_LOGIN = "on_each_login";

/** A connection as far as this rule reads it. */
export interface StoredDataConnection {
    name: string;
    options?: Readonly<Record<string, unknown>> | null;
}

/** A connection that keeps root-profile copies, with its setting as Auth0 holds it (e.g. `on_first_login`). */
export interface RootCopies {
    name: string;
    setting: string;
}

/**
 * The connection's root-sync setting when it keeps root-profile copies of denied attributes;
 * undefined when a login clears them (`on_each_login`, or the key absent). A value this rule
 * does not know counts as keeping them: a warning too many costs less than a privacy team's
 * false belief that the data is gone.
 */
export function rootCopiesKept(connection: StoredDataConnection): RootCopies | undefined {
    const value = connection.options?.[ROOT_SYNC_OPTION];
    if (value === undefined || value === null || value === SYNC_EACH_LOGIN) return undefined;
    return { name: connection.name, setting: typeof value === "string" ? value : JSON.stringify(value) };
}

// What such a setting does to a stored value, and the fix (`on`: which connections, when several).
const EFFECT =
    "a denied attribute Auth0 already stored for a user leaves that user's identity at the next login but stays on " +
    "the root profile";
const fix = (on = "") =>
    `Set ${ROOT_SYNC_OPTION} to "${SYNC_EACH_LOGIN}"${on} (dashboard: Sync user profile attributes at each login) ` +
    "so the next login clears it there too.";

/** What the setting means for stored values, and the fix; about one connection, without naming it. */
export function rootCopiesProblem(setting: string): string {
    return `${ROOT_SYNC_OPTION} is ${JSON.stringify(setting)}: ${EFFECT}. ${fix()}`;
}

/** One warning line for the connections whose writes declared attributes and that keep root-profile copies. */
export function rootCopiesWarning(connections: readonly RootCopies[]): string {
    if (connections.length === 1) {
        const [{ name, setting }] = connections;
        return `warning: connection ${name}: ${rootCopiesProblem(setting)}`;
    }
    const shown = [...connections]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .slice(0, 10)
        .map(({ name, setting }) => `${name} ${JSON.stringify(setting)}`)
        .join(", ");
    const more = connections.length > 10 ? ", …" : "";
    return (
        `warning: ${connections.length} connections do not sync profile attributes at each login (${shown}${more}): ` +
        `${EFFECT}. ${fix(" on them")}`
    );
}
