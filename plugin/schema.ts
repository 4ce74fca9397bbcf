/**
 * The package schema the plugin answers GetSchema with: what `pulumi package add` generates each
 * language's SDK from, and what Pulumi YAML checks a program against. The inputs and outputs are
 * the dynamic resources' (provider/core/schema.ts), without their program-only inputs
 * (`declaredBy`, `otherDeclarations`: a plugin sees no program) and without the internal record
 * (`declaredBy`, `sharedWith`) that state carries beside the outputs. Valid against Pulumi's package
 * metaschema (test/fixtures/pulumi-package-metaschema.json).
 */

/** The package name: the prefix of the tokens, the config keys and the provider type. */
export const PACKAGE_NAME = "auth0-deny-list";
/** The type token of a deny list on one connection. */
export const CONNECTION_DENY_LIST = `${PACKAGE_NAME}:index:ConnectionDenyList`;
/** The type token of a deny list on every connection of a tenant. */
export const TENANT_DENY_LIST = `${PACKAGE_NAME}:index:TenantDenyList`;

/**
 * The publisher namespace and the package name in each language. There is no GitHub org yet: the
 * names derive from the npm package's name, so a git source does not name the Python module after
 * whatever org hosts the clone. Change them here (and nowhere else) once the package has a home.
 */
const NAMESPACE = "pulumi-auth0-deny-list";
const LANGUAGE = {
    nodejs: {
        packageName: "@pulumi-auth0-deny-list/auth0-deny-list",
        packageDescription:
            "Auth0 connection deny lists (options.non_persistent_attrs), every other setting untouched.",
    },
    python: { packageName: "pulumi_auth0_deny_list" },
    go: { importBasePath: "github.com/pulumi-auth0-deny-list/pulumi-auth0-deny-list/sdk/go/auth0denylist" },
    csharp: { rootNamespace: "PulumiAuth0DenyList", packageReferences: { Pulumi: "3.*" } },
    java: { basePackage: "com.pulumiauth0denylist" },
};

const COVERED_CONNECTION = `${PACKAGE_NAME}:index:CoveredConnection`;

const strings = (description: string) => ({ type: "array", items: { type: "string" }, description });

const ATTRIBUTES =
    "Root profile fields or upstream IdP claim names (e.g. `https://acme.com/temporary_idtoken`, " +
    "`urn:oid:2.5.4.42`) that Auth0 must not store. Order and duplicates do not matter.";
const TRIGGERS =
    "Any change of this value re-reads the connection and re-applies `attributes`: an update, never a " +
    "replace, and a write only when an entry is missing. Feed it outputs of whatever else writes the " +
    "connection (an `auth0.Connection` update replaces the deny list). Stored in state as given: pass " +
    "outputs or digests, not secrets.";
const TENANT = "The tenant (Management API base URL) the list was written to.";
const SCHEMA_VERSION = "Version of the state shape.";

/** Provider settings: the same four as stack config keys (`auth0-deny-list:domain` …) and as provider arguments. */
const CONFIG = {
    domain: {
        type: "string",
        description:
            "The Auth0 tenant: `acme.eu.auth0.com` (https implied) or a full URL; plain `http://` only for a " +
            "loopback host such as a local emulator. When no setting is given the provider reads `AUTH0_DOMAIN`, " +
            "`AUTH0_CLIENT_ID`, `AUTH0_CLIENT_SECRET` and `AUTH0_API_TOKEN` instead, as a whole.",
    },
    clientId: {
        type: "string",
        description: "Client id of a Machine-to-Machine application with the connection scopes the README lists.",
    },
    clientSecret: {
        type: "string",
        secret: true,
        description: "Client secret of that application. Kept in memory only: never in outputs, logs or errors.",
    },
    apiToken: {
        type: "string",
        secret: true,
        description: "A ready Management API token, used instead of client credentials when set.",
    },
};

/** The schema, for `version` (the npm package's). */
export function packageSchema(version: string): Record<string, unknown> {
    return {
        name: PACKAGE_NAME,
        displayName: "Auth0 Deny List",
        namespace: NAMESPACE,
        version,
        description:
            "Manage an Auth0 connection's deny list (`options.non_persistent_attrs`) without touching any other " +
            "connection setting: every write reads the connection, changes only the deny list and writes the " +
            "options back whole.",
        keywords: ["pulumi", "auth0", "privacy", "category/utility", "kind/native"],
        license: "Apache-2.0",
        publisher: NAMESPACE,
        config: { variables: CONFIG },
        provider: {
            description:
                "Where the deny lists are written: the Auth0 tenant and the Management API credentials. The default " +
                "provider takes the `auth0-deny-list:*` stack config, else the `AUTH0_*` environment variables.",
            inputProperties: CONFIG,
        },
        resources: RESOURCES,
        types: {
            [COVERED_CONNECTION]: {
                type: "object",
                description: "One connection a TenantDenyList covers, as its state records it: never its options.",
                properties: {
                    id: { type: "string", description: "The connection's id." },
                    name: { type: "string", description: "The connection's name." },
                    owned: strings("Entries this resource wrote there: the only ones its delete removes."),
                    lacking: strings(
                        "After a refresh or a failed write: declared entries the connection lacks, which the next " +
                            "`pulumi up` writes.",
                    ),
                },
                required: ["id", "name", "owned"],
            },
        },
        language: LANGUAGE,
    };
}

