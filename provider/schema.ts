/**
 * zod schemas for the resource's inputs and its Pulumi state. They are the single source of
 * these shapes: the TypeScript types below are inferred from them.
 */
import { z } from "zod";
import { truncate } from "./text";

/** The value Pulumi sends for an input that is not known yet (preview of a dependent resource). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Auth0's published limits on `non_persistent_attrs`. */
export const MAX_ATTRIBUTES = 96;
/** Longest entry Auth0 accepts. */
export const MAX_ATTRIBUTE_LENGTH = 255;

/** Version of the state shape written by this provider; older state stays readable. */
export const SCHEMA_VERSION = 1;

// Characters a profile field or claim name never contains: C0 and C1 controls, DEL.
const CONTROL = /\p{Cc}/u;

/** Explains why a string cannot be a deny-list entry, or returns undefined when it can. */
export function attributeProblem(value: string): string | undefined {
    const shown = JSON.stringify(truncate(value));
    if (value.length === 0) return "is empty: remove it";
    if (value.length > MAX_ATTRIBUTE_LENGTH) {
        return `is ${value.length} characters long; Auth0 accepts at most ${MAX_ATTRIBUTE_LENGTH}: shorten it`;
    }
    if (CONTROL.test(value)) return `${shown} contains a control character: remove it`;
    if (value.trim() !== value)
        return `${shown} has leading or trailing whitespace: write ${JSON.stringify(value.trim())}`;
    // Claim names sent by an upstream IdP are often URLs (https://acme.com/claim); dots are fine there.
    if (value.includes("://") || !value.includes(".")) return undefined;
    const [root, ...rest] = value.split(".");
    if (root === "user" && rest.length === 1) {
        return `${shown} is a nested path; Auth0 denies root profile fields: use ${JSON.stringify(rest[0])}`;
    }
    if (root === "user_metadata" || root === "app_metadata") {
        return `${shown} is a ${root} path; only root profile fields and upstream claim names can be denied: remove it`;
    }
    return `${shown} is a nested path; only root fields can be denied: deny ${JSON.stringify(root)} or remove it`;
}

const attribute = z.string({ error: "must be a string" }).superRefine((value, ctx) => {
    const problem = attributeProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
});

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
    schemaVersion: z.number().int().default(SCHEMA_VERSION),
});

/** The resource's outputs. */
export type State = z.infer<typeof StateSchema>;
