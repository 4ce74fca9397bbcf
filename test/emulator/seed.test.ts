import assert from "node:assert/strict";
import type { Connection } from "../../emulator";
import { builtInSeed, SEED_IDS, SEED_SECRETS } from "../../emulator/seed";

const byStrategy = (strategy: string): Connection => {
    const connection = builtInSeed().find((c) => c.strategy === strategy);
    assert.ok(connection, strategy);
    return connection;
};
const options = (strategy: string) => byStrategy(strategy).options as Record<string, unknown>;

describe("emulator built-in seed", () => {
    it("has one connection per strategy, with the fixed ids and names", () => {
        assert.deepEqual(
            builtInSeed().map((c) => [c.id, c.strategy, c.name]),
            [
                [SEED_IDS.auth0, "auth0", "Username-Password-Authentication"],
                [SEED_IDS.google, "google-oauth2", "google-oauth2"],
                [SEED_IDS.samlp, "samlp", "acme-saml"],
                [SEED_IDS.waad, "waad", "acme-azure-ad"],
                [SEED_IDS.oidc, "oidc", "acme-oidc"],
            ],
        );
        for (const connection of builtInSeed()) {
            assert.match(connection.id, /^con_[A-Za-z0-9]{16}$/);
            assert.ok(connection.display_name && connection.metadata && connection.enabled_clients?.length);
            assert.deepEqual(connection.realms, [connection.name]);
        }
    });

    it("returns a fresh copy each time", () => {
        const first = builtInSeed();
        (first[0].options as Record<string, unknown>).non_persistent_attrs = [];
        assert.deepEqual(options("auth0").non_persistent_attrs, ["ethnicity", "gender"]);
    });

    it("holds every listed secret, each clearly fake", () => {
        const text = JSON.stringify(builtInSeed());
        assert.equal(SEED_SECRETS.length, 7);
        for (const secret of SEED_SECRETS) {
            assert.ok(text.includes(JSON.stringify(secret).slice(1, -1)), secret);
            assert.match(secret, /FAKE/);
        }
    });

    it("gives auth0 a password policy, MFA, encrypted custom-DB configuration and a deny list", () => {
        const db = options("auth0");
        assert.equal(db.passwordPolicy, "good");
        assert.deepEqual(db.password_complexity_options, { min_length: 12 });
        assert.deepEqual(db.mfa, { active: true, return_enroll_settings: true });
        assert.equal(db.brute_force_protection, true);
        assert.match(String((db.configuration as Record<string, string>).API_KEY), /^CkIKIFB7/);
        assert.ok(db.customScripts);
        assert.deepEqual(db.non_persistent_attrs, ["ethnicity", "gender"]);
    });

    it("gives google-oauth2 a client secret, a scope array and allowed audiences", () => {
        const google = options("google-oauth2");
        assert.ok(SEED_SECRETS.includes(String(google.client_secret)));
        assert.ok(Array.isArray(google.scope) && Array.isArray(google.allowed_audiences));
        assert.equal("non_persistent_attrs" in google, false);
    });

    it("gives samlp private keys, Auth0-managed keys and debug mode on", () => {
        const saml = options("samlp");
        for (const pair of [saml.signing_key, saml.decryptionKey] as { cert: string; key: string }[]) {
            assert.match(pair.key, /FAKE-PRIVATE-KEY/);
            assert.ok(SEED_SECRETS.includes(pair.key));
            assert.match(pair.cert, /BEGIN CERTIFICATE/);
        }
        assert.equal(saml.debug, true);
        for (const key of ["thumbprints", "cert_rollover_notification", "fieldsMap", "idpinitiated"]) {
            assert.ok(key in saml, key);
        }
    });

    it("gives waad a null deny list and Auth0-managed keys", () => {
        const waad = options("waad");
        assert.equal(waad.non_persistent_attrs, null);
        for (const key of ["client_secret", "thumbprints", "app_domain", "granted", "tenantId"])
            assert.ok(key in waad, key);
    });

    it("holds set_user_root_attributes in Auth0's shapes: absent by default, else the recorded strings", () => {
        const settings = builtInSeed().map((c) => [
            c.strategy,
            (c.options as Record<string, unknown>).set_user_root_attributes,
        ]);
        assert.deepEqual(settings, [
            ["auth0", undefined],
            ["google-oauth2", "on_each_login"],
            ["samlp", "on_each_login"],
            ["waad", "on_first_login"],
            ["oidc", undefined],
        ]);
        for (const connection of builtInSeed()) {
            assert.equal(
                "set_user_root_attributes" in (connection.options ?? {}),
                settings.some(([s, v]) => s === connection.strategy && v !== undefined),
            );
        }
    });

    it("gives oidc a claim URL in its deny list, a string scope, a null endpoint and an unknown key", () => {
        const oidc = options("oidc");
        assert.deepEqual(oidc.non_persistent_attrs, ["https://acme.com/temporary_idtoken"]);
        assert.equal(oidc.scope, "openid profile");
        assert.equal(oidc.userinfo_endpoint, null);
        assert.deepEqual(oidc.x_future_option, { nested: [1, "two", null] });
    });
});
