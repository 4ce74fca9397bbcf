import assert from "node:assert/strict";
import { caseWarnings, DeclarationRegistry, emptyExclusiveWarning } from "../../provider/program/warnings";

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

    it("names a connection by id or by name in duplicate warnings", () => {
        const registry = new DeclarationRegistry();
        registry.declare("a", { name: "Username-Password-Authentication" }, ["x"]);
        const byName = registry.declare("b", { name: "Username-Password-Authentication" }, ["x"]);
        assert.match(byName.warnings[0], /^b and a both declare "x" on connection "Username-Password-Authentication";/);
        registry.declare("c", { id: "con_A1" }, ["x"]);
        assert.match(registry.declare("d", { id: "con_A1" }, ["x"]).warnings[0], /on connection con_A1;/);
        assert.deepEqual(registry.declare("e", { name: "con_A1" }, ["x"]).warnings, [], "a name is not an id");
    });

    it("refuses an exclusive resource next to any other on the same connection, in either order", () => {
        const registry = new DeclarationRegistry();
        assert.deepEqual(registry.declare("m1", { id: "con_A1" }, ["a"]).errors, []);
        assert.deepEqual(registry.declare("m2", { id: "con_A1" }, ["b"]).errors, [], "two merge resources are fine");
        const errors = registry.declare("ex", { id: "con_A1" }, ["c"], true).errors;
        assert.equal(errors.length, 2);
        assert.match(errors[0], /resources "m1" and "ex" both target connection con_A1, and "ex" is exclusive/);
        const later = registry.declare("m3", { id: "con_A1" }, ["d"]).errors;
        assert.equal(later.length, 1);
        assert.match(later[0], /"ex" and "m3" both target connection con_A1, and "ex" is exclusive/);
        assert.deepEqual(registry.declare("ex2", { id: "con_B2" }, [], true).errors, [], "another connection");
        assert.equal(registry.declare("ex", { id: "con_A1" }, ["c"], true).errors.length, 3, "not with itself");
    });
});