function connectionDenyList() {
    const inputs = {
        connectionId: {
            type: "string",
            description:
                "The connection's id (`con_…`). Set exactly one of `connectionId` and `connectionName`; another " +
                "connection replaces the resource (the old list is removed first).",
        },
        connectionName: {
            type: "string",
            description:
                "The connection's name, resolved in each stack's tenant: one program, many environments. Set exactly " +
                "one of `connectionId` and `connectionName`.",
        },
        attributes: strings(ATTRIBUTES),
        exclusive: {
            type: "boolean",
            description:
                "When true the live list becomes exactly `attributes` and no other resource may declare entries on " +
                "the connection; by default (false) the resource adds its entries and leaves every other one alone.",
        },
        triggers: { type: "array", items: { $ref: "pulumi.json#/Any" }, description: TRIGGERS },
    };
    return {
        description:
            "The deny list of one Auth0 connection. In merge mode (the default) the resource guarantees its " +
            "attributes are on the list, adopts entries already there and removes only what it wrote. " +
            "`pulumi import` adopts a connection's current list without writing.",
        inputProperties: inputs,
        requiredInputs: ["attributes"],
        properties: {
            connectionId: { type: "string", description: "The target connection's id (also the resource id)." },
            connectionName: { type: "string", description: "The target connection's name." },
            strategy: { type: "string", description: "The connection's strategy, e.g. `auth0`, `samlp`." },
            attributes: strings("Declared attributes, de-duplicated and sorted; after a refresh, those still live."),
            exclusive: { type: "boolean", description: "Whether the resource owns the whole list." },
            ownedAttributes: strings(
                "Entries this resource wrote, and the only ones its delete removes in merge mode.",
            ),
            triggers: {
                type: "array",
                items: { $ref: "pulumi.json#/Any" },
                description: "The `triggers` value the list was last applied for.",
            },
            tenant: { type: "string", description: TENANT },
            schemaVersion: { type: "integer", description: SCHEMA_VERSION },
        },
        required: [
            "connectionId",
            "connectionName",
            "strategy",
            "attributes",
            "exclusive",
            "ownedAttributes",
            "triggers",
            "tenant",
            "schemaVersion",
        ],
    };
}

function tenantDenyList() {
    const inputs = {
        attributes: strings(`${ATTRIBUTES} Denied on every covered connection, in merge mode.`),
        strategies: strings(
            "Cover only connections of these strategies (e.g. `samlp`, `oidc`, `waad`); default: every strategy.",
        ),
        excludeConnections: strings("Connection names left alone; a name no connection has is reported as a warning."),
        triggers: {
            type: "array",
            items: { $ref: "pulumi.json#/Any" },
            description: "Any change of this value re-lists the tenant and re-applies the list (an update).",
        },
    };
    return {
        description:
            "One deny list for every connection of the tenant (or of `strategies`, minus `excludeConnections`), " +
            "including connections created later by customers or other tools: a refresh finds them and the next " +
            "`pulumi up` writes them. Merge mode only; every other setting of each connection stays as it was.",
        inputProperties: inputs,
        requiredInputs: ["attributes"],
        properties: {
            attributes: strings("Declared attributes, de-duplicated and sorted."),
            strategies: strings("The strategies covered; absent for every strategy."),
            excludeConnections: strings("Connection names left alone."),
            triggers: {
                type: "array",
                items: { $ref: "pulumi.json#/Any" },
                description: "The `triggers` value the list was last applied for.",
            },
            tenant: { type: "string", description: TENANT },
            connections: {
                type: "array",
                items: { $ref: `#/types/${COVERED_CONNECTION}` },
                description:
                    "Per covered connection: its id, name, the entries this resource wrote, and after a refresh what " +
                    "it lacks.",
            },
            schemaVersion: { type: "integer", description: SCHEMA_VERSION },
        },
        required: ["attributes", "excludeConnections", "triggers", "tenant", "connections", "schemaVersion"],
    };
}

// The resource specs, built once: GetSchema sends them, Check and the previews read their names.
const RESOURCES: Readonly<Record<string, { inputProperties: object; properties: object }>> = {
    [CONNECTION_DENY_LIST]: connectionDenyList(),
    [TENANT_DENY_LIST]: tenantDenyList(),
};

/** The input property names of a resource type, or undefined for a type this package does not have. */
export function inputNames(type: string): string[] | undefined {
    const resource = RESOURCES[type];
    return resource ? Object.keys(resource.inputProperties) : undefined;
}

/** The output property names of a resource type. */
export function outputNames(type: string): string[] {
    const resource = RESOURCES[type];
    return resource ? Object.keys(resource.properties) : [];
}

/** Outputs only a write determines: unknown in a preview of a create or an update. */
export const WRITTEN_OUTPUTS: Readonly<Record<string, readonly string[]>> = {
    [CONNECTION_DENY_LIST]: ["ownedAttributes"],
    [TENANT_DENY_LIST]: ["connections"],
};

/** Outputs that carry an input's values: secret whenever that input is. */
export const DERIVED_OUTPUTS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
    // `sharedWith` is the internal record beside the outputs, keyed by entry.
    [CONNECTION_DENY_LIST]: { attributes: ["ownedAttributes", "sharedWith"] },
    [TENANT_DENY_LIST]: { attributes: ["connections"] },
};
