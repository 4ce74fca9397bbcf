/**
 * What the link check needs to know about a Markdown file, as GitHub renders it: the anchors its
 * headings get, and the relative links it holds. Pure (text in, data out); fenced code blocks and
 * inline code are not Markdown, so nothing inside them counts.
 */

/** A link found in a Markdown file: its target as written, and the line it is on (1-based). */
export interface MarkdownLink {
    target: string;
    line: number;
}

/**
 * GitHub's anchor for a heading's text (github-slugger, which github.com's renderer follows):
 * lower case, every character that is not a letter, mark, digit, connector (`_`), hyphen or space
 * dropped, each space a hyphen. `seen` counts earlier headings of the same file: a repeated slug
 * gets `-1`, `-2` … as GitHub numbers them.
 */
export function githubSlug(heading: string, seen: Map<string, number> = new Map()): string {
    const base = plainText(heading)
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
        .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
}

/** The anchors of a Markdown file's headings (ATX `#` headings outside code blocks), in order. */
export function anchorsOf(markdown: string): string[] {
    const seen = new Map<string, number>();
    return proseLines(markdown).flatMap(({ text }) => {
        const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$/.exec(text);
        return heading ? [githubSlug(heading[1], seen)] : [];
    });
}

/** Every inline link and image of a Markdown file outside code: `[text](target)`, `![alt](target "title")`. */
export function linksOf(markdown: string): MarkdownLink[] {
    return proseLines(markdown).flatMap(({ text, line }) =>
        [...withoutCodeSpans(text).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => ({
            target: match[1],
            line,
        })),
    );
}

// The lines that are Markdown, with their numbers: fenced code blocks (``` or ~~~) left out.
function proseLines(markdown: string): { text: string; line: number }[] {
    const lines: { text: string; line: number }[] = [];
    let fence: string | undefined;
    markdown.split("\n").forEach((text, index) => {
        const marker = /^ {0,3}(`{3,}|~{3,})/.exec(text)?.[1];
        if (fence === undefined && marker !== undefined) {
            fence = marker;
        } else if (fence !== undefined) {
            if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
        } else {
            lines.push({ text, line: index + 1 });
        }
    });
    return lines;
}

// A heading as the text GitHub renders: code spans keep their content, links their text, emphasis goes.
function plainText(heading: string): string {
    return heading
        .replace(/`([^`]*)`/g, "$1")
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/[*]+/g, "");
}

function withoutCodeSpans(text: string): string {
    return text.replace(/(`+)[^`].*?\1/g, "");
}
