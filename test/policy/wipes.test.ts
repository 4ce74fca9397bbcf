/**
 * `auth0-connection-wipes-deny-list` as a plain function: an `auth0.Connection` that declares no
 * deny list, with a deny list of the stack on it whose `triggers` do not come from it.
 */
import assert from "node:assert/strict";
import { type StackResource, wipedDenyListFindings } from "../../policy";
import { connection, connectionDenyList, tenantDenyList, UNKNOWN, wiredDenyList } from "./support";

const ATTRIBUTES = ["birthdate", "gender"];

// [resource name, certain] per finding.
function findings(resources: StackResource[]) {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource.name]));
    return wipedDenyListFindings(resources).map((finding) => [byUrn.get(finding.urn), finding.certain]);
}

describe("policy auth0-connection-wipes-deny-list (pure rule)", () => {
    const members = connection("members", "auth0", { passwordPolicy: "good" });

    it("fires for a Connection without nonPersistentAttrs and a deny list on it without triggers from it", () => {
        const [finding, ...rest] = wipedDenyListFindings([
            members,
            wiredDenyList("members-deny-list", members, ATTRIBUTES),
        ]);
        assert.deepEqual(rest, []);
        assert.equal(finding?.urn, members.urn);
        assert.equal(finding?.certain, true);
        assert.equal(
            finding?.message,
            'auth0.Connection "members" declares no options.nonPersistentAttrs, so its next update wipes the entries ' +
                'ConnectionDenyList "members-deny-list" wrote (Auth0 replaces options whole). Compute the triggers of ' +
                'ConnectionDenyList "members-deny-list" from the Connection\'s outputs so it re-applies them in the same ' +
                "update (docs/with-pulumi-auth0.md).",
        );
    });

    it("is quiet when the deny list's triggers depend on the Connection", () => {
        assert.deepEqual(findings([members, wiredDenyList("members-deny-list", members, ATTRIBUTES, true)]), []);
    });

    it("counts triggers from another resource, and a deny list found by name, as unprotected", () => {
        const other = connection("other", "auth0", { nonPersistentAttrs: ATTRIBUTES });
        const byName = connectionDenyList(
            "by-name",
            { connectionName: "members", attributes: ATTRIBUTES, triggers: [UNKNOWN] },
            { triggers: [other.urn] },
        );
        assert.deepEqual(findings([members, other, byName]), [["members", true]]);
    });

    it("is quiet when the Connection declares entries, or no deny list of the stack writes to it", () => {
        const owning = connection("owning", "auth0", { nonPersistentAttrs: ["birthdate"] });
        const google = connection("google", "google-oauth2");
        const resources = [
            owning,
            google,
            wiredDenyList("owning-deny-list", owning, ATTRIBUTES),
            connectionDenyList("elsewhere", { connectionName: "not-in-this-stack", attributes: ATTRIBUTES }),
            tenantDenyList("saml", { attributes: ATTRIBUTES, strategies: ["samlp"] }),
        ];
        assert.deepEqual(findings(resources), []);
    });

    it("fires for an empty list (the update sends it) and for a TenantDenyList that covers the Connection", () => {
        const empty = connection("empty", "auth0", { nonPersistentAttrs: [] });
        const tenant = tenantDenyList("tenant", { attributes: ATTRIBUTES, excludeConnections: ["members"] });
        assert.deepEqual(findings([members, empty, tenant]), [["empty", true]]);
    });

    it("says 'may' when the Connection's list is not known yet, and nothing when the target is not", () => {
        const unknownList = connection("unknown-list", "auth0", { nonPersistentAttrs: UNKNOWN });
        const maybeTarget = connectionDenyList("maybe", { connectionName: UNKNOWN, attributes: ATTRIBUTES });
        const [finding] = wipedDenyListFindings([
            unknownList,
            wiredDenyList("wired", unknownList, ATTRIBUTES),
            maybeTarget,
        ]);
        assert.equal(finding?.certain, false);
        assert.match(
            finding?.message ?? "",
            /^auth0\.Connection "unknown-list" may declare no options\.nonPersistentAttrs \(not known until the update\); then its next update wipes the entries ConnectionDenyList "wired" wrote/,
        );
        assert.deepEqual(findings([members, maybeTarget]), []);
    });
});
