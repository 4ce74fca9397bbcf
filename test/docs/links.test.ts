/**
 * The documentation holds together: every relative link of README.md and docs/*.md reaches a
 * file or folder of the repository, every `#anchor` one of the target's headings (as GitHub
 * makes anchors), and README.md stays one sitting (at most 250 lines).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../../harness/install";
import { anchorsOf, githubSlug, linksOf } from "./markdown";

/** README.md's length limit, in lines: what a newcomer reads in one sitting (issue 26). */
const README_MAX_LINES = 250;

function documentation(): string[] {
    const docs = readdirSync(path.join(REPO_ROOT, "docs"))
        .filter((name) => name.endsWith(".md"))
        .map((name) => path.join(REPO_ROOT, "docs", name));
    return [path.join(REPO_ROOT, "README.md"), ...docs];
}

/** Every link of `file` that does not resolve, as `file:line target (why)`. */
function brokenLinks(file: string): string[] {
    const shown = path.relative(REPO_ROOT, file);
    return linksOf(readFileSync(file, "utf8")).flatMap(({ target, line }) => {
        const problem = linkProblem(file, target);
        return problem === undefined ? [] : [`${shown}:${line} ${target} (${problem})`];
    });
}

function linkProblem(file: string, target: string): string | undefined {
    // Other sites are not this test's to reach (nothing leaves the machine).
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined;
    const [pathPart, anchor] = splitAnchor(decodeURI(target));
    const resolved = pathPart === "" ? file : path.resolve(path.dirname(file), pathPart);
    if (path.relative(REPO_ROOT, resolved).startsWith("..")) return "outside the repository";
    if (!existsSync(resolved)) return "no such file or folder";
    if (anchor === undefined) return undefined;
    if (statSync(resolved).isDirectory() || !resolved.endsWith(".md")) return "an anchor into something not Markdown";
    const anchors = anchorsOf(readFileSync(resolved, "utf8"));
    return anchors.includes(anchor) ? undefined : `no heading with the anchor #${anchor}`;
}

function splitAnchor(target: string): [string, string | undefined] {
    const hash = target.indexOf("#");
    return hash === -1 ? [target, undefined] : [target.slice(0, hash), target.slice(hash + 1)];
}

describe("documentation links", () => {
    it("GitHub's anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered", () => {
        const seen = new Map<string, number>();
        assert.deepEqual(
            [
                "Using with @pulumi/auth0",
                "Use from Python, Go, .NET, Java or YAML",
                "`pulumi import` and the `non_persistent_attrs` key",
                "TenantDenyList: one deny list for every connection",
                "[Linked](https://example.com) *heading*",
                "Limits",
                "Limits",
            ].map((heading) => githubSlug(heading, seen)),
            [
                "using-with-pulumiauth0",
                "use-from-python-go-net-java-or-yaml",
                "pulumi-import-and-the-non_persistent_attrs-key",
                "tenantdenylist-one-deny-list-for-every-connection",
                "linked-heading",
                "limits",
                "limits-1",
            ],
        );
    });

    it("finds links outside code only, and anchors of headings outside code only", () => {
        const markdown = [
            "# Title",
            "See [a](docs/a.md#x) and `[not](a/link)`.",
            "```sh",
            "# not a heading [nor](a/link)",
            "```",
            "## Second `part`",
            '![img](pic.png "title")',
        ].join("\n");
        assert.deepEqual(anchorsOf(markdown), ["title", "second-part"]);
        assert.deepEqual(linksOf(markdown), [
            { target: "docs/a.md#x", line: 2 },
            { target: "pic.png", line: 7 },
        ]);
    });

    for (const file of documentation()) {
        it(`every relative link and anchor of ${path.relative(REPO_ROOT, file)} resolves`, () => {
            assert.deepEqual(brokenLinks(file), []);
        });
    }

    it(`README.md is at most ${README_MAX_LINES} lines`, () => {
        const lines = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8").trimEnd().split("\n").length;
        assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; move detail to docs/*.md`);
    });
});
