/**
 * The outputs a preview reports for a create or an update. The plugin supports previews
 * (Configure, Handshake), so the engine calls Create and Update with `preview` set during
 * `pulumi preview`; nothing is sent then, and whatever only a write can tell is unknown. Pure.
 */
import { UNKNOWN } from "../provider/core/schema";
import { outputNames, WRITTEN_OUTPUTS } from "./schema";
import type { Props } from "./secrets";

/** A create's outputs in preview: the checked inputs, every other output unknown. */
export function previewCreate(type: string, news: Props): Props {
    const outs = { ...news };
    for (const name of outputNames(type)) if (!(name in outs)) outs[name] = UNKNOWN;
    return outs;
}

/**
 * An update's outputs in preview: the stored outputs with the checked inputs over them; what a
 * write decides, unknown.
 */
export function previewUpdate(type: string, olds: Props, news: Props): Props {
    const outs = { ...olds, ...news };
    for (const name of WRITTEN_OUTPUTS[type] ?? []) outs[name] = UNKNOWN;
    return outs;
}
