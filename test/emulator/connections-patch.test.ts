import assert from "node:assert/strict";
import type { Connection } from "../../emulator";
import { builtInSeed, SEED_IDS } from "../../emulator/seed";
import { accessToken, apiErrorBody, authorized, type Response, record, request, useEmulator } from "./helpers";

const PATH = `/api/v2/connections/${SEED_IDS.auth0}`;

const seeded = (id: string) => builtInSeed().find((c) => c.id === id) as Connection;

const invalidBody = (message: string) => apiErrorBody(400, "Bad Request", message, "invalid_body");

describe("emulator PATCH /api/v2/connections/{id}", () => {
    const emulator = useEmulator();
    const patch = (body: unknown, path = PATH): Promise<Response> => authorized(emulator(), "PATCH", path, { body });

    it("replaces options whole, without merging", async () => {
        const path = `/api/v2/connections/${SEED_IDS.google}`;
        const response = await patch({ options: { non_persistent_attrs: ["email"] } }, path);
        assert.equal(response.status, 200);
        assert.deepEqual(emulator().connection(SEED_IDS.google)?.options, { non_persistent_attrs: ["email"] });
        assert.deepEqual((response.json as Connection).options, { non_persistent_attrs: ["email"] });
    });

    it("keeps only the omitted option keys Auth0 was recorded keeping (auth0 strategy)", async () => {
        const stored = seeded(SEED_IDS.auth0).options ?? {};
        const response = await patch({ options: { non_persistent_attrs: ["email"], passkey_options: {} } });
        assert.equal(response.status, 200);
        // mfa, passwordPolicy, configuration, customScripts, … are gone, as in Auth0's answers.
        const expected = {
            non_persistent_attrs: ["email"],
            passkey_options: {},
            authentication_methods: stored.authentication_methods,
            brute_force_protection: stored.brute_force_protection,
        };
        assert.deepEqual((response.json as Connection).options, expected);
        assert.deepEqual(emulator().connection(SEED_IDS.auth0)?.options, expected);
    });

    it("keeps oidc_metadata while discovery_url is unchanged, and drops it for a new one", async () => {
        const path = `/api/v2/connections/${SEED_IDS.oidc}`;
        const stored = seeded(SEED_IDS.oidc).options ?? {};
        const same = await patch({ options: { discovery_url: stored.discovery_url } }, path);
        assert.deepEqual((same.json as Connection).options, {
            discovery_url: stored.discovery_url,
            oidc_metadata: stored.oidc_metadata,
            attribute_map: stored.attribute_map,
        });
        const moved = await patch({ options: { discovery_url: "https://idp.example/.well-known/x" } }, path);
        assert.deepEqual((moved.json as Connection).options, {
            discovery_url: "https://idp.example/.well-known/x",
            attribute_map: stored.attribute_map,
        });
    });

    it("answers with the full connection", async () => {
        const response = await patch({ display_name: "Renamed" });
        assert.deepEqual(response.json, { ...seeded(SEED_IDS.auth0), display_name: "Renamed" });
    });

    it("keeps display_name when the body omits it, instead of resetting it to the name", async () => {
        const response = await patch({ show_as_button: true });
        assert.equal(response.status, 200);
        assert.equal(record(response).display_name, "Acme Customers");
        const stored = emulator().connection(SEED_IDS.auth0);
        assert.equal(stored?.display_name, "Acme Customers");
        assert.equal(stored?.show_as_button, true);
    });

    it("leaves a connection without display_name without one", async () => {
        emulator().update(SEED_IDS.auth0, (c) => {
            delete c.display_name;
        });
        const response = await patch({ show_as_button: true });
        assert.equal(response.status, 200);
        assert.equal(Object.hasOwn(record(response), "display_name"), false);
        assert.equal(Object.hasOwn(emulator().connection(SEED_IDS.auth0) ?? {}, "display_name"), false);
    });

    it("keeps everything else when the whole options object and display_name are sent back", async () => {
        for (const original of builtInSeed()) {
            const options = { ...original.options, non_persistent_attrs: ["family_name"] };
            const path = `/api/v2/connections/${original.id}`;
            const response = await patch({ options, display_name: original.display_name }, path);
            assert.equal(response.status, 200, original.strategy);
            assert.deepEqual(emulator().connection(original.id), { ...original, options });
        }
    });

    it("refuses id, name, strategy and enabled_clients with Auth0's message, changing nothing", async () => {
        const cases: [Record<string, unknown>, string][] = [
            [{ id: SEED_IDS.auth0 }, "id"],
            [{ name: "renamed" }, "name"],
            [{ strategy: "samlp", display_name: "x" }, "strategy"],
            [{ enabled_clients: [] }, "enabled_clients"],
            [{ strategy: "samlp", name: "renamed", options: {} }, "strategy,name"],
        ];
        for (const [body, keys] of cases) {
            const response = await patch(body);
            assert.equal(response.status, 400, keys);
            assert.deepEqual(
                response.json,
                invalidBody(`Payload validation error: 'Additional properties not allowed: ${keys}'.`),
            );
        }
        assert.deepEqual(emulator().connection(SEED_IDS.auth0), seeded(SEED_IDS.auth0));
    });

    it("refuses a null, too long or non-string deny list", async () => {
        const property = "on property options.non_persistent_attrs";
        const cases: [unknown, string][] = [
            [null, `'Expected type array but found type null' ${property}.`],
            ["email", `'Expected type array but found type string' ${property}.`],
            [Array.from({ length: 97 }, (_, i) => `a${i}`), `'Array is too long (97), maximum 96' ${property}.`],
            [["ok", "x".repeat(256)], `'String is too long (256 chars), maximum 255' ${property}[1].`],
            [["ok", 7], `'Expected type string but found type integer' ${property}[1].`],
        ];
        for (const [denyList, detail] of cases) {
            const response = await patch({ options: { non_persistent_attrs: denyList } });
            assert.equal(response.status, 400, detail);
            assert.deepEqual(response.json, invalidBody(`Payload validation error: ${detail}`));
        }
        assert.deepEqual(emulator().connection(SEED_IDS.auth0), seeded(SEED_IDS.auth0));
    });

    it("accepts 96 entries of 255 chars, and [] to clear the list", async () => {
        const full = Array.from({ length: 96 }, (_, i) => String(i).padStart(255, "x"));
        assert.equal((await patch({ options: { non_persistent_attrs: full } })).status, 200);
        assert.equal((await patch({ options: { non_persistent_attrs: [] } })).status, 200);
        assert.deepEqual(emulator().connection(SEED_IDS.auth0)?.options?.non_persistent_attrs, []);
    });

    it("checks the types of the other properties", async () => {
        const cases: [unknown, string][] = [
            [[], "'Expected type object but found type array'."],
            [{ display_name: 5 }, "'Expected type string but found type integer' on property display_name."],
            [{ options: null }, "'Expected type object but found type null' on property options."],
            [{ realms: "acme" }, "'Expected type array but found type string' on property realms."],
            [{ metadata: { n: 1 } }, "'Expected type string but found type integer' on property metadata.n."],
            [
                { is_domain_connection: "yes" },
                "'Expected type boolean but found type string' on property is_domain_connection.",
            ],
        ];
        for (const [body, detail] of cases) {
            const response = await patch(body);
            assert.deepEqual(response.json, invalidBody(`Payload validation error: ${detail}`));
        }
    });

    it("accepts the newer top-level fields of Auth0's published schema, and stores them", async () => {
        const accepted: Record<string, unknown>[] = [
            { authentication: { active: true } },
            { connected_accounts: { active: true, cross_app_access: true, allow_missing_user_id: false } },
            { cross_app_access_requesting_app: { active: false } },
            { cross_app_access_resource_app: { status: "enabled" } },
            { cross_app_access_resource_app: null },
        ];
        let expected: Connection = seeded(SEED_IDS.auth0);
        for (const body of accepted) {
            const response = await patch(body);
            assert.equal(response.status, 200, response.text);
            expected = { ...expected, ...body };
            assert.deepEqual(emulator().connection(SEED_IDS.auth0), expected);
        }
    });

    it("checks the shapes of the purpose and Cross App Access fields", async () => {
        const cases: [unknown, string][] = [
            [{ authentication: {} }, "'Missing required property: active' on property authentication."],
            [
                { connected_accounts: { active: true, tokens: 1 } },
                "'Additional properties not allowed: tokens' on property connected_accounts.",
            ],
            [
                { cross_app_access_requesting_app: { active: "yes" } },
                "'Expected type boolean but found type string' on property cross_app_access_requesting_app.active.",
            ],
            [
                { cross_app_access_resource_app: { status: "on" } },
                `'No enum match for: "on"' on property cross_app_access_resource_app.status.`,
            ],
        ];
        for (const [body, detail] of cases) {
            const response = await patch(body);
            assert.deepEqual(response.json, invalidBody(`Payload validation error: ${detail}`));
        }
        assert.deepEqual(emulator().connection(SEED_IDS.auth0), seeded(SEED_IDS.auth0));
    });

    it("answers 404 for an unknown connection", async () => {
        const response = await patch({ display_name: "x" }, "/api/v2/connections/con_0000000000000000");
        assert.equal(response.status, 404);
        assert.equal((response.json as { errorCode: string }).errorCode, "inexistent_connection");
    });
});

describe("emulator update() (out-of-band changes)", () => {
    const emulator = useEmulator();

    it("changes a connection as another admin would, visible over HTTP", async () => {
        emulator().update(SEED_IDS.google, (c) => {
            c.options = { ...c.options, non_persistent_attrs: ["picture"] };
        });
        const token = await accessToken(emulator());
        const response = await request(emulator(), "GET", `/api/v2/connections/${SEED_IDS.google}`, { token });
        assert.deepEqual((response.json as Connection).options?.non_persistent_attrs, ["picture"]);
    });

    it("throws for an unknown id and leaves the store alone when mutate throws", () => {
        assert.throws(() => emulator().update("con_0000000000000000", () => {}), /con_0000000000000000/);
        assert.throws(() =>
            emulator().update(SEED_IDS.google, (c) => {
                c.display_name = "half-done";
                throw new Error("boom");
            }),
        );
        assert.equal(emulator().connection(SEED_IDS.google)?.display_name, "Google");
    });
});
