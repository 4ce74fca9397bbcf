/**
 * `auth0-deny-list-required` as a pure function: every in-scope `auth0.Connection` of the stack
 * denies every required attribute (by its own list, a ConnectionDenyList on it or a
 * TenantDenyList that covers it), and every deny list of the stack includes them itself.
 */
import type { RequiredAttributesConfig } from "./config";
import { describe, type Finding, listed } from "./finding";
import { contains, covers, type Reach, targets } from "./reach";
import { type Auth0Stack, type Connection, type NameList, readStack, type StackResource } from "./stack";

/** The findings of `auth0-deny-list-required` on a stack's resources. */
export function requiredAttributeFindings(resources: StackResource[], config: RequiredAttributesConfig): Finding[] {
    const stack = readStack(resources);
    const { attributes, strategies } = config;
    return [
        ...stack.connections.flatMap((connection) => connectionFindings(connection, stack, config)),
        ...stack.connectionDenyLists.flatMap((list) => {
            const target = stack.connections.find(
                (connection) => targets(list, connection, stack.connections) === "yes",
            );
            const scope = inScope(strategies, target?.strategy ?? list.strategy);
            return denyListFindings(list.resource.urn, describe(list.resource), list.attributes, scope, attributes);
        }),
        ...stack.tenantDenyLists.flatMap((list) => {
            const scope =
                strategies === undefined || list.strategies === "all" ? "yes" : overlaps(list.strategies, strategies);
            return denyListFindings(list.resource.urn, describe(list.resource), list.attributes, scope, attributes);
        }),
    ];
}

// Something that may write entries to a connection, and what decides it during preview.
interface Source {
    reach: Reach;
    attributes: NameList;
    /** Names its entries in a "not known until the update" message. */
    entries: string;
    /** Names what decides whether it writes to the connection, for a deny list. */
    question?: string;
}

function connectionFindings(connection: Connection, stack: Auth0Stack, config: RequiredAttributesConfig): Finding[] {
    const scope = inScope(config.strategies, connection.strategy);
    if (scope === "no") return [];
    const sources = sourcesOf(connection, stack).filter((source) => source.reach !== "no");
    const denies = (name: string) =>
        sources.some((source) => source.reach === "yes" && source.attributes.names.includes(name));
    const mayDeny = (source: Source, name: string) =>
        !source.attributes.complete || source.attributes.names.includes(name);
    const lacking = config.attributes.filter((name) => !denies(name));
    const missing = scope === "yes" ? lacking.filter((name) => !sources.some((source) => mayDeny(source, name))) : [];
    const unsure = lacking.filter((name) => !missing.includes(name));
    const findings: Finding[] = [];
    const { urn } = connection.resource;
    const subject = describe(connection.resource);
    if (missing.length > 0) {
        findings.push({
            urn,
            certain: true,
            message:
                `${subject} does not deny ${listed(missing)}: add them to its options.nonPersistentAttrs, ` +
                "to a ConnectionDenyList on it, or to a TenantDenyList that covers it.",
        });
    }
    if (unsure.length > 0) {
        const unknowns = [
            ...(scope === "maybe" ? ["its strategy"] : []),
            ...sources
                .filter((source) => unsure.some((name) => mayDeny(source, name)))
                .flatMap((source) => [
                    ...(source.reach === "maybe" && source.question ? [source.question] : []),
                    ...(source.attributes.complete ? [] : [source.entries]),
                ]),
        ];
        findings.push(mayNotDeny(urn, subject, unsure, unknowns));
    }
    return findings;
}

function sourcesOf(connection: Connection, stack: Auth0Stack): Source[] {
    const own: Source[] =
        connection.denied === "absent"
            ? []
            : [{ reach: "yes", attributes: connection.denied, entries: "its options.nonPersistentAttrs" }];
    return [
        ...own,
        ...stack.connectionDenyLists.map((list) => ({
            reach: targets(list, connection, stack.connections),
            attributes: list.attributes,
            entries: `the attributes of ${describe(list.resource)}`,
            question: `whether ${describe(list.resource)} targets it`,
        })),
        ...stack.tenantDenyLists.map((list) => ({
            reach: covers(list, connection),
            attributes: list.attributes,
            entries: `the attributes of ${describe(list.resource)}`,
            question: `whether ${describe(list.resource)} covers it`,
        })),
    ];
}

function denyListFindings(
    urn: string,
    subject: string,
    attributes: NameList,
    scope: Reach,
    required: string[],
): Finding[] {
    if (scope === "no") return [];
    const lacking = required.filter((name) => !attributes.names.includes(name));
    if (lacking.length === 0) return [];
    if (scope === "yes" && attributes.complete) {
        return [
            {
                urn,
                certain: true,
                message: `${subject} does not deny ${listed(lacking)}: every deny list must include them.`,
            },
        ];
    }
    const unknowns = [
        ...(attributes.complete ? [] : ["its attributes"]),
        ...(scope === "maybe" ? ["its strategy"] : []),
    ];
    return [mayNotDeny(urn, subject, lacking, unknowns)];
}

// A finding that depends on values the engine does not know yet, naming them.
function mayNotDeny(urn: string, subject: string, names: string[], unknowns: string[]): Finding {
    const message = `${subject} may not deny ${listed(names)} (not known until the update: ${unknowns.join("; ")}).`;
    return { urn, certain: false, message };
}

// Whether a connection of `strategy` is checked: every one when the policy names no strategies.
function inScope(strategies: string[] | undefined, strategy: string | undefined): Reach {
    return strategies === undefined ? "yes" : contains({ names: strategies, complete: true }, strategy);
}

// Whether a TenantDenyList's strategies include one the policy checks.
function overlaps(covered: NameList, strategies: string[]): Reach {
    if (strategies.some((strategy) => covered.names.includes(strategy))) return "yes";
    return covered.complete ? "no" : "maybe";
}
