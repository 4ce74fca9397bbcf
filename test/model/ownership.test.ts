/**
 * Ownership held by random sequences of Pulumi commands, program changes and out-of-band tenant
 * changes (ownership-model.ts): 200 sequences in `npm test`; `npm run soak` runs thousands.
 */
import { checkOwnership } from "./ownership-model";

describe("ownership under random sequences of Pulumi commands (model-based)", function () {
    this.timeout(120_000);

    it("200 sequences, each command in a new provider host context, break no invariant (I1–I6)", async () => {
        await checkOwnership({ runs: 200 });
    });
});
