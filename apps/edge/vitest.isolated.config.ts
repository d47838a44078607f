import { edgeProject } from "./vitest.shared.ts";

// The edge tests that need a worker (and its storage) of their own: vitest.shared.ts ISOLATED_FILES.
export default edgeProject("edge-isolated");
