import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const PROVIDER = path.join(__dirname, "..", "..", "provider");

// Every relative module a file of `folder` imports, as a path under provider/.
function importsOf(folder: string): { file: string; target: string }[] {
    return readdirSync(path.join(PROVIDER, folder)).flatMap((name) => {
        const text = readFileSync(path.join(PROVIDER, folder, name), "utf8");
        return [...text.matchAll(/from "(\.{1,2}\/[^"]+)"/g)].map((match) => ({
            file: `${folder}/${name}`,
            target: path.relative(PROVIDER, path.join(PROVIDER, folder, match[1])),
        }));
    });
}

describe("layout (DESIGN.md §5)", () => {
    it("the pure core imports nothing from the Auth0 layer, the provider host or the program side", () => {
        const outside = importsOf("core").filter(({ target }) => !target.startsWith("core/"));
        assert.deepEqual(outside, []);
    });

    it("the program side never loads the provider host or the Auth0 layer (it runs in the Pulumi program)", () => {
        const crossing = importsOf("program").filter(({ target }) => /^(host|auth0)\//.test(target));
        assert.deepEqual(crossing, []);
    });
});
