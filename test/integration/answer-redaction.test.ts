/**
 * Text taken from an answer never carries what the request sent (issue 23 g): a firewall or a
 * validating proxy that refuses a PATCH may quote its body — the connection's whole `options`,
 * secrets included — and that quote would reach the error Pulumi prints. Each case is a secret
 * the seeded connections hold, quoted from where a firewall rule could have matched it, over
 * real HTTP against the emulator.
 */
import assert from "node:assert/strict";
import { builtInSeed, SEED_SECRETS } from "../../emulator/seed";
import { startTenant, type Tenant } from "../support/tenant";

/** Where each seeded secret sits: connection id and key path in its options. */
function seededSecrets(): { id: string; path: string; secret: string }[] {
    const found: { id: string; path: string; secret: string }[] = [];
    const walk = (id: string, value: unknown, path: string) => {
        if (typeof value === "string" && SEED_SECRETS.includes(value)) found.push({ id, path, secret: value });
        else if (value && typeof value === "object")
            for (const [key, inner] of Object.entries(value)) walk(id, inner, path ? `${path}.${key}` : key);
    };
    for (const connection of builtInSeed()) walk(connection.id, connection.options, "");
    return found;
}

/** Any 12 characters of `secret` (as written, or JSON-escaped as a quoted body holds it) found in `text`. */
function fragmentIn(text: string, secret: string): string | undefined {
    for (const form of [secret, JSON.stringify(secret).slice(1, -1)]) {
        for (let i = 0; i + 12 <= form.length; i++) {
            const fragment = form.slice(i, i + 12);
            if (text.includes(fragment)) return fragment;
        }
    }
    return undefined;
}

describe("answers that quote the request", () => {
    let tenant: Tenant;
    afterEach(() => tenant?.emulator.stop());

    const cases = seededSecrets();
    it("the seed holds every secret-bearing key the tests expect", () => {
        assert.deepEqual(
            cases.map((c) => c.path),
            [
                "configuration.API_KEY",
                "configuration.DB_PASSWORD",
                "client_secret",
                "signing_key.key",
                "decryptionKey.key",
                "client_secret",
                "client_secret",
            ],
        );
    });

    for (const { id, path, secret } of cases) {
        it(`a firewall 400 quoting ${path} of ${id} prints none of it`, async () => {
            tenant = await startTenant();
            // The quote starts inside the value (past a PEM's first line), as a rule matching its middle would.
            const quoteFrom = JSON.stringify(secret)
                .slice(1, -1)
                .replace(/^-----BEGIN [A-Z ]+-----\\n/, "")
                .slice(0, 24);
            tenant.emulator.injectFault({ kind: "quote", method: "PATCH", quoteFrom });
            const error: Error = await tenant.provider.create({ connectionId: id, attributes: ["a"] }).then(
                () => assert.fail("the PATCH was refused"),
                (e: Error) => e,
            );
            assert.match(error.message, /HTTP 400 "Request blocked by a firewall rule near: .*\[redacted\]/);
            assert.equal(fragmentIn(error.message, secret), undefined, error.message);
            assert.ok(!tenant.log.some((line) => fragmentIn(line, secret)), tenant.log.join("\n"));
        });
    }
});
