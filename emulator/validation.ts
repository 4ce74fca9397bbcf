/**
 * Payload validation for connection writes, with Auth0's messages:
 * `Payload validation error: '<detail>' on property <path>.`
 */

/** What is wrong and where. */
interface Violation {
    detail: string;
    property?: string;
}

/** Validates one property value; `property` is its path, for the message. */
type Check = (value: unknown, property: string) => Violation | undefined;

/** Limits of `options.non_persistent_attrs` in Auth0's published schema. */
export const DENY_LIST_LIMITS = { maxItems: 96, maxLength: 255 } as const;

/** Auth0's rule for connection names. */
const CONNECTION_NAME = /^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$/;

const isBoolean: Check = (value, property) => expectType(value, "boolean", property);
const isObject: Check = (value, property) => expectType(value, "object", property);

const options: Check = (value, property) => {
    const wrongType = isObject(value, property);
    if (wrongType || !("non_persistent_attrs" in (value as object))) return wrongType;
    const denyList = (value as Record<string, unknown>).non_persistent_attrs;
    return strings(DENY_LIST_LIMITS)(denyList, `${property}.non_persistent_attrs`);
};

const metadata: Check = (value, property) => {
    const wrongType = isObject(value, property);
    if (wrongType) return wrongType;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length > 10) return { detail: `Too many properties defined (${entries.length}), maximum 10`, property };
    for (const [key, entry] of entries) {
        const violation = text({ maxLength: 255 })(entry, `${property}.${key}`);
        if (violation) return violation;
    }
    return undefined;
};

/** `{status: "enabled" | "disabled"}`, or `null` to unset it. */
const resourceApp: Check = (value, property) => {
    if (value === null) return undefined;
    return properties({ status: oneOf(["enabled", "disabled"]) }, ["status"])(value, property);
};

/**
 * Properties a PATCH may carry: Auth0's published `UpdateConnectionRequestContent` (node-auth0
 * v7.2), less `enabled_clients`, which it still lists but now refuses (auth0-deploy-cli#1290).
 */
const PATCH_SCHEMA: Record<string, Check> = {
    display_name: text({ maxLength: 128 }),
    options,
    is_domain_connection: isBoolean,
    show_as_button: isBoolean,
    realms: strings({ maxLength: 255 }),
    metadata,
    authentication: properties({ active: isBoolean }, ["active"]),
    connected_accounts: properties(
        { active: isBoolean, cross_app_access: isBoolean, allow_missing_user_id: isBoolean },
        ["active"],
    ),
    cross_app_access_requesting_app: properties({ active: isBoolean }, ["active"]),
    cross_app_access_resource_app: resourceApp,
};

/** Properties a POST may carry. */
const CREATE_SCHEMA: Record<string, Check> = {
    name: text({ maxLength: 128, pattern: CONNECTION_NAME }),
    strategy: text({ maxLength: 128 }),
    enabled_clients: strings({ maxLength: 255 }),
    ...PATCH_SCHEMA,
};

/** The 400 message for a PATCH body, or `undefined` when it is valid. */
export function validatePatch(body: unknown): string | undefined {
    return validatePayload(body, PATCH_SCHEMA, []);
}

/** The 400 message for a POST body, or `undefined` when it is valid. */
export function validateCreate(body: unknown): string | undefined {
    return validatePayload(body, CREATE_SCHEMA, ["name", "strategy"]);
}

function validatePayload(body: unknown, schema: Record<string, Check>, required: string[]): string | undefined {
    const violation = properties(schema, required)(body);
    if (violation === undefined) return undefined;
    const where = violation.property === undefined ? "" : ` on property ${violation.property}`;
    return `Payload validation error: '${violation.detail}'${where}.`;
}

/** An object holding only the given properties, each valid, the `required` ones present. */
function properties(
    schema: Record<string, Check>,
    required: string[],
): (value: unknown, property?: string) => Violation | undefined {
    return (value, property) => {
        const wrongType = expectType(value, "object", property);
        if (wrongType) return wrongType;
        const record = value as Record<string, unknown>;
        const extra = Object.keys(record).filter((key) => !Object.hasOwn(schema, key));
        if (extra.length > 0) return { detail: `Additional properties not allowed: ${extra.join(",")}`, property };
        const missing = required.find((key) => !(key in record));
        if (missing !== undefined) return { detail: `Missing required property: ${missing}`, property };
        for (const [key, entry] of Object.entries(record)) {
            const violation = schema[key](entry, property === undefined ? key : `${property}.${key}`);
            if (violation) return violation;
        }
        return undefined;
    };
}

function oneOf(allowed: string[]): Check {
    return (value, property) =>
        typeof value === "string" && allowed.includes(value)
            ? undefined
            : { detail: `No enum match for: ${JSON.stringify(value)}`, property };
}

function text(limits: { maxLength: number; pattern?: RegExp }): Check {
    return (value, property) => {
        const wrongType = expectType(value, "string", property);
        if (wrongType) return wrongType;
        const length = (value as string).length;
        if (length > limits.maxLength) {
            return { detail: `String is too long (${length} chars), maximum ${limits.maxLength}`, property };
        }
        if (limits.pattern && !limits.pattern.test(value as string)) {
            return { detail: `String does not match pattern ${limits.pattern.source}`, property };
        }
        return undefined;
    };
}

function strings(limits: { maxLength: number; maxItems?: number }): Check {
    const item = text(limits);
    return (value, property) => {
        const wrongType = expectType(value, "array", property);
        if (wrongType) return wrongType;
        const items = value as unknown[];
        if (limits.maxItems !== undefined && items.length > limits.maxItems) {
            return { detail: `Array is too long (${items.length}), maximum ${limits.maxItems}`, property };
        }
        for (const [index, entry] of items.entries()) {
            const violation = item(entry, `${property}[${index}]`);
            if (violation) return violation;
        }
        return undefined;
    };
}

function expectType(value: unknown, expected: string, property?: string): Violation | undefined {
    const actual = typeName(value);
    return actual === expected ? undefined : { detail: `Expected type ${expected} but found type ${actual}`, property };
}

/** JSON Schema type names, as the validator behind Auth0's messages reports them. */
function typeName(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}
