import assert from "node:assert/strict";
import { rootCopiesKept, rootCopiesProblem, rootCopiesWarning } from "../../provider/core/stored-data";

const connection = (options: Record<string, unknown> | null | undefined) => ({ name: "partner-sso", options });

describe("stored data: which connections keep root-profile copies of denied attributes", () => {
    it("a login clears them only under on_each_login, which is also what an absent key means", () => {
        for (const options of [{}, { set_user_root_attributes: "on_each_login" }, null, undefined]) {
            assert.equal(rootCopiesKept(connection(options)), undefined, JSON.stringify(options));
        }
        for (const setting of ["on_first_login", "never_on_login"]) {
            assert.deepEqual(rootCopiesKept(connection({ set_user_root_attributes: setting })), {
                name: "partner-sso",
                setting,
            });
        }
    });

    it("a value it does not know counts as keeping them, shown as Auth0 holds it", () => {
        assert.deepEqual(rootCopiesKept(connection({ set_user_root_attributes: true })), {
            name: "partner-sso",
            setting: "true",
        });
        assert.equal(
            rootCopiesKept(connection({ set_user_root_attributes: "On_Each_Login" }))?.setting,
            "On_Each_Login",
        );
    });

    it("the warning names the connection, the setting and the fix", () => {
        assert.equal(
            rootCopiesWarning([{ name: "partner-sso", setting: "on_first_login" }]),
            `warning: connection partner-sso: ${rootCopiesProblem("on_first_login")}`,
        );
        assert.match(
            rootCopiesProblem("on_first_login"),
            /^set_user_root_attributes is "on_first_login": a denied attribute Auth0 already stored for a user leaves that user's identity at the next login but stays on the root profile\. Set set_user_root_attributes to "on_each_login" \(dashboard: Sync user profile attributes at each login\)/,
        );
    });

    it("several connections make one line, naming the first ten by name", () => {
        const many = Array.from({ length: 12 }, (_, i) => ({
            name: `c${String(12 - i).padStart(2, "0")}`,
            setting: "on_first_login",
        }));
        const line = rootCopiesWarning(many);
        assert.match(
            line,
            /^warning: 12 connections do not sync profile attributes at each login \(c01 "on_first_login", c02 /,
        );
        assert.match(line, /c10 "on_first_login", …\): .*Set set_user_root_attributes to "on_each_login" on them/);
        assert.doesNotMatch(line, /c11|c12/);
        assert.equal(line.split("\n").length, 1);
    });
});
