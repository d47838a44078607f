import { edgeProject } from "./vitest.shared.ts";

// Most edge tests: workers reused across files (vitest.shared.ts says why and which are not).
export default edgeProject("edge");
