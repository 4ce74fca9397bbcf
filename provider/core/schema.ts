/**
 * zod schemas for the resource's inputs and its Pulumi state. They are the single source of
 * these shapes: the TypeScript types below are inferred from them.
 */
import { z } from "zod";
import { truncate } from "./text";
import { DeclarersSchema, ViewSchema } from "./view";

/** The value Pulumi sends for an input that is not known yet (preview of a dependent resource). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when the value is, or contains at any depth, Pulumi's unknown-value sentinel. */
export function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

/** Auth0's published limits on `non_persistent_attrs`. */
export const MAX_ATTRIBUTES = 96;
/** Longest entry Auth0 accepts. */
export const MAX_ATTRIBUTE_LENGTH = 255;

/** Version of the state shape written by this provider; older state stays readable. */
export const SCHEMA_VERSION = 1;

// Characters a profile field or claim name never contains: C0 and C1 controls, DEL.
const CONTROL = /\p{Cc}/u;

// Characters that show as nothing (Unicode's Default_Ignorable_Code_Point property: zero-width and
// bidi controls, soft hyphen, invisible operators, variation selectors, tag characters, Hangul
// fillers …): a name holding one looks like another name but is not it, so it denies nothing.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;

/** `U+200B`: the code point in the notation Unicode charts use. */
function codePointLabel(codePoint: number): string {
    return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

// The nested forms Auth0 users write by mistake; anything else with dots (URLs, URNs, dotted
// claim names such as acme.com/roles) is a name an upstream IdP may send and is accepted.
function nestedPathProblem(value: string, shown: string): string | undefined {
    const path = /^(user|user_metadata|app_metadata|address|identities)(?:\.|\[)(.*)$/.exec(value);
    if (!path || path[2] === "") return undefined;
    const [, root, rest] = path;
    if (root === "user") {
        const field = rest.split(/[.[]/)[0];
        return `${shown} is a nested path; Auth0 denies root profile fields: use ${JSON.stringify(field)}`;
    }
    if (root === "user_metadata" || root === "app_metadata") {
        return `${shown} is a ${root} path; only root profile fields and upstream claim names can be denied: remove it`;
    }
    return `${shown} is a nested path; only root fields can be denied: deny ${JSON.stringify(root)} or remove it`;
}

/** Explains why a string cannot be a deny-list entry, or returns undefined when it can. */
export function attributeProblem(value: string): string | undefined {
    const codePoints = [...value];
    const shown = JSON.stringify(truncate(value));
    if (value.length === 0) return "is empty: remove it";
    // JSON Schema's maxLength (and so Auth0's 255) counts code points, not UTF-16 units.
    if (codePoints.length > MAX_ATTRIBUTE_LENGTH) {
        return `is ${codePoints.length} characters long; Auth0 accepts at most ${MAX_ATTRIBUTE_LENGTH}: shorten it`;
    }
    if (CONTROL.test(value)) return `${shown} contains a control character: remove it`;
    if (/\p{Cs}/u.test(value)) return `${shown} contains a lone UTF-16 surrogate, which is not a character: remove it`;
    const invisible = codePoints.findIndex((char) => INVISIBLE.test(char));
    if (invisible >= 0) {
        const label = codePointLabel(codePoints[invisible].codePointAt(0) ?? 0);
        return `${shown} contains the invisible character ${label} at position ${invisible + 1}: remove it`;
    }
    if (value.trim() !== value)
        return `${shown} has leading or trailing whitespace: write ${JSON.stringify(value.trim())}`;
    // Refused, not normalised: what is written to Auth0 is exactly what the program declares.
    if (value.normalize("NFC") !== value) {
        return `${shown} is not in Unicode NFC form (a decomposed accent looks the same but is another name): write ${JSON.stringify(value.normalize("NFC"))}`;
    }
    return nestedPathProblem(value, shown);
}

const attribute = z.string({ error: "must be a string" }).superRefine((value, ctx) => {
    const problem = attributeProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * A record of co-declarers as state holds it: per owned entry, who else declares it. State written
 * before records counted declarers listed them by URN; both read the same.
 */
const SharedWithSchema = z.record(
    z.string(),
    z.preprocess((value) => (Array.isArray(value) ? { by: value, count: value.length } : value), DeclarersSchema),
);

/** The program's view of the other resources, as the resource class passes it: JSON text (one input, cheap to serialise). */
const ProgramViewInput = z.string().transform((text, ctx) => {
    const parsed = ViewSchema.safeParse(safeJson(text));
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: "custom", message: "is not a view this version can read" });
    return z.NEVER;
});

function safeJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** Inputs the resource classes set, not users: who declares, where its connection id came from, and what the rest of the program declares. */
const ProgramInputs = {
    declaredBy: z.string().optional(),
    connectionFrom: z.string().optional(),
    otherDeclarations: ProgramViewInput.optional(),
};

/** Inputs after `check`, with unknown values already set aside (see check.ts). */
export const InputsSchema = z.object({
    connectionId: z
        .string({ error: "must be a string" })
        .regex(/^con_[A-Za-z0-9]+$/, {
            error: (issue) =>
                `${JSON.stringify(issue.input)} is not an Auth0 connection id (con_ followed by letters and digits): copy it from the dashboard, or use connectionName`,
        })
        .optional(),
    connectionName: z
        .string({ error: "must be a string" })
        .min(1, "is empty: give the connection's name, or use connectionId")
        .max(128, "is longer than 128 characters, more than Auth0 allows for a connection name")
        .optional(),
    attributes: z
        .array(attribute, { error: "must be a list of attribute names" })
        .refine((list) => new Set(list).size <= MAX_ATTRIBUTES, {
            error: (issue) =>
                `has ${new Set(issue.input as string[]).size} distinct entries; Auth0 accepts at most ${MAX_ATTRIBUTES}: split them across connections or drop some`,
        }),
    exclusive: z.boolean({ error: "must be true or false" }).optional(),
    // Opaque to the provider: only a change of the whole value matters (see diff.ts).
    triggers: z
        .array(z.unknown(), { error: "must be a list of values whose change re-applies the deny list" })
        .optional(),
    ...ProgramInputs,
});

/** Inputs as the provider receives them after a successful `check`. */
export type Inputs = z.infer<typeof InputsSchema>;

/**
 * The resource's outputs, exactly what lands in Pulumi state. Nothing else is ever written
 * there: no connection options, no credential. Defaults keep state from older versions readable.
 */
export const StateSchema = z.object({
    connectionId: z.string(),
    connectionName: z.string().default(""),
    strategy: z.string().default(""),
    attributes: z.array(z.string()).default([]),
    exclusive: z.boolean().default(false),
    // Owning nothing is the safe reading of state that predates ownership: delete removes nothing.
    ownedAttributes: z.array(z.string()).default([]),
    // State from before `triggers` existed reads as "no triggers", which is what such programs pass.
    triggers: z.array(z.unknown()).default([]),
    // The tenant (API base URL) written to. State from before it existed is taken as the stack's tenant.
    tenant: z.string().optional(),
    // The resource's URN when it was last written; older state has none (identityOf then keys it by its outputs).
    declaredBy: z.string().optional(),
    // Owned entries other resources declared too at the last write: kept on delete.
    sharedWith: SharedWithSchema.default({}),
    // After a refresh, in merge mode: declared entries the connection lacks (the next `up` writes them).
    lacking: z.array(z.string()).optional(),
    // After a refresh: the connection's name now, when it was renamed out of band since the last write.
    renamedTo: z.string().optional(),
    schemaVersion: z.number().int().default(SCHEMA_VERSION),
});

/** The resource's outputs. */
export type State = z.infer<typeof StateSchema>;

const names = (what: string) =>
    z
        .array(z.string({ error: "must be a string" }).min(1, "is empty: remove it"), {
            error: `must be a list of ${what}`,
        })
        .optional();

/** TenantDenyList inputs after `check`: the same attribute rules as a ConnectionDenyList's. */
export const TenantInputsSchema = z.object({
    attributes: InputsSchema.shape.attributes,
    strategies: names("connection strategies (e.g. samlp, oidc, waad)"),
    excludeConnections: names("connection names to leave alone"),
    triggers: InputsSchema.shape.triggers,
    ...ProgramInputs,
});

/** TenantDenyList inputs as the provider receives them after a successful `check`. */
export type TenantInputs = z.infer<typeof TenantInputsSchema>;

/** One connection a TenantDenyList covers, as its state records it: never its options. */
export const CoveredConnectionSchema = z.object({
    id: z.string(),
    name: z.string(),
    /** Its strategy, which decides what other tenant-wide lists cover it; older state has none. */
    strategy: z.string().optional(),
    /** Entries this resource wrote there: the only ones its delete removes. */
    owned: z.array(z.string()).default([]),
    /** After a refresh or a failed write: declared entries the connection lacks (the next `up` writes them). */
    lacking: z.array(z.string()).optional(),
    /** Owned entries other resources declare too (core/ownership.ts). */
    sharedWith: SharedWithSchema.optional(),
});

/** One covered connection in state. */
export type CoveredConnection = z.infer<typeof CoveredConnectionSchema>;

/** TenantDenyList outputs: its inputs normalised, the tenant, and per covered connection only id, name and entries. */
export const TenantStateSchema = z.object({
    attributes: z.array(z.string()).default([]),
    strategies: z.array(z.string()).optional(),
    excludeConnections: z.array(z.string()).default([]),
    triggers: z.array(z.unknown()).default([]),
    tenant: z.string().optional(),
    declaredBy: z.string().optional(),
    connections: z.array(CoveredConnectionSchema).default([]),
    schemaVersion: z.number().int().default(SCHEMA_VERSION),
});

/** TenantDenyList outputs. */
export type TenantState = z.infer<typeof TenantStateSchema>;
