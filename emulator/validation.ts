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

/** Properties a PATCH may carry. */
const PATCH_SCHEMA: Record<string, Check> = {
    display_name: text({ maxLength: 128 }),
    options,
    is_domain_connection: isBoolean,
    show_as_button: isBoolean,
    realms: strings({ maxLength: 255 }),
    metadata,
    authentication: isObject,
    connected_accounts: isObject,
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
    const violation = findViolation(body, schema, required);
    if (violation === undefined) return undefined;
    const where = violation.property === undefined ? "" : ` on property ${violation.property}`;
    return `Payload validation error: '${violation.detail}'${where}.`;
}

function findViolation(body: unknown, schema: Record<string, Check>, required: string[]): Violation | undefined {
    const wrongType = expectType(body, "object");
    if (wrongType) return wrongType;
    const record = body as Record<string, unknown>;
    const extra = Object.keys(record).filter((key) => !Object.hasOwn(schema, key));
    if (extra.length > 0) return { detail: `Additional properties not allowed: ${extra.join(",")}` };
    const missing = required.find((key) => !(key in record));
    if (missing !== undefined) return { detail: `Missing required property: ${missing}` };
    for (const [key, value] of Object.entries(record)) {
        const violation = schema[key](value, key);
        if (violation) return violation;
    }
    return undefined;
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
