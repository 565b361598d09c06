import { defineConfig } from "vitest/config";

// The indexer's tests: each file starts one local chain and one indexer and shares them across its
// tests, so files run one at a time (the machine's cores go to the chain and Ponder).
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
