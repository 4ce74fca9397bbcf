/**
 * `auth0-deny-list-required` as a plain function: which connections and deny lists of a stack
 * lack a required attribute, certainly or only maybe (values the engine does not know yet).
 */
import assert from "node:assert/strict";
import { type Finding, PLUGIN_TYPES, requiredAttributeFindings, type StackResource } from "../../policy";
import { connection, connectionDenyList, tenantDenyList, UNKNOWN, wiredDenyList } from "./support";

const REQUIRED = { attributes: ["birthdate", "gender"] };

// The findings as [resource name, certain, message], for one readable assertion.
function findings(resources: StackResource[], config: { attributes: string[]; strategies?: string[] } = REQUIRED) {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource.name]));
    return requiredAttributeFindings(resources, config).map((finding: Finding) => [
        byUrn.get(finding.urn),
        finding.certain,
        finding.message,
    ]);
}

describe("policy auth0-deny-list-required (pure rule)", () => {
    it("counts the provider plugin's deny lists as it counts the dynamic ones (a Python or YAML stack)", () => {
        const members = connection("members", "auth0", {});
        const plugin = (resource: StackResource, type: string) => ({
            ...resource,
            type,
            urn: resource.urn.replace(resource.type, type),
        });
        const byName = plugin(
            connectionDenyList("list", { connectionName: "members", attributes: ["birthdate", "gender"] }),
            PLUGIN_TYPES.connectionDenyList,
        );
        const tenantWide = plugin(tenantDenyList("all", { attributes: ["birthdate"] }), PLUGIN_TYPES.tenantDenyList);
        assert.deepEqual(findings([members, byName]), []);
        assert.deepEqual(
            findings([members, tenantWide]).map(([name, certain]) => [name, certain]),
            [
                ["members", true],
                ["all", true],
            ],
            "the tenant-wide list covers members but lacks gender",
        );
    });

    describe("a connection", () => {
        it("passes with every required attribute in its own options.nonPersistentAttrs", () => {
            const members = connection("members", "auth0", { nonPersistentAttrs: ["gender", "x", "birthdate"] });
            assert.deepEqual(findings([members]), []);
        });

        it("without them is a violation naming the connection and what it lacks", () => {
            const partial = connection("members", "auth0", { nonPersistentAttrs: ["birthdate"] });
            const none = connection("google", "google-oauth2", { scopes: ["email"] });
            assert.deepEqual(findings([partial, none]), [
                [
                    "members",
                    true,
                    'auth0.Connection "members" does not deny gender: add them to its options.nonPersistentAttrs, ' +
                        "to a ConnectionDenyList on it, or to a TenantDenyList that covers it.",
                ],
                [
                    "google",
                    true,
                    'auth0.Connection "google" does not deny birthdate, gender: add them to its options.nonPersistentAttrs, ' +
                        "to a ConnectionDenyList on it, or to a TenantDenyList that covers it.",
                ],
            ]);
        });

        it("is covered by a ConnectionDenyList whose connectionId was wired from it (property dependencies)", () => {
            const members = connection("members", "auth0");
            assert.deepEqual(
                findings([members, wiredDenyList("members-deny-list", members, ["birthdate", "gender"])]),
                [],
            );
        });

        it("is covered by a ConnectionDenyList with its connectionName, together with its own list", () => {
            const members = connection("members", "auth0", { nonPersistentAttrs: ["birthdate"] });
            const byName = connectionDenyList("extra", {
                connectionName: "members",
                attributes: ["gender", "birthdate"],
            });
            assert.deepEqual(findings([members, byName]), []);
        });

        it("is not covered by a ConnectionDenyList on another connection, by name or wired from it", () => {
            const members = connection("members", "auth0");
            const google = connection("google", "google-oauth2", { nonPersistentAttrs: ["birthdate", "gender"] });
            const lists = [
                connectionDenyList("by-name", { connectionName: "google", attributes: ["birthdate", "gender"] }),
                wiredDenyList("wired", google, ["birthdate", "gender"]),
            ];
            assert.deepEqual(
                findings([members, google, ...lists]).map(([name, certain]) => [name, certain]),
                [["members", true]],
            );
        });

        it("is covered by a TenantDenyList for all strategies, or for its own, unless it excludes it", () => {
            const members = connection("members", "auth0");
            const google = connection("google", "google-oauth2");
            const all = tenantDenyList("tenant", {
                attributes: ["birthdate", "gender"],
                excludeConnections: ["google"],
            });
            assert.deepEqual(
                findings([members, google, all]).map(([name]) => name),
                ["google"],
            );
            const social = tenantDenyList("social", {
                attributes: ["birthdate", "gender"],
                strategies: ["google-oauth2"],
            });
            assert.deepEqual(
                findings([members, google, social]).map(([name]) => name),
                ["members"],
            );
        });
    });

    describe("a deny list", () => {
        it("of either kind must include every required attribute itself", () => {
            const members = connection("members", "auth0", { nonPersistentAttrs: ["birthdate", "gender"] });
            const resources = [
                members,
                connectionDenyList("claims", { connectionName: "members", attributes: ["https://acme.com/ssn"] }),
                tenantDenyList("tenant", { attributes: ["gender"] }),
            ];
            assert.deepEqual(findings(resources), [
                [
                    "claims",
                    true,
                    'ConnectionDenyList "claims" does not deny birthdate, gender: every deny list must include them.',
                ],
                ["tenant", true, 'TenantDenyList "tenant" does not deny birthdate: every deny list must include them.'],
            ]);
        });
    });

    describe("strategies", () => {
        const config = { attributes: ["birthdate"], strategies: ["samlp"] };

        it("limit the check to connections of those strategies and the deny lists on them", () => {
            const saml = connection("partners", "samlp");
            const members = connection("members", "auth0");
            const resources = [
                saml,
                members,
                // On an auth0 connection: out of scope, whether the target is in the stack or only named by its output.
                wiredDenyList("members-deny-list", members, ["gender"]),
                connectionDenyList("elsewhere", { connectionName: "other", strategy: "auth0", attributes: ["gender"] }),
                tenantDenyList("social", { attributes: ["gender"], strategies: ["google-oauth2"] }),
                tenantDenyList("enterprise", { attributes: ["gender"], strategies: ["samlp", "waad"] }),
            ];
            assert.deepEqual(
                findings(resources, config).map(([name, certain]) => [name, certain]),
                [
                    ["partners", true],
                    ["enterprise", true],
                ],
            );
        });
    });

    describe("values not known yet (preview) are not violations", () => {
        it("an unknown own list makes what no deny list covers a 'may'", () => {
            const members = connection("members", "auth0", { nonPersistentAttrs: UNKNOWN });
            const list = wiredDenyList("members-deny-list", members, ["birthdate"]);
            assert.deepEqual(findings([members, list]), [
                [
                    "members",
                    false,
                    'auth0.Connection "members" may not deny gender (not known until the update: its options.nonPersistentAttrs).',
                ],
                [
                    "members-deny-list",
                    true,
                    'ConnectionDenyList "members-deny-list" does not deny gender: every deny list must include them.',
                ],
            ]);
        });

        it("unknown options, attributes or entries of a list say 'may'", () => {
            const members = connection("members", "auth0", UNKNOWN);
            const google = connection("google", "google-oauth2", { nonPersistentAttrs: ["birthdate", UNKNOWN] });
            const lists = [
                // An output not sent at all during preview is unknown too.
                connectionDenyList("missing", { connectionName: "members" }),
                connectionDenyList("entry", { connectionName: "members", attributes: [UNKNOWN, "gender"] }),
            ];
            assert.deepEqual(findings([members, google, ...lists]), [
                [
                    "members",
                    false,
                    'auth0.Connection "members" may not deny birthdate (not known until the update: its options.nonPersistentAttrs; ' +
                        'the attributes of ConnectionDenyList "missing"; the attributes of ConnectionDenyList "entry").',
                ],
                [
                    "google",
                    false,
                    'auth0.Connection "google" may not deny gender (not known until the update: its options.nonPersistentAttrs).',
                ],
                [
                    "missing",
                    false,
                    'ConnectionDenyList "missing" may not deny birthdate, gender (not known until the update: its attributes).',
                ],
                [
                    "entry",
                    false,
                    'ConnectionDenyList "entry" may not deny birthdate (not known until the update: its attributes).',
                ],
            ]);
        });

        it("a deny list that may target or cover a connection makes its entries a 'may' for it", () => {
            const members = connection("members", "auth0");
            const lists = [
                connectionDenyList("by-output", { connectionName: UNKNOWN, attributes: ["birthdate"] }),
                connectionDenyList("by-typed-id", { connectionId: "con_0123456789abcdef", attributes: ["birthdate"] }),
                tenantDenyList("tenant", { attributes: ["birthdate", "gender"], excludeConnections: UNKNOWN }),
            ];
            assert.deepEqual(findings([members, ...lists]).slice(0, 1), [
                [
                    "members",
                    false,
                    'auth0.Connection "members" may not deny birthdate, gender (not known until the update: ' +
                        'whether ConnectionDenyList "by-output" targets it; whether ConnectionDenyList "by-typed-id" targets it; ' +
                        'whether TenantDenyList "tenant" covers it).',
                ],
            ]);
            // Without the TenantDenyList nothing may deny gender: that one is certain.
            assert.deepEqual(
                findings([members, ...lists.slice(0, 2)])
                    .filter(([name]) => name === "members")
                    .map(([, certain, message]) => [certain, message]),
                [
                    [
                        true,
                        'auth0.Connection "members" does not deny gender: add them to its options.nonPersistentAttrs, ' +
                            "to a ConnectionDenyList on it, or to a TenantDenyList that covers it.",
                    ],
                    [
                        false,
                        'auth0.Connection "members" may not deny birthdate (not known until the update: ' +
                            'whether ConnectionDenyList "by-output" targets it; whether ConnectionDenyList "by-typed-id" targets it).',
                    ],
                ],
            );
        });

        it("a connection whose strategy is not known is only a 'may' when the policy names strategies", () => {
            const unknown = connection("partners", UNKNOWN);
            assert.deepEqual(findings([unknown], { attributes: ["birthdate"], strategies: ["samlp"] }), [
                [
                    "partners",
                    false,
                    'auth0.Connection "partners" may not deny birthdate (not known until the update: its strategy).',
                ],
            ]);
            assert.equal(findings([unknown], { attributes: ["birthdate"] })[0]?.[1], true);
        });
    });
});
