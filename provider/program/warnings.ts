/**
 * What the program can tell before anything is sent: privacy warnings from Auth0's documented
 * limitations of the deny list, likely mistakes in a declaration (a root field in the wrong case,
 * an exclusive list that empties the connection), and conflicts between resources of one program
 * on one connection. Pure.
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

/** The connection a resource targets, as the program knows it: by id or by name. */
export interface ConnectionRef {
    id?: string;
    name?: string;
}

/** What declaring one resource found: warnings to show, and errors that must stop the program. */
export interface DeclarationFindings {
    warnings: string[];
    errors: string[];
}

interface Declared {
    resource: string;
    exclusive: boolean;
}

/** A TenantDenyList as the program knows it. */
interface TenantWide {
    resource: string;
    strategies?: readonly string[];
    excludeConnections: readonly string[];
}

/** Remembers which resources of one program target which connection, and what they declare. */
export class DeclarationRegistry {
    private readonly owners = new Map<string, string>();
    private readonly byConnection = new Map<string, Declared[]>();
    private readonly byName = new Map<string, Declared[]>();
    private readonly tenantWide: TenantWide[] = [];

    /** @internal Forgets every declaration: the testing entry point runs one program after another in one process. */
    reset(): void {
        this.owners.clear();
        this.byConnection.clear();
        this.byName.clear();
        this.tenantWide.length = 0;
    }

    /**
     * Records a TenantDenyList and reports an error for each exclusive ConnectionDenyList already
     * declared on a connection it surely covers (every strategy, and the name not excluded).
     */
    declareTenantWide(declaration: TenantWide): DeclarationFindings {
        this.tenantWide.push(declaration);
        const errors = [...this.byName.entries()].flatMap(([name, declared]) =>
            declared.filter((d) => d.exclusive).flatMap((d) => tenantConflict(declaration, d.resource, name)),
        );
        return { warnings: [], errors };
    }

    /**
     * Records `resource` on `connection` and reports conflicts with resources declared before it:
     * a warning for each attribute another resource already declares there, and an error when
     * either resource is exclusive (an exclusive list removes every entry it does not declare, so
     * the two would undo each other on every `up`).
     */
    declare(
        resource: string,
        connection: ConnectionRef,
        attributes: readonly string[],
        exclusive = false,
    ): DeclarationFindings {
        const key = connection.id !== undefined ? `id:${connection.id}` : `name:${connection.name ?? ""}`;
        const shown = connectionLabel(connection);
        const errors: string[] = [];
        const others = (this.byConnection.get(key) ?? []).filter((other) => other.resource !== resource);
        for (const other of others) {
            if (!exclusive && !other.exclusive) continue;
            const owner = exclusive ? resource : other.resource;
            errors.push(
                `ConnectionDenyList resources ${JSON.stringify(other.resource)} and ${JSON.stringify(resource)} both ` +
                    `target ${shown}, and ${JSON.stringify(owner)} is exclusive: it owns the whole deny list and would ` +
                    "remove the other's entries on every `pulumi up`. Declare all of that connection's attributes in one " +
                    "exclusive resource, or set exclusive to false on both.",
            );
        }
        this.byConnection.set(key, [...(this.byConnection.get(key) ?? []), { resource, exclusive }]);
        if (connection.name !== undefined) {
            this.byName.set(connection.name, [...(this.byName.get(connection.name) ?? []), { resource, exclusive }]);
            if (exclusive)
                errors.push(...this.tenantWide.flatMap((t) => tenantConflict(t, resource, connection.name ?? "")));
        }
        const warnings: string[] = [];
        for (const attribute of new Set(attributes)) {
            const attributeKey = `${key}\u0000${attribute}`;
            const other = this.owners.get(attributeKey);
            if (other !== undefined && other !== resource) {
                warnings.push(
                    `${resource} and ${other} both declare ${JSON.stringify(attribute)} on ${shown}; ` +
                        "the entry stays while either declares it, and goes once neither does. Declare it in one resource to keep each entry's owner plain.",
                );
            } else {
                this.owners.set(attributeKey, resource);
            }
        }
        return { warnings, errors };
    }
}

// An exclusive ConnectionDenyList on a connection a TenantDenyList surely covers.
function tenantConflict(tenant: TenantWide, resource: string, connection: string): string[] {
    if (tenant.strategies !== undefined || tenant.excludeConnections.includes(connection)) return [];
    return [
        `ConnectionDenyList ${JSON.stringify(resource)} is exclusive on connection ${JSON.stringify(connection)}, which ` +
            `TenantDenyList ${JSON.stringify(tenant.resource)} covers: the exclusive list would remove the tenant-wide ` +
            `entries on every \`pulumi up\`. Add ${JSON.stringify(connection)} to the TenantDenyList's excludeConnections, ` +
            "or add its attributes to the exclusive list and set exclusive to false.",
    ];
}

/** `connection con_…` by id, `connection "Username-Password-Authentication"` by name. */
export function connectionLabel(connection: ConnectionRef): string {
    return connection.id !== undefined
        ? `connection ${connection.id}`
        : `connection ${JSON.stringify(connection.name ?? "")}`;
}

/** The registry of the program this process runs: every deny list resource declares itself here. */
export const programDeclarations = new DeclarationRegistry();
