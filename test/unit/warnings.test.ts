import assert from "node:assert/strict";
import { caseWarnings, duplicateWarning, emptyExclusiveWarning } from "../../provider/program/warnings";

describe("program-side warnings", () => {
    it("warns once per root field in the wrong case, and not for claims or correct fields", () => {
        const warnings = caseWarnings([
            "Email",
            "Email",
            "GIVEN_NAME",
            "email",
            "Department",
            "https://Acme.com/Email",
        ]);
        assert.equal(warnings.length, 2, warnings.join("\n"));
        assert.match(warnings[0], /^"Email" is not the profile field "email": .*Write "email"/);
        assert.match(warnings[1], /^"GIVEN_NAME" is not the profile field "given_name"/);
    });

    it("warns when an exclusive list is empty, only then", () => {
        assert.equal(emptyExclusiveWarning([], true).length, 1);
        assert.deepEqual(emptyExclusiveWarning([], false), []);
        assert.deepEqual(emptyExclusiveWarning(["a"], true), []);
    });

    it("names a connection by id, by name, or by the resource its id comes from in duplicate warnings", () => {
        assert.match(
            duplicateWarning("b", "a", "x", { name: "Username-Password-Authentication" }),
            /^b and a both declare "x" on connection "Username-Password-Authentication";/,
        );
        assert.match(duplicateWarning("d", "c", "x", { id: "con_A1" }), /on connection con_A1;/);
        assert.match(
            duplicateWarning("f", "e", "x", { from: "auth0:index/connection:Connection#2" }),
            /on the connection of auth0:index\/connection:Connection auth0:index\/connection:Connection#2;/,
        );
    });
});
