/**
 * What the program can tell before anything is sent: privacy warnings from Auth0's documented
 * limitations of the deny list, likely mistakes in a declaration (a root field in the wrong case,
 * an exclusive list that empties the connection), and two resources declaring one entry. Pure.
 */

// Auth0's deny-list doc: these stop working elsewhere once denied.
const CONSEQUENCES: Record<string, string> = {
    email: "denying `email` stops Auth0 from mapping it to custom claims in rules and actions",
    name: "denying `name` drops it from ID tokens",
    nickname: "denying `nickname` drops it from ID tokens",
};

/**
 * Root fields of Auth0's normalized user profile (Auth0 docs: "User Profile Structure" and
 * "Normalized User Profile Schema", plus the OIDC standard claims it maps). All lower case.
 */
export const ROOT_PROFILE_FIELDS: ReadonlySet<string> = new Set([
    "address",
    "app_metadata",
    "birthdate",
    "blocked",
    "created_at",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "identities",
    "last_ip",
    "last_login",
    "last_password_reset",
    "locale",
    "logins_count",
    "middle_name",
    "multifactor",
    "name",
    "nickname",
    "phone_number",
    "phone_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "user_id",
    "user_metadata",
    "username",
    "website",
    "zoneinfo",
]);

/** One warning per declared attribute with a documented side effect. */
export function attributeWarnings(attributes: readonly string[]): string[] {
    return [...new Set(attributes)]
        .filter((attribute) => attribute in CONSEQUENCES)
        .map((attribute) => `${CONSEQUENCES[attribute]}; keep it only if nothing relies on it.`);
}

/**
 * One warning per entry that is a root profile field in the wrong case (`Email`): Auth0 compares
 * names exactly, so it denies only an upstream claim spelled that way, and the field stays stored.
 */
export function caseWarnings(attributes: readonly string[]): string[] {
    return [...new Set(attributes)]
        .filter((attribute) => attribute !== attribute.toLowerCase())
        .filter((attribute) => ROOT_PROFILE_FIELDS.has(attribute.toLowerCase()))
        .map(
            (attribute) =>
                `${JSON.stringify(attribute)} is not the profile field ${JSON.stringify(attribute.toLowerCase())}: ` +
                `Auth0 compares names exactly, so this denies only an upstream claim spelled ${JSON.stringify(attribute)}. ` +
                `Write ${JSON.stringify(attribute.toLowerCase())} if you meant the profile field.`,
        );
}

/** A warning when an exclusive resource declares no attribute: `up` then empties the connection's deny list. */
export function emptyExclusiveWarning(attributes: readonly string[], exclusive: boolean): string[] {
    if (!exclusive || attributes.length > 0) return [];
    return [
        "exclusive is true and attributes is empty: `pulumi up` removes every entry from the connection's deny list, " +
            "so Auth0 stores those attributes again. List the attributes to keep denied, or set exclusive to false.",
    ];
}

/** `connection con_…` by id, `connection "Username-Password-Authentication"` by name. */
export function connectionLabel(target: { id?: string; name?: string; from?: string } | undefined): string {
    if (target?.id !== undefined) return `connection ${target.id}`;
    if (target?.name !== undefined) return `connection ${JSON.stringify(target.name)}`;
    return target?.from !== undefined
        ? `the connection of ${target.from.split("#")[0]} ${target.from}`
        : "a connection";
}

/** A warning when two resources declare one entry on one connection. */
export function duplicateWarning(
    resource: string,
    first: string,
    entry: string,
    target: { id?: string; name?: string; from?: string },
): string {
    return (
        `${resource} and ${first} both declare ${JSON.stringify(entry)} on ${connectionLabel(target)}; ` +
        "the entry stays while either declares it, and goes once neither does. Declare it in one resource to keep each entry's owner plain."
    );
}
