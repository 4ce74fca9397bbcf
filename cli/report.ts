/**
 * zod schemas of the reports `audit --json` prints. They are the contract for machines reading
 * the output (and what the tests validate it with); the TypeScript types are inferred from them.
 */
import { z } from "zod";

/** The kinds of finding, from Auth0's documented limitations of the deny list. */
export const FindingKindSchema = z.enum([
    /** Not a root profile field or claim name (nested path, metadata path, whitespace, …): it denies nothing. */
    "not-root-field",
    /** Longer than Auth0 accepts (255 characters). */
    "too-long",
    /** `email` denied: Auth0 can no longer map it to custom claims. */
    "email-denied",
    /** `name` or `nickname` denied: dropped from ID tokens. */
    "name-denied",
    /** A root profile field in the wrong case (`Given_Name`): Auth0 compares names exactly, so the field stays stored. */
    "wrong-case",
    /** A `samlp` connection with Debug Mode on: assertions, denied values included, go to tenant logs. */
    "saml-debug",
    /**
     * A connection with a deny list that does not sync profile attributes at each login
     * (`set_user_root_attributes` other than `on_each_login`): values stored before an attribute
     * was denied stay on users' root profiles.
     */
    "root-copies-kept",
]);

/** One kind of finding. */
export type FindingKind = z.infer<typeof FindingKindSchema>;

/** Something about a deny list that does not do what its author probably expects. */
export const FindingSchema = z.object({
    connection: z.string(),
    connectionId: z.string(),
    kind: FindingKindSchema,
    /** The entry concerned; absent for findings about the connection itself. */
    attribute: z.string().optional(),
    /** One line: what is wrong and what to do. */
    message: z.string(),
});

/** One finding. */
export type Finding = z.infer<typeof FindingSchema>;

/** One connection as the audit saw it: never its options, only the deny list. */
export const AuditedConnectionSchema = z.object({
    id: z.string(),
    name: z.string(),
    strategy: z.string(),
    /** `options.non_persistent_attrs` as Auth0 holds it (`null` reads as empty). */
    denyList: z.array(z.string()),
});

/** One audited connection. */
export type AuditedConnection = z.infer<typeof AuditedConnectionSchema>;

/** One connection that does not deny every entry `--require` asked for. */
export const MissingRequiredSchema = z.object({
    connection: z.string(),
    connectionId: z.string(),
    /** The required entries absent from its deny list, in the order given. */
    missing: z.array(z.string()),
    /**
     * Missing entries the list holds in another case (`gender` for a required `Gender`): Auth0
     * compares names exactly, so those do not count. Absent when there are none.
     */
    otherCase: z.array(z.object({ required: z.string(), listed: z.array(z.string()) })).optional(),
});

/** One connection lacking required entries. */
export type MissingRequired = z.infer<typeof MissingRequiredSchema>;

/** The outcome of `audit --require`: the entries, the connections checked, and those lacking some. */
export const RequiredCheckSchema = z.object({
    /** The required entries, de-duplicated, in the order given. */
    attributes: z.array(z.string()),
    /** Names of the connections checked (every connection unless `--connection` named some), in report order. */
    connections: z.array(z.string()),
    /** Checked connections lacking at least one entry, in report order; empty when every list holds them all. */
    lacking: z.array(MissingRequiredSchema),
});

/** The outcome of `audit --require`. */
export type RequiredCheck = z.infer<typeof RequiredCheckSchema>;

/** What `audit --json` prints for one tenant. */
export const AuditReportSchema = z.object({
    report: z.literal("audit"),
    /** The tenant's base URL, e.g. `https://acme.eu.auth0.com`. */
    tenant: z.string(),
    /** Every connection, sorted by name. */
    connections: z.array(AuditedConnectionSchema),
    findings: z.array(FindingSchema),
    summary: z.object({
        connections: z.number().int().nonnegative(),
        withDenyList: z.number().int().nonnegative(),
        findings: z.number().int().nonnegative(),
    }),
    /** Present only with `--require`. */
    required: RequiredCheckSchema.optional(),
});

/** The audit of one tenant. */
export type AuditReport = z.infer<typeof AuditReportSchema>;

/** How the deny lists of one connection name differ between the two tenants. */
export const DifferenceSchema = z.object({
    connection: z.string(),
    /** Which tenants have a connection of this name. */
    presentIn: z.enum(["both", "left", "right"]),
    /** Entries denied in the left tenant and not in the right one. */
    onlyLeft: z.array(z.string()),
    /** Entries denied in the right tenant and not in the left one. */
    onlyRight: z.array(z.string()),
});

/** One connection's difference. */
export type Difference = z.infer<typeof DifferenceSchema>;

/** What `audit --compare … --json` prints. */
export const CompareReportSchema = z.object({
    report: z.literal("compare"),
    /** The tenant given by the credentials / `--domain` (left) and by `--compare` (right). */
    left: AuditReportSchema,
    right: AuditReportSchema,
    /** Per connection name with different deny lists, sorted by name; empty when they match. */
    differences: z.array(DifferenceSchema),
});

/** The comparison of two tenants. */
export type CompareReport = z.infer<typeof CompareReportSchema>;
